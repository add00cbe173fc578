// SPDX-License-Identifier: Apache-2.0
// /etc/shadow lines reduced to what a scanner may keep: whether each account's password field is
// locked, empty, unusable or a usable hash, and the hash scheme. The hash itself is never kept.
// Pure; the per-root table (ShadowOf) is the users probe's, in probes/users/shadow.h.
//
// References: shadow(5), crypt(5) (libxcrypt's hash prefixes), passwd(1) -l ("!" prefix).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scanner/parse/passwd.h"

namespace imageprobe::parse {

enum class PasswordState {
  kUnknown,  // no shadow entry to look at
  kEmpty,    // no password at all: anyone who reaches a password prompt logs in
  kLocked,   // "!", "!!", "*", or "!" before a hash (passwd -l): no password matches
  kInvalid,  // not a hash any crypt(3) scheme produces ("x" in shadow, junk): nothing matches
  kUsable,   // a hash: some password logs in
};
std::string_view PasswordStateName(PasswordState state);

struct PasswordInfo {
  PasswordState state = PasswordState::kUnknown;
  std::string scheme;  // "sha512crypt", "yescrypt", … for a hash, locked or not
  // The field starts with "!" (passwd -l, useradd's default): what OpenSSH calls a locked
  // account on Linux (LOCKED_PASSWD_PREFIX); "*" alone is not.
  bool locked_prefix = false;
};

// Classifies one password field (from shadow, or from passwd when it is not "x").
PasswordInfo ClassifyPasswordField(std::string_view field);

struct ShadowEntry {
  std::string name;
  PasswordInfo password;               // never the hash
  std::optional<int64_t> expire_days;  // account expiry, days since 1970-01-01
  uint32_t line = 0;
};

Parsed<ShadowEntry> ParseShadow(std::string_view text);

}  // namespace imageprobe::parse
