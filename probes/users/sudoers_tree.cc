// SPDX-License-Identifier: Apache-2.0
#include "probes/users/sudoers_tree.h"

#include <algorithm>
#include <map>

#include "scanner/core/guest_path.h"

namespace imageprobe::probes::users {

namespace {

constexpr int kMaxAliasDepth = 16;

void Load(const Filesystem& fs, uint64_t max_bytes, uint32_t max_depth, const std::string& path,
          uint32_t depth, std::vector<std::string>& stack, SudoersTree& tree,
          const std::string& included_from) {
  auto resolved = fs.Resolve(path);
  if (!resolved) {
    if (depth == 0 && resolved.error().code == FsErrc::kNotFound) return;  // no sudo
    tree.diagnostics.push_back(
        {"", path,
         (included_from.empty() ? "" : "included from " + included_from + ": ") +
             resolved.error().Message()});
    return;
  }
  if (depth > max_depth) {
    tree.diagnostics.push_back(
        {"", path,
         "includes nested deeper than " + std::to_string(max_depth) + " levels: not read"});
    return;
  }
  if (std::ranges::find(stack, *resolved) != stack.end()) {
    std::string chain;
    for (const auto& s : stack) chain += s + " -> ";
    tree.diagnostics.push_back({"", path, "include loop: " + chain + *resolved});
    return;
  }
  auto text = fs.ReadFile(*resolved, max_bytes);
  if (!text) {
    tree.diagnostics.push_back({"", path, text.error().Message()});
    return;
  }
  if (depth == 0) tree.present = true;
  SudoersFile file{path, ParseSudoers(*text)};
  for (const auto& p : file.parsed.problems) {
    tree.diagnostics.push_back({"", path, "line " + std::to_string(p.line) + ": " + p.message});
  }
  auto includes = file.parsed.includes;
  tree.files.push_back(std::move(file));
  stack.push_back(*resolved);
  std::string dir = GuestDirname(path);
  std::string from = path;
  for (const auto& inc : includes) {
    std::string target = JoinGuestPath(dir, inc.path);  // relative: from this file's directory
    std::string origin = from + ":" + std::to_string(inc.line);
    if (!inc.directory) {
      Load(fs, max_bytes, max_depth, target, depth + 1, stack, tree, origin);
      continue;
    }
    auto entries = fs.ListDir(target);
    if (!entries) {
      if (entries.error().code != FsErrc::kNotFound) {
        tree.diagnostics.push_back({"", target, entries.error().Message()});
      }
      continue;
    }
    for (const auto& entry : *entries) {  // List() returns names sorted
      if (SudoersIncludedirSkips(entry.name) || entry.stat.IsDirectory()) continue;
      Load(fs, max_bytes, max_depth, JoinGuestPath(target, entry.name), depth + 1, stack, tree,
           origin);
    }
  }
  stack.pop_back();
}

struct Aliases {
  std::map<std::string, std::vector<std::string>, std::less<>> user;
  std::map<std::string, std::vector<std::string>, std::less<>> command;
};

Aliases CollectAliases(const SudoersTree& tree) {
  Aliases a;
  for (const auto& f : tree.files) {
    for (const auto& alias : f.parsed.aliases) {
      if (alias.kind == "User_Alias") a.user.emplace(alias.name, alias.members);
      if (alias.kind == "Cmnd_Alias") a.command.emplace(alias.name, alias.members);
    }
  }
  return a;
}

// nullopt: the item does not mention the user; true/false: it matches (negated or not).
std::optional<bool> MatchUserItem(std::string_view item, const User& user, const UserDb& db,
                                  const Aliases& aliases, int depth);

bool MatchUserList(const std::vector<std::string>& items, const User& user, const UserDb& db,
                   const Aliases& aliases, int depth) {
  bool matched = false;
  for (const auto& item : items) {
    if (auto m = MatchUserItem(item, user, db, aliases, depth)) matched = *m;
  }
  return matched;
}

std::optional<bool> MatchUserItem(std::string_view item, const User& user, const UserDb& db,
                                  const Aliases& aliases, int depth) {
  bool negated = false;
  while (!item.empty() && item.front() == '!') {
    negated = !negated;
    item.remove_prefix(1);
  }
  bool hit = false;
  if (item == "ALL") {
    hit = true;
  } else if (item.starts_with("%#")) {
    for (const auto& g : user.groups) {
      const parse::GroupEntry* entry = nullptr;
      for (const auto& ge : db.groups) {
        if (ge.name == g) entry = &ge;
      }
      uint32_t gid = entry ? entry->gid : (g == user.primary_group ? user.passwd.gid : ~0u);
      if (std::to_string(gid) == item.substr(2)) hit = true;
    }
  } else if (item.starts_with("%:") || item.starts_with("+")) {
    return std::nullopt;  // non-Unix groups and netgroups: unknown offline
  } else if (item.starts_with("%")) {
    hit = std::ranges::find(user.groups, item.substr(1)) != user.groups.end();
  } else if (item.starts_with("#")) {
    hit = item.substr(1) == std::to_string(user.passwd.uid);
  } else if (auto it = aliases.user.find(item); it != aliases.user.end()) {
    hit = depth < kMaxAliasDepth && MatchUserList(it->second, user, db, aliases, depth + 1);
  } else {
    hit = item == user.passwd.name;
  }
  if (!hit) return std::nullopt;
  return !negated;
}

bool IsAllCommands(std::string_view command, const Aliases& aliases, int depth) {
  if (command == "ALL") return true;
  if (depth >= kMaxAliasDepth) return false;
  auto it = aliases.command.find(command);
  if (it == aliases.command.end()) return false;
  return std::ranges::any_of(it->second, [&](const std::string& member) {
    return IsAllCommands(member, aliases, depth + 1);
  });
}

}  // namespace

SudoersTree CollectSudoers(const Filesystem& fs, uint64_t max_file_bytes, uint32_t max_depth,
                           std::string_view main) {
  SudoersTree tree;
  std::vector<std::string> stack;
  Load(fs, max_file_bytes, max_depth, NormalizeGuestPath(main), 0, stack, tree, "");
  return tree;
}

SudoRights SudoRightsOf(const SudoersTree& tree, const User& user, const UserDb& db) {
  SudoRights rights;
  Aliases aliases = CollectAliases(tree);
  for (const auto& file : tree.files) {
    for (const auto& rule : file.parsed.rules) {
      if (!MatchUserList(rule.users, user, db, aliases, 0)) continue;
      SudoGrant grant{file.path, rule.line, rule.text};
      for (const auto& cmd : rule.commands) {
        bool all = IsAllCommands(cmd.command, aliases, 0);
        grant.all_commands |= all;
        grant.nopasswd |= cmd.nopasswd;
        grant.nopasswd_all |= all && cmd.nopasswd;
      }
      rights.nopasswd_all |= grant.nopasswd_all;
      rights.any_nopasswd |= grant.nopasswd;
      rights.all_commands |= grant.all_commands;
      rights.grants.push_back(std::move(grant));
    }
  }
  return rights;
}

}  // namespace imageprobe::probes::users
