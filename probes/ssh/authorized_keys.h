// SPDX-License-Identifier: Apache-2.0
// authorized_keys lines parsed exactly as sshd reads them: optional options, key type, base64
// blob, comment. Pure: text in, structs out; a line sshd would skip comes back as a problem with
// its line number and the reason sshd would give.
//
// References: sshd(8) "AUTHORIZED_KEYS FILE FORMAT"; OpenSSH auth2-pubkeyfile.c
// (auth_check_authkey_line), authfile.c / sshkey.c (sshkey_advance_past_options, sshkey_read),
// auth-options.c (sshauthopt_parse, opt_flag, opt_dequote, handle_permit), misc.c (a2tun,
// hpdelim2, parse_absolute_time); formats.md §6c.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/user_db.h"
#include "probes/ssh/public_key.h"

namespace imageprobe::probes::ssh {

// What the options field of a line says. Flags are tri-state: unset when not mentioned.
struct KeyOptions {
  bool restrict = false;
  bool cert_authority = false;
  std::optional<bool> port_forwarding, agent_forwarding, x11_forwarding, pty, user_rc,
      touch_required, verify_required;
  std::optional<std::string> command;
  std::optional<std::string> principals;
  std::optional<std::string> from;
  std::optional<std::string> expiry_time;
  std::optional<std::string> tunnel;
  std::vector<std::string> environment;  // "NAME=value" as written
  std::vector<std::string> permitopen;
  std::vector<std::string> permitlisten;

  bool empty() const;
  // A forced command or `restrict`: the key cannot open an arbitrary shell with forwarding.
  bool Restricts() const { return restrict || command.has_value(); }
};
void to_json(nlohmann::json& j, const KeyOptions& o);

// sshauthopt_parse: the options string (up to the first unquoted blank) into KeyOptions, or the
// reason sshd would give for refusing the line ("unsupported option", "missing end quote"…).
std::expected<KeyOptions, std::string> ParseKeyOptions(std::string_view options);

struct AuthorizedKey {
  uint32_t line = 0;
  std::string written_type;  // the type name as written on the line (may be an alias)
  KeyOptions options;
  PublicKey key;
  std::string comment;  // rest of the line after the blob, as ssh-keygen -l shows it
};

// One non-blank, non-comment line (leading blanks allowed). The line ends at a NUL byte, as it
// does for sshd, which handles lines as C strings.
std::expected<AuthorizedKey, std::string> ParseAuthorizedKeyLine(std::string_view line);

struct AuthorizedKeysParse {
  std::vector<AuthorizedKey> keys;
  std::vector<parse::ParseProblem> problems;  // lines sshd would skip, with why
};
AuthorizedKeysParse ParseAuthorizedKeys(std::string_view text);

}  // namespace imageprobe::probes::ssh
