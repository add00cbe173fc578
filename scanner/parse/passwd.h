// SPDX-License-Identifier: Apache-2.0
// /etc/passwd and /etc/group, line by line: text in, entries and problems out. The probes build
// their user table from these (probes/common/user_db.h), and the guestfs backend reads the homes
// it prefetches through the same parser, so both layers agree on which lines are accounts.
//
// References: passwd(5), group(5).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/parse/problem.h"

namespace imageprobe::parse {

struct PasswdEntry {
  std::string name;
  std::string password_field;  // "x" when the hash is in /etc/shadow
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string gecos;
  std::string home;
  std::string shell;
  uint32_t line = 0;
};

struct GroupEntry {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
  uint32_t line = 0;
};

// Pure parsers: text in, entries out. Comments ("#") and blank lines are skipped; a malformed
// line is reported with its number and skipped; CRLF endings are accepted.
Parsed<PasswdEntry> ParsePasswd(std::string_view text);
Parsed<GroupEntry> ParseGroup(std::string_view text);

// Shells that refuse interactive logins (nologin, false, sync…).
bool IsNoLoginShell(std::string_view shell);

}  // namespace imageprobe::parse
