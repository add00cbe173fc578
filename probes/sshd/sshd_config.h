// SPDX-License-Identifier: Apache-2.0
// The effective sshd configuration of one root, computed once per scan and shared by every
// probe that needs it (the sshd.config probe, authorized_keys, host keys…):
//
//   const SshdConfig& sshd = SshdConfigOf(target);
//   if (sshd.present) {
//     SshdUserSettings alice = sshd.EffectiveFor("alice", {"alice", "sudo"});
//     for (const std::string& path : sshd.AuthorizedKeysFiles("alice", {"alice"}).patterns) …
//   }
//
// How it is read: systemd's ExecStart for ssh.service/sshd.service gives the `-o` options
// (which win) and maybe `-f`; then /etc/ssh/sshd_config with its Include tree, then OpenSSH's
// defaults for what is unset. All reads go through the target's Filesystem.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/rpm_packages.h"
#include "probes/common/user_db.h"
#include "probes/sshd/openssh_build.h"
#include "probes/sshd/sshd_config_parser.h"
#include "probes/sshd/sshd_effective.h"
#include "probes/sshd/sshd_service.h"
#include "scanner/core/filesystem.h"
#include "scanner/core/model.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

inline constexpr std::string_view kSshdConfigPath = "/etc/ssh/sshd_config";

struct SshdAuthorizedKeysFiles {
  std::vector<std::string> patterns;  // as configured, tokens unexpanded; empty for "none"
  SshdOrigin origin;
};

struct SshdAuthorizedKeysCommand {
  std::vector<std::string> command;  // program and arguments as configured (tokens unexpanded)
  SshdOrigin origin;
  std::string user;  // AuthorizedKeysCommandUser, empty when unset
  SshdOrigin user_origin;
};

class SshdConfig {
 public:
  bool present = false;                 // the config file exists (sshd refuses to start without it)
  bool server_installed = false;        // /usr/sbin/sshd exists
  std::string config_path;              // /etc/ssh/sshd_config, or the unit's -f
  SshdServiceCommand service;           // what systemd runs (may be empty)
  OpensshBuild build;                   // which OpenSSH, whose compiled-in defaults apply
  std::vector<std::string> unit_files;  // unit files and drop-ins read, in order
  SshdParsedConfig parsed;
  SharedSshdSettings global;            // every keyword with a value, defaults included
  std::vector<Diagnostic> diagnostics;  // unreadable files

  // The global value, or nullptr for a keyword without one (AllowUsers unset…).
  const SshdSetting* Global(std::string_view keyword) const;
  // Global settings with the Match blocks that apply to this user copied over; blocks that
  // depend on Host/Address/LocalPort… are listed as conditional, not applied.
  SshdUserSettings EffectiveFor(std::string_view user,
                                const std::vector<std::string>& groups) const;
  SshdAuthorizedKeysFiles AuthorizedKeysFiles(std::string_view user,
                                              const std::vector<std::string>& groups) const;
  // nullopt when AuthorizedKeysCommand is "none" for this user.
  std::optional<SshdAuthorizedKeysCommand> AuthorizedKeysCommand(
      std::string_view user, const std::vector<std::string>& groups) const;
  bool StrictModes() const;  // global only: sshd does not allow it in Match
  const std::vector<std::string>& files_read() const { return parsed.files_read; }
};

// Expands one AuthorizedKeysFile pattern for a user (auth.c expand_authorized_keys): %h home,
// %u user, %U uid, %% a literal %; a relative result is taken from the home directory.
// nullopt for an unknown %-token (sshd refuses the key file then).
std::optional<std::string> ExpandAuthorizedKeysPath(std::string_view pattern, std::string_view user,
                                                    uint32_t uid, std::string_view home);

// AuthorizedKeysFile within already evaluated settings (one evaluation serves several
// questions about the same user).
SshdAuthorizedKeysFiles AuthorizedKeysFilesIn(const SshdSettings& settings);

// AuthorizedKeysCommand(+User) within already evaluated settings; nullopt for "none".
std::optional<SshdAuthorizedKeysCommand> AuthorizedKeysCommandIn(const SshdSettings& settings);

// A user whose settings differ from the global ones because Match blocks apply to them.
struct SshdUserOverride {
  const User* user = nullptr;
  SshdUserSettings settings;
};

// Every user of `users` to whom at least one Match block certainly applies, in passwd order.
// Users not listed get exactly the global settings (plus conditional blocks at most).
std::vector<SshdUserOverride> UsersWithMatchOverrides(const SshdConfig& config,
                                                      const UserDb& users);

// Builds the configuration from a Filesystem (the I/O layer; tests call it with a MemoryFs).
// `os` and `rpm` are the root's identity and rpmdb when the caller has them (SshdConfigOf passes
// the shared ones); without them CollectOpensshBuild reads os-release and the rpmdb itself.
SshdConfig CollectSshdConfig(const Filesystem& fs, const ScanLimits& limits,
                             const OsInfo* os = nullptr, const RpmDatabase* rpm = nullptr);

// The configuration of this root, built once and shared through the Context.
const SshdConfig& SshdConfigOf(const Target& target);

}  // namespace imageprobe::probes
