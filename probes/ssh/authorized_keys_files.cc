// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/authorized_keys_files.h"

#include <cstdio>

#include "probes/sshd/sshd_config.h"
#include "scanner/core/guest_path.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::ssh {

namespace {

std::string Octal(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

std::optional<StrictModesViolation> CheckOwnerAndMode(std::string_view path, const FileStat& st,
                                                      uint32_t uid,
                                                      const GroupIndex* private_groups) {
  if (st.uid != 0 && st.uid != uid) {
    return StrictModesViolation{StrictModesFailure::kBadOwner, std::string(path),
                                "owned by uid " + std::to_string(st.uid) +
                                    ", neither root nor the user (uid " + std::to_string(uid) +
                                    ")"};
  }
  bool group_write_ok = private_groups != nullptr && (st.mode & 002) == 0 &&
                        private_groups->IsPrivateGroupOf(st.gid, st.uid, uid);
  if ((st.mode & 022) != 0 && !group_write_ok) {
    std::string who = (st.mode & 020) && (st.mode & 002) ? "group- and world-writable"
                      : (st.mode & 020)                  ? "group-writable"
                                                         : "world-writable";
    return StrictModesViolation{StrictModesFailure::kWritable, std::string(path),
                                "mode " + Octal(st.mode) + " is " + who};
  }
  return std::nullopt;
}

}  // namespace

std::string_view StrictModesFailureName(StrictModesFailure failure) {
  switch (failure) {
    case StrictModesFailure::kNotRegular:
      return "not_regular";
    case StrictModesFailure::kBadOwner:
      return "bad_owner";
    case StrictModesFailure::kWritable:
      return "writable";
  }
  return "writable";
}

std::optional<StrictModesViolation> CheckStrictModes(const Filesystem& fs,
                                                     std::string_view resolved_file,
                                                     std::string_view resolved_home, uint32_t uid,
                                                     const GroupIndex* private_groups) {
  auto st = fs.Lstat(resolved_file);
  if (!st) {
    return StrictModesViolation{StrictModesFailure::kNotRegular, std::string(resolved_file),
                                st.error().Message()};
  }
  if (!st->IsRegular()) {
    return StrictModesViolation{StrictModesFailure::kNotRegular, std::string(resolved_file),
                                "is a " + std::string(FileTypeName(st->type))};
  }
  if (auto bad = CheckOwnerAndMode(resolved_file, *st, uid, private_groups)) return bad;
  std::string dir(resolved_file);
  while (dir != "/") {
    dir = GuestDirname(dir);
    auto dst = fs.Lstat(dir);
    if (!dst) {
      return StrictModesViolation{StrictModesFailure::kBadOwner, dir, dst.error().Message()};
    }
    if (auto bad = CheckOwnerAndMode(dir, *dst, uid, private_groups)) return bad;
    if (!resolved_home.empty() && dir == resolved_home) break;
  }
  return std::nullopt;
}

GroupIndex::GroupIndex(const UserDb& db) {
  for (const parse::GroupEntry& group : db.groups) {
    gid_by_name_.try_emplace(group.name, group.gid);
    group_by_gid_.try_emplace(group.gid, &group);
  }
  for (const User& user : db.users) {
    primary_uids_by_gid_[user.passwd.gid].push_back(user.passwd.uid);
    user_by_uid_.try_emplace(user.passwd.uid, &user);
  }
}

std::vector<uint32_t> GroupIndex::GidsOf(const User& user) const {
  std::vector<uint32_t> gids = {user.passwd.gid};
  for (const std::string& name : user.groups) {
    if (auto it = gid_by_name_.find(name); it != gid_by_name_.end()) gids.push_back(it->second);
  }
  return gids;
}

bool GroupIndex::IsPrivateGroupOf(uint32_t gid, uint32_t owner_uid, uint32_t uid) const {
  auto group = group_by_gid_.find(gid);
  if (group == group_by_gid_.end()) return false;
  size_t members = 0;
  if (auto primary = primary_uids_by_gid_.find(gid); primary != primary_uids_by_gid_.end()) {
    for (uint32_t member : primary->second) {
      if (member != uid) return false;
    }
    members += primary->second.size();
  }
  auto owner = user_by_uid_.find(owner_uid);
  if (owner == user_by_uid_.end()) return false;
  const std::vector<std::string>& listed = group->second->members;
  if (!listed.empty()) {
    ++members;
    if (listed.front() != owner->second->passwd.name || listed.size() > 1) return false;
  }
  return members > 0;
}

std::string UnreadableBy(const Filesystem& fs, std::string_view resolved_file, const User& user,
                         const GroupIndex& groups) {
  if (user.passwd.uid == 0) return {};
  std::vector<uint32_t> gids = groups.GidsOf(user);
  // The permission class that applies (owner, group, other) decides alone, as in the kernel.
  auto allowed = [&](const FileStat& st, uint32_t bit) {
    if (st.uid == user.passwd.uid) return (st.mode & (bit << 6)) != 0;
    if (std::ranges::find(gids, st.gid) != gids.end()) return (st.mode & (bit << 3)) != 0;
    return (st.mode & bit) != 0;
  };
  std::string dir(resolved_file);
  std::vector<std::string> parents;
  while (dir != "/") {
    dir = GuestDirname(dir);
    parents.push_back(dir);
  }
  for (auto it = parents.rbegin(); it != parents.rend(); ++it) {
    FsResult<FileStat> st = fs.Lstat(*it);
    if (st && !allowed(*st, 01)) {
      return *it + " (mode " + parse::OctalMode(st->mode) + ") is not searchable by " +
             user.passwd.name;
    }
  }
  FsResult<FileStat> st = fs.Lstat(resolved_file);
  if (st && !allowed(*st, 04)) {
    return std::string(resolved_file) + " (mode " + parse::OctalMode(st->mode) + ", uid " +
           std::to_string(st->uid) + ") is not readable by " + user.passwd.name;
  }
  return {};
}

AuthorizedKeysInventory CollectAuthorizedKeys(const Filesystem& fs, const UserDb& users,
                                              const ScanLimits& limits,
                                              const SettingsForUser& settings_for) {
  AuthorizedKeysInventory inv;
  const GroupIndex groups(users);
  for (const auto& user : users.users) {
    UserKeys keys;
    keys.user = user.passwd.name;
    keys.uid = user.passwd.uid;
    keys.home = user.passwd.home;
    keys.settings = settings_for(user);
    auto home_real = fs.Resolve(NormalizeGuestPath(user.passwd.home));
    if (auto ssh_dir = fs.Stat(JoinGuestPath(user.passwd.home, ".ssh"))) {
      keys.has_ssh_dir = ssh_dir->IsDirectory();
    }
    for (const auto& pattern : keys.settings.files) {
      if (parse::EqualsIgnoreCase(pattern, "none")) continue;
      auto expanded = probes::ExpandAuthorizedKeysPath(pattern, user.passwd.name, user.passwd.uid,
                                                       user.passwd.home);
      if (!expanded) {
        // sshd refuses the key file then (an unknown %-token is fatal in expand_authorized_keys).
        inv.diagnostics.push_back(
            {"", "",
             "AuthorizedKeysFile for " + user.passwd.name + ": unknown %-token in " + pattern});
        continue;
      }
      auto path = std::optional<std::string>(NormalizeGuestPath(*expanded));
      auto resolved = fs.Resolve(*path);
      if (!resolved) {
        if (resolved.error().code != FsErrc::kNotFound &&
            resolved.error().code != FsErrc::kNotDirectory) {
          inv.diagnostics.push_back({"", *path, resolved.error().Message()});
        }
        continue;
      }
      KeysFile file;
      file.path = *path;
      file.resolved_path = *resolved;
      auto st = fs.Lstat(*resolved);
      if (!st) {
        inv.diagnostics.push_back({"", *path, st.error().Message()});
        continue;
      }
      file.stat = *st;
      file.violation =
          CheckStrictModes(fs, *resolved, home_real ? *home_real : std::string(), user.passwd.uid,
                           keys.settings.private_group_may_write ? &groups : nullptr);
      bool not_regular = !st->IsRegular();
      if (!not_regular) file.unreadable = UnreadableBy(fs, *resolved, user, groups);
      file.refused =
          not_regular || !file.unreadable.empty() || (file.violation && keys.settings.strict_modes);
      if (!not_regular) {
        auto text = fs.ReadFile(*resolved, limits.max_file_bytes);
        if (!text) {
          inv.diagnostics.push_back({"", *path, text.error().Message()});
        } else {
          file.parsed = ParseAuthorizedKeys(*text);
        }
      }
      keys.files.push_back(std::move(file));
    }
    inv.users.push_back(std::move(keys));
  }
  return inv;
}

const AuthorizedKeysInventory& AuthorizedKeysOf(const Target& target) {
  return target.context.Memo<AuthorizedKeysInventory>([&] {
    const SshdConfig& sshd = SshdConfigOf(target);
    bool debian = sshd.build.family == OpensshBuild::Family::kDebian;
    return CollectAuthorizedKeys(target.fs, UsersOf(target), target.limits, [&](const User& u) {
      AuthorizedKeysSettings settings;
      settings.private_group_may_write = debian;
      if (sshd.present) {
        settings.files = sshd.AuthorizedKeysFiles(u.passwd.name, u.groups).patterns;
        settings.strict_modes = sshd.StrictModes();
      }
      return settings;
    });
  });
}

}  // namespace imageprobe::probes::ssh
