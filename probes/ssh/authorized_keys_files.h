// SPDX-License-Identifier: Apache-2.0
// Which authorized_keys files sshd would read for each user, what is in them, and whether its
// StrictModes check would refuse them. Shared through the Context (AuthorizedKeysOf) so the
// users probe (who can log in) and the authorized_keys probe read each file once.
//
// References: sshd_config(5) AuthorizedKeysFile, StrictModes; OpenSSH auth.c
// (expand_authorized_keys), misc.c (percent_expand, safe_path), auth2-pubkeyfile.c
// (auth_openfile, user_key_allowed); formats.md §6a, §6b.
//
// Discovery is a function of (filesystem, users, per-user settings); AuthorizedKeysOf feeds it
// the effective sshd configuration (probes/sshd), per user so that Match blocks apply.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/user_db.h"
#include "probes/ssh/authorized_keys.h"
#include "scanner/core/filesystem.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes::ssh {

// The two sshd settings discovery depends on, for one user (Match blocks may differ per user).
struct AuthorizedKeysSettings {
  std::vector<std::string> files = {".ssh/authorized_keys", ".ssh/authorized_keys2"};
  bool strict_modes = true;
  // Debian's and Ubuntu's OpenSSH (debian/patches/user-group-modes.patch, misc.c
  // secure_permissions): a group-writable file or directory passes when its group has exactly
  // one member, the user. Fedora, RHEL and Amazon Linux build without the patch.
  bool private_group_may_write = false;
};

enum class StrictModesFailure { kNotRegular, kBadOwner, kWritable };
std::string_view StrictModesFailureName(StrictModesFailure failure);

struct StrictModesViolation {
  StrictModesFailure failure = StrictModesFailure::kWritable;
  std::string path;    // the file or directory that fails
  std::string detail;  // "mode 0775 is group-writable", "owned by uid 1002"
};

// safe_path(): the resolved file must be a regular file owned by root or `uid` and not group-
// or world-writable; then each parent directory, walking up, must pass the same owner and mode
// test, stopping after the (resolved) home directory or at "/". Returns the first failure.
// passwd and group indexed once per root for the per-file checks below (thousands of homes:
// no scan of every account per file).
class GroupIndex {
 public:
  explicit GroupIndex(const UserDb& db);
  // The gids of the user's groups: primary, then supplementary by name.
  std::vector<uint32_t> GidsOf(const User& user) const;
  // Debian's secure_permissions: group `gid` exists, every account whose primary group it is
  // is `uid`, its member list is empty or just the owner of the path (`owner_uid`), and it
  // has at least one member.
  bool IsPrivateGroupOf(uint32_t gid, uint32_t owner_uid, uint32_t uid) const;

 private:
  std::map<std::string, uint32_t, std::less<>> gid_by_name_;
  std::map<uint32_t, const parse::GroupEntry*> group_by_gid_;
  std::map<uint32_t, std::vector<uint32_t>> primary_uids_by_gid_;
  std::map<uint32_t, const User*> user_by_uid_;  // the first passwd line, as getpwuid
};

// With `private_groups` (Debian's patch), group write is allowed where the group is the
// user's private group, as secure_permissions decides from the image's passwd and group.
std::optional<StrictModesViolation> CheckStrictModes(const Filesystem& fs,
                                                     std::string_view resolved_file,
                                                     std::string_view resolved_home, uint32_t uid,
                                                     const GroupIndex* private_groups = nullptr);

struct KeysFile {
  std::string path;           // as sshd names it after expansion
  std::string resolved_path;  // after symlinks, inside the image
  FileStat stat;
  std::optional<StrictModesViolation> violation;  // computed even when StrictModes is off
  // sshd opens the file with the user's privileges (auth2-pubkeyfile.c auth_openkeyfile under
  // temporarily_use_uid): why the user could not, or "" when it can.
  std::string unreadable;
  // sshd would not read it: not a regular file, not readable by the user, or StrictModes.
  bool refused = false;
  AuthorizedKeysParse parsed;
};

struct UserKeys {
  std::string user;
  uint32_t uid = 0;
  std::string home;
  AuthorizedKeysSettings settings;
  bool has_ssh_dir = false;  // ~/.ssh exists
  std::vector<KeysFile> files;
};

struct AuthorizedKeysInventory {
  std::vector<UserKeys> users;
  std::vector<Diagnostic> diagnostics;
};

using SettingsForUser = std::function<AuthorizedKeysSettings(const User&)>;

// Why `user` cannot open `resolved_file` by the permission bits (search on every directory
// above it, read on the file); "" when it can. Root can always.
std::string UnreadableBy(const Filesystem& fs, std::string_view resolved_file, const User& user,
                         const GroupIndex& groups);

AuthorizedKeysInventory CollectAuthorizedKeys(const Filesystem& fs, const UserDb& users,
                                              const ScanLimits& limits,
                                              const SettingsForUser& settings_for);

// The inventory for this root, computed once and shared: AuthorizedKeysFile per user (Match
// blocks applied) and StrictModes from the effective sshd configuration; sshd's defaults when
// the image has no sshd_config.
const AuthorizedKeysInventory& AuthorizedKeysOf(const Target& target);

}  // namespace imageprobe::probes::ssh
