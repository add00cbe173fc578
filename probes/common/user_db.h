// SPDX-License-Identifier: Apache-2.0
// The image's accounts: /etc/passwd and /etc/group parsed once per root and shared by every
// probe that needs users, homes or group membership (Context::Memo).
//
// References: passwd(5), group(5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/model.h"
#include "scanner/probe.h"

namespace imageprobe::probes {

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

struct ParseProblem {
  uint32_t line = 0;
  std::string message;
};

template <class T>
struct Parsed {
  std::vector<T> entries;
  std::vector<ParseProblem> problems;  // malformed lines, skipped
};

// Pure parsers: text in, entries out. Comments ("#") and blank lines are skipped; a malformed
// line is reported with its number and skipped; CRLF endings are accepted.
Parsed<PasswdEntry> ParsePasswd(std::string_view text);
Parsed<GroupEntry> ParseGroup(std::string_view text);

// Shells that refuse interactive logins (nologin, false, sync…).
bool IsNoLoginShell(std::string_view shell);

struct User {
  PasswdEntry passwd;
  std::string primary_group;          // name of passwd.gid, or the number when unknown
  std::vector<std::string> groups;    // primary first, then supplementary, no duplicates
};

class UserDb {
 public:
  std::vector<User> users;  // in /etc/passwd order
  std::vector<GroupEntry> groups;
  std::vector<Diagnostic> diagnostics;  // unreadable or malformed passwd/group
  bool passwd_present = false;

  const User* Find(std::string_view name) const;
  const User* FindUid(uint32_t uid) const;
  std::optional<std::string> GroupName(uint32_t gid) const;
};

// Builds the table from the two parsed files (pure, for tests).
UserDb BuildUserDb(const Parsed<PasswdEntry>& passwd, const Parsed<GroupEntry>& group);

// The table for this root, read once per scan and shared through the Context.
const UserDb& UsersOf(const Target& target);

}  // namespace imageprobe::probes
