// SPDX-License-Identifier: Apache-2.0
// /etc/shadow of a root, parsed once and shared, and the password state sshd and PAM see for an
// account. The line parser and the password-field classification are the shared ones in
// scanner/parse/shadow.h.
//
// References: shadow(5), crypt(5) (libxcrypt's hash prefixes), passwd(1) -l ("!" prefix).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "probes/common/user_db.h"
#include "scanner/core/probe.h"
#include "scanner/parse/shadow.h"

namespace imageprobe::probes::users {

inline constexpr std::string_view kShadowPath = "/etc/shadow";

struct ShadowTable {
  std::map<std::string, parse::ShadowEntry, std::less<>> entries;
  std::vector<Diagnostic> diagnostics;  // unreadable file, malformed lines

  const parse::ShadowEntry* Find(std::string_view name) const;
};

// /etc/shadow of this root, parsed once and shared (the hash text is dropped at once).
const ShadowTable& ShadowOf(const Target& target);

// The password state sshd and PAM see for an account: the passwd field when it is not "x",
// otherwise the shadow entry. `source` is the file it came from ("" when neither has one).
struct AccountPassword {
  parse::PasswordInfo password;
  std::string source;
  std::optional<int64_t> expire_days;
};
AccountPassword PasswordOf(const User& user, const ShadowTable& shadow);

}  // namespace imageprobe::probes::users
