// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/authorized_keys_files.h"

#include <cstdio>

#include "probes/common/text.h"
#include "probes/sshd/sshd_config.h"
#include "scanner/guest_path.h"

namespace imageprobe::probes::ssh {

namespace {

std::string Octal(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

std::optional<StrictModesViolation> CheckOwnerAndMode(std::string_view path, const FileStat& st,
                                                      uint32_t uid) {
  if (st.uid != 0 && st.uid != uid) {
    return StrictModesViolation{StrictModesFailure::kBadOwner, std::string(path),
                                "owned by uid " + std::to_string(st.uid) +
                                    ", neither root nor the user (uid " + std::to_string(uid) +
                                    ")"};
  }
  if ((st.mode & 022) != 0) {
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
                                                     std::string_view resolved_home, uint32_t uid) {
  auto st = fs.Lstat(resolved_file);
  if (!st) {
    return StrictModesViolation{StrictModesFailure::kNotRegular, std::string(resolved_file),
                                st.error().Message()};
  }
  if (!st->IsRegular()) {
    return StrictModesViolation{StrictModesFailure::kNotRegular, std::string(resolved_file),
                                "is a " + std::string(FileTypeName(st->type))};
  }
  if (auto bad = CheckOwnerAndMode(resolved_file, *st, uid)) return bad;
  std::string dir(resolved_file);
  while (dir != "/") {
    dir = GuestDirname(dir);
    auto dst = fs.Lstat(dir);
    if (!dst) {
      return StrictModesViolation{StrictModesFailure::kBadOwner, dir, dst.error().Message()};
    }
    if (auto bad = CheckOwnerAndMode(dir, *dst, uid)) return bad;
    if (!resolved_home.empty() && dir == resolved_home) break;
  }
  return std::nullopt;
}

bool UserKeys::HasAcceptedKey() const {
  for (const auto& f : files) {
    if (f.refused) continue;
    for (const auto& k : f.parsed.keys) {
      if (!k.options.cert_authority) return true;
    }
  }
  return false;
}

bool ConsidersForKeys(const User& user) {
  return user.passwd.uid == 0 || user.passwd.name == "root" || !IsNoLoginShell(user.passwd.shell);
}

AuthorizedKeysInventory CollectAuthorizedKeys(const Filesystem& fs, const UserDb& users,
                                              const ScanLimits& limits,
                                              const SettingsForUser& settings_for) {
  AuthorizedKeysInventory inv;
  for (const auto& user : users.users) {
    if (!ConsidersForKeys(user)) continue;
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
      if (EqualsIgnoreCase(pattern, "none")) continue;
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
          CheckStrictModes(fs, *resolved, home_real ? *home_real : std::string(), user.passwd.uid);
      bool not_regular = !st->IsRegular();
      file.refused = not_regular || (file.violation && keys.settings.strict_modes);
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
    return CollectAuthorizedKeys(target.fs, UsersOf(target), target.limits, [&](const User& u) {
      AuthorizedKeysSettings settings;
      if (sshd.present) {
        settings.files = sshd.AuthorizedKeysFiles(u.passwd.name, u.groups).patterns;
        settings.strict_modes = sshd.StrictModes();
      }
      return settings;
    });
  });
}

}  // namespace imageprobe::probes::ssh
