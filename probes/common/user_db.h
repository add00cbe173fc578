// SPDX-License-Identifier: Apache-2.0
// The image's accounts: /etc/passwd and /etc/group parsed once per root and shared by every
// probe that needs users, homes or group membership (Context::Memo). The line parsers are the
// shared ones in scanner/parse/passwd.h.
//
// References: passwd(5), group(5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/model.h"
#include "scanner/core/probe.h"
#include "scanner/parse/passwd.h"

namespace imageprobe::probes {

struct User {
  parse::PasswdEntry passwd;
  std::string primary_group;        // name of passwd.gid, or the number when unknown
  std::vector<std::string> groups;  // primary first, then supplementary, no duplicates
};

class UserDb {
 public:
  std::vector<User> users;  // in /etc/passwd order
  std::vector<parse::GroupEntry> groups;
  std::vector<Diagnostic> diagnostics;  // unreadable or malformed passwd/group
  bool passwd_present = false;

  const User* Find(std::string_view name) const;
  const User* FindUid(uint32_t uid) const;
  std::optional<std::string> GroupName(uint32_t gid) const;
};

// Builds the table from the two parsed files (pure, for tests).
UserDb BuildUserDb(const parse::Parsed<parse::PasswdEntry>& passwd,
                   const parse::Parsed<parse::GroupEntry>& group);

// The table for this root, read once per scan and shared through the Context.
const UserDb& UsersOf(const Target& target);

}  // namespace imageprobe::probes
