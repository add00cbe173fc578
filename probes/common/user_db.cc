// SPDX-License-Identifier: Apache-2.0
#include "probes/common/user_db.h"

#include <algorithm>

namespace imageprobe::probes {

const User* UserDb::Find(std::string_view name) const {
  auto it = std::ranges::find_if(users, [&](const User& u) { return u.passwd.name == name; });
  return it == users.end() ? nullptr : &*it;
}

const User* UserDb::FindUid(uint32_t uid) const {
  auto it = std::ranges::find_if(users, [&](const User& u) { return u.passwd.uid == uid; });
  return it == users.end() ? nullptr : &*it;
}

std::optional<std::string> UserDb::GroupName(uint32_t gid) const {
  auto it = std::ranges::find_if(groups, [&](const parse::GroupEntry& g) { return g.gid == gid; });
  if (it == groups.end()) return std::nullopt;
  return it->name;
}

UserDb BuildUserDb(const parse::Parsed<parse::PasswdEntry>& passwd,
                   const parse::Parsed<parse::GroupEntry>& group) {
  UserDb db;
  db.groups = group.entries;
  for (const auto& entry : passwd.entries) {
    User user{entry, {}, {}};
    user.primary_group = db.GroupName(entry.gid).value_or(std::to_string(entry.gid));
    user.groups.push_back(user.primary_group);
    for (const auto& g : db.groups) {
      if (std::ranges::find(g.members, entry.name) != g.members.end() &&
          std::ranges::find(user.groups, g.name) == user.groups.end()) {
        user.groups.push_back(g.name);
      }
    }
    db.users.push_back(std::move(user));
  }
  return db;
}

const UserDb& UsersOf(const Target& target) {
  return target.context.Memo<UserDb>([&] {
    parse::Parsed<parse::PasswdEntry> passwd;
    parse::Parsed<parse::GroupEntry> group;
    std::vector<Diagnostic> diagnostics;
    auto read = [&](const char* path, auto parse, auto& into) {
      auto text = target.fs.ReadFile(path, target.limits.max_file_bytes);
      if (!text) {
        if (text.error().code != FsErrc::kNotFound) {
          diagnostics.push_back({"", path, text.error().Message()});
        }
        return false;
      }
      into = parse(*text);
      for (const auto& p : into.problems) {
        diagnostics.push_back({"", path, "line " + std::to_string(p.line) + ": " + p.message});
      }
      return true;
    };
    bool present = read("/etc/passwd", parse::ParsePasswd, passwd);
    read("/etc/group", parse::ParseGroup, group);
    UserDb db = BuildUserDb(passwd, group);
    db.passwd_present = present;
    db.diagnostics = std::move(diagnostics);
    return db;
  });
}

}  // namespace imageprobe::probes
