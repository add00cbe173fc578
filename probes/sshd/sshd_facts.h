// SPDX-License-Identifier: Apache-2.0
// Facts of the sshd.config probe, typed, with their JSON next to them.
//   sshd/setting       key "PermitRootLogin"            the global effective value
//   sshd/user_setting  key "alice|PasswordAuthentication" where a Match block changes it
//   sshd/conditional_match key "<file>|<criteria>"      blocks that depend on Host/Address…
//   sshd/config_file   key "<path>"                      every file sshd reads, with mode/owner
//   sshd/service       key "command"                     the ExecStart that starts sshd
//   sshd/openssh       key "sshd"                        the OpenSSH version, whose defaults apply
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "probes/common/user_db.h"
#include "probes/sshd/sshd_config.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

struct SshdSettingFact {
  std::string keyword;
  // The effective value as `sshd -T` prints it (sshd_canonical.h): times in seconds,
  // algorithm lists assembled; otherwise the arguments joined with " ".
  std::string value;
  std::string configured;            // as written (arguments joined), only when it differs
  std::vector<std::string> origins;  // one per contributing line: "file:line", "default"…
  bool is_default = false;
  std::string user;                       // sshd/user_setting only
  std::vector<std::string> match_blocks;  // sshd/user_setting: "file:line Match criteria"
};
void to_json(nlohmann::json& json, const SshdSettingFact& fact);

// Which sshd the image has (openssh_build.h) and which defaults table was applied.
struct SshdOpensshFact {
  std::string version;          // "9.2p1"; empty when unknown
  std::string package_version;  // "1:9.2p1-2+deb12u3"
  std::string source;           // "/var/lib/dpkg/status", the rpmdb, "/usr/sbin/sshd", or ""
  std::string family;           // "debian", "redhat", "upstream"
  std::string defaults;         // "OpenSSH 9.2", "OpenSSH 10.3 (version unknown: newest table)"
};
SshdOpensshFact OpensshFactOf(const OpensshBuild& build);
void to_json(nlohmann::json& json, const SshdOpensshFact& fact);

struct SshdConditionalMatchFact {
  std::string file;
  uint32_t line = 0;
  std::string criteria;
  std::vector<std::string> settings;  // "Keyword value" lines inside the block
};
void to_json(nlohmann::json& json, const SshdConditionalMatchFact& fact);

struct SshdConfigFileFact {
  std::string path;
  uint32_t mode = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
};
void to_json(nlohmann::json& json, const SshdConfigFileFact& fact);

struct SshdServiceFact {
  std::string exec_start;
  std::string file;
  std::vector<std::string> options;  // the -o/-p/-h options, in order
  std::string config_file;           // -f
  std::vector<std::string> unit_files;
};
void to_json(nlohmann::json& json, const SshdServiceFact& fact);

// Settings as facts: global, per user where a Match block changes the value, conditional
// blocks, files read, the systemd command.
void CollectSshdFacts(const SshdConfig& config, const std::vector<SshdUserOverride>& overrides,
                      const Filesystem& fs, Output& out);

}  // namespace imageprobe::probes
