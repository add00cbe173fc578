// SPDX-License-Identifier: Apache-2.0
#include "probes/common/user_db.h"

#include <algorithm>
#include <charconv>

#include "probes/common/text.h"

namespace imageprobe::probes {

namespace {

std::optional<uint32_t> ParseId(std::string_view s) {
  uint32_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Parsed<PasswdEntry> ParsePasswd(std::string_view text) {
  Parsed<PasswdEntry> out;
  ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (line.empty() || line.front() == '#') return;
    auto fields = SplitFields(line, ':');
    if (fields.size() != 7) {
      out.problems.push_back({number, "expected 7 colon-separated fields, found " +
                                          std::to_string(fields.size())});
      return;
    }
    auto uid = ParseId(fields[2]);
    auto gid = ParseId(fields[3]);
    if (fields[0].empty() || !uid || !gid) {
      out.problems.push_back({number, "empty name or non-numeric uid/gid"});
      return;
    }
    out.entries.push_back({std::string(fields[0]), std::string(fields[1]), *uid, *gid,
                           std::string(fields[4]), std::string(fields[5]),
                           std::string(fields[6]), number});
  });
  return out;
}

Parsed<GroupEntry> ParseGroup(std::string_view text) {
  Parsed<GroupEntry> out;
  ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (line.empty() || line.front() == '#') return;
    auto fields = SplitFields(line, ':');
    auto gid = fields.size() == 4 ? ParseId(fields[2]) : std::nullopt;
    if (fields.size() != 4 || fields[0].empty() || !gid) {
      out.problems.push_back({number, "expected name:password:gid:members"});
      return;
    }
    GroupEntry group{std::string(fields[0]), *gid, {}, number};
    for (auto member : SplitFields(fields[3], ',')) {
      if (!member.empty()) group.members.emplace_back(member);
    }
    out.entries.push_back(std::move(group));
  });
  return out;
}

bool IsNoLoginShell(std::string_view shell) {
  static constexpr std::string_view kRefusing[] = {"nologin", "false", "sync", "halt",
                                                   "shutdown"};
  auto base = shell.substr(shell.rfind('/') + 1);
  return shell.empty() ? false : std::ranges::find(kRefusing, base) != std::end(kRefusing);
}

const User* UserDb::Find(std::string_view name) const {
  auto it = std::ranges::find_if(users, [&](const User& u) { return u.passwd.name == name; });
  return it == users.end() ? nullptr : &*it;
}

const User* UserDb::FindUid(uint32_t uid) const {
  auto it = std::ranges::find_if(users, [&](const User& u) { return u.passwd.uid == uid; });
  return it == users.end() ? nullptr : &*it;
}

std::optional<std::string> UserDb::GroupName(uint32_t gid) const {
  auto it = std::ranges::find_if(groups, [&](const GroupEntry& g) { return g.gid == gid; });
  if (it == groups.end()) return std::nullopt;
  return it->name;
}

UserDb BuildUserDb(const Parsed<PasswdEntry>& passwd, const Parsed<GroupEntry>& group) {
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
    Parsed<PasswdEntry> passwd;
    Parsed<GroupEntry> group;
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
    bool present = read("/etc/passwd", ParsePasswd, passwd);
    read("/etc/group", ParseGroup, group);
    UserDb db = BuildUserDb(passwd, group);
    db.passwd_present = present;
    db.diagnostics = std::move(diagnostics);
    return db;
  });
}

}  // namespace imageprobe::probes
