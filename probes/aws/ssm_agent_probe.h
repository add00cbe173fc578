// SPDX-License-Identifier: Apache-2.0
// The SSM agent probe ("aws.ssm_agent"): how the agent is installed, and what identity, state
// and configuration a build or source machine left in the image. Collect (filesystem -> state,
// here) and Evaluate (state -> findings, ssm_findings.h) are separate so each can be tested on
// its own.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/aws/ssm_parsers.h"
#include "probes/aws/ssm_records.h"
#include "probes/secrets/aws_credentials.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

// Where the agent keeps its state and configuration (agent/appconfig/constants_unix.go).
inline constexpr std::string_view kSsmDataDir = "/var/lib/amazon/ssm";
inline constexpr std::string_view kSsmVaultDir = "/var/lib/amazon/ssm/Vault";
inline constexpr std::string_view kSsmConfigDir = "/etc/amazon/ssm";

struct SsmInstall {
  bool installed = false;
  std::string packaging;  // "deb", "rpm", "snap", "binary" (only /usr/bin/amazon-ssm-agent)
  std::string unit_name;
  std::string unit_path;
  bool enabled = false;
  bool masked = false;
  std::vector<std::string> wanted_by;
  std::string version;         // empty when unknown
  std::string version_source;  // where the version came from, or why it is unknown
};
void to_json(nlohmann::json& j, const SsmInstall& install);

struct SsmInstanceFolder {
  std::string id;  // "i-0abc…" or "mi-0abc…"
  std::string path;
  int64_t newest_mtime = 0;
  uint32_t entries = 0;                // files and directories walked
  bool truncated = false;              // the walk stopped at its bound
  std::vector<std::string> top_level;  // "document", "channels", …
};
void to_json(nlohmann::json& j, const SsmInstanceFolder& folder);

struct SsmVaultRecord {
  std::string key;   // "RegistrationKey", "EC2RegistrationKey"
  std::string path;  // the data file read
  SsmInstanceInfo info;
};

struct SsmState {
  SsmInstall install;
  bool data_dir_present = false;
  bool config_dir_present = false;

  std::optional<SsmRegistration> registration;
  std::map<std::string, std::map<std::string, std::string>> manifests;  // "Manifest" -> keys
  std::vector<SsmVaultRecord> identities;
  std::optional<SsmFingerprint> fingerprint;
  std::string image_machine_id;  // trimmed; empty when missing or empty
  std::string image_machine_id_path;
  std::vector<std::string> store_keys;  // file names under Vault/Store

  std::vector<SsmInstanceFolder> instance_folders;
  std::optional<SeelogLevels> seelog;
  std::string seelog_path;
  std::optional<SsmAgentConfig> config;
  std::string config_path;
  std::vector<AwsProfileCredentials> shared_credentials;  // /var/lib/amazon/ssm/credentials
  bool credentials_file_present = false;
  bool ssm_user_sudoers = false;  // /etc/sudoers.d/ssm-agent-users
  bool ssm_user_exists = false;
};

// Reads everything (facts are added as it goes); unreadable files become out.Error.
SsmState CollectSsmState(const Target& target, Output& out);

class SsmAgentProbe final : public Probe {
 public:
  std::string_view name() const override { return "aws.ssm_agent"; }
  std::string_view description() const override {
    return "AWS SSM agent: installation (deb, rpm, snap), baked registration and Vault keys, "
           "instance folders, configuration and seelog";
  }
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override { return kSsmRecords; }
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
