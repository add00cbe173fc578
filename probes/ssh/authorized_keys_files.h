// SPDX-License-Identifier: Apache-2.0
// Which authorized_keys files sshd would read for each user, what is in them, and whether its
// StrictModes check would refuse them. Shared through the Context (AuthorizedKeysOf) so the
// users probe (who can log in) and the authorized_keys probe read each file once.
//
// References: sshd_config(5) AuthorizedKeysFile, StrictModes; OpenSSH auth.c
// (expand_authorized_keys), misc.c (percent_expand, safe_path), auth2-pubkeyfile.c
// (auth_openfile, user_key_allowed); formats.md §6a, §6b.
//
// Until the effective sshd configuration is available, the settings are a parameter (with
// sshd's defaults) so that discovery stays a function of (filesystem, users, settings).
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/user_db.h"
#include "probes/ssh/authorized_keys.h"
#include "scanner/filesystem.h"
#include "scanner/probe.h"

namespace imageprobe::probes::ssh {

// The two sshd settings discovery depends on, for one user (Match blocks may differ per user).
struct AuthorizedKeysSettings {
  std::vector<std::string> files = {".ssh/authorized_keys", ".ssh/authorized_keys2"};
  bool strict_modes = true;
};

// AuthorizedKeysFile tokens: %h home, %u user name, %U numeric uid, %% a percent. A path that
// is still relative after expansion is taken from the home directory. Unknown tokens are an
// error (sshd treats them as fatal).
std::expected<std::string, std::string> ExpandAuthorizedKeysPath(std::string_view pattern,
                                                                 const PasswdEntry& user);

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
std::optional<StrictModesViolation> CheckStrictModes(const Filesystem& fs,
                                                     std::string_view resolved_file,
                                                     std::string_view resolved_home, uint32_t uid);

struct KeysFile {
  std::string path;           // as sshd names it after expansion
  std::string resolved_path;  // after symlinks, inside the image
  FileStat stat;
  std::optional<StrictModesViolation> violation;  // computed even when StrictModes is off
  bool refused = false;  // sshd would not read it: not a regular file, or StrictModes failure
  AuthorizedKeysParse parsed;
};

struct UserKeys {
  std::string user;
  uint32_t uid = 0;
  std::string home;
  AuthorizedKeysSettings settings;
  bool has_ssh_dir = false;  // ~/.ssh exists
  std::vector<KeysFile> files;

  bool HasAcceptedKey() const;
};

struct AuthorizedKeysInventory {
  std::vector<UserKeys> users;
  std::vector<Diagnostic> diagnostics;
};

using SettingsForUser = std::function<AuthorizedKeysSettings(const User&)>;

// Who sshd would look up keys for: root, and every account whose shell allows a login.
bool ConsidersForKeys(const User& user);

AuthorizedKeysInventory CollectAuthorizedKeys(const Filesystem& fs, const UserDb& users,
                                              const ScanLimits& limits,
                                              const SettingsForUser& settings_for);

// The inventory for this root, computed once and shared (sshd defaults for now).
const AuthorizedKeysInventory& AuthorizedKeysOf(const Target& target);

}  // namespace imageprobe::probes::ssh
