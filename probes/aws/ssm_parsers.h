// SPDX-License-Identifier: Apache-2.0
// Pure parsers for the SSM agent's on-disk state and configuration. Text in, structs out, no
// I/O; malformed input becomes an error string, never a crash. The Vault's private keys never
// leave this layer: a parsed record keeps only the key's length.
//
// References (github.com/aws/amazon-ssm-agent @1c217c8, see formats.md §1):
//   core/agent_parser.go (registration file: {"ManagedInstanceID","Region"});
//   agent/managedInstances/vault/fsvault/fsvault.go (Vault/<prefix>Manifest, Vault/Store/<key>);
//   agent/managedInstances/registration/instance_info.go (instanceInfo JSON);
//   agent/managedInstances/fingerprint/fingerprint.go (InstanceFingerprint JSON);
//   agent/appconfig/contracts.go, amazon-ssm-agent.json.template (agent configuration);
//   seelog_unix.xml (minlevel on the root <seelog> element).
// Go's encoding/json matches object keys case-insensitively, so these parsers do too.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

// Nesting deeper than this is refused before parsing (hostile input, stack depth).
inline constexpr int kMaxJsonDepth = 64;

// /var/lib/amazon/ssm/registration.
struct SsmRegistration {
  std::string managed_instance_id;
  std::string region;
  bool IsHybrid() const { return managed_instance_id.starts_with("mi-"); }
};
void to_json(nlohmann::json& j, const SsmRegistration& r);
std::expected<SsmRegistration, std::string> ParseSsmRegistration(std::string_view text);

// Vault/Manifest or Vault/EC2Manifest: key name -> data file path.
std::expected<std::map<std::string, std::string>, std::string> ParseSsmVaultManifest(
    std::string_view text);

enum class SsmIdentityState { kRegistered, kCleared, kPartial };
std::string_view SsmIdentityStateName(SsmIdentityState state);

// Vault/Store/RegistrationKey and EC2RegistrationKey (instanceInfo). privateKey is a live RSA
// private key: only its length is kept.
struct SsmInstanceInfo {
  std::string instance_id;
  std::string region;
  std::string instance_type;
  std::string availability_zone;
  size_t private_key_length = 0;
  std::string private_key_type;
  std::string private_key_created_date;
  bool public_key_present = false;
  SsmIdentityState state = SsmIdentityState::kCleared;
};
void to_json(nlohmann::json& j, const SsmInstanceInfo& info);
std::expected<SsmInstanceInfo, std::string> ParseSsmInstanceInfo(std::string_view text);

// Vault/Store/InstanceFingerprint.
struct SsmFingerprint {
  std::string fingerprint;
  std::map<std::string, std::string> hardware_hash;  // null after -clear: empty
  int64_t similarity_threshold = 0;
  bool cleared = false;  // fingerprint "" and hardwareHash null/empty
  std::optional<std::string> MachineId() const;
};
void to_json(nlohmann::json& j, const SsmFingerprint& f);
std::expected<SsmFingerprint, std::string> ParseSsmFingerprint(std::string_view text);

// seelog.xml: the level attributes of the root <seelog> element. Comments are ignored;
// attribute values may use either quote. nullopt fields were not set.
struct SeelogLevels {
  bool seelog_element_found = false;
  std::optional<std::string> minlevel;
  std::optional<std::string> maxlevel;
  std::optional<std::string> levels;  // explicit list form: levels="debug,info"
  // Why seelog would refuse these root attributes (a duplicate attribute, levels= beside both
  // minlevel= and maxlevel=, a level name it does not know), so the agent does not log by them.
  std::optional<std::string> refused;
  // True when seelog, reading these attributes, lets debug (or trace) messages through: a
  // levels= list naming either, a minlevel= of trace or debug, or no minlevel= at all (seelog's
  // minimum is then trace).
  bool VerboseLogging() const;
};
void to_json(nlohmann::json& j, const SeelogLevels& s);
SeelogLevels ParseSeelogLevels(std::string_view text);

// /etc/amazon/ssm/amazon-ssm-agent.json: only the settings that matter for security.
struct SsmCustomIdentity {
  std::string instance_id;
  std::string region;
  std::string credentials_provider;
};
struct SsmAgentConfig {
  // Non-empty endpoint and region overrides, keyed "Section.Field": "Ssm.Endpoint".
  std::map<std::string, std::string> overrides;
  std::optional<std::vector<std::string>> consumption_order;
  std::vector<SsmCustomIdentity> custom_identities;
  std::optional<bool> share_creds;
  std::optional<std::string> share_profile;
  std::optional<bool> force_update_creds;
  std::optional<bool> self_update;
  std::optional<bool> container_mode;
  std::optional<std::string> session_logs_destination;
  std::vector<std::string> problems;  // a field of the wrong type, ignored
};
void to_json(nlohmann::json& j, const SsmAgentConfig& c);
std::expected<SsmAgentConfig, std::string> ParseSsmAgentConfig(std::string_view text);

// The agent's default identity order (agent/appconfig/constants.go).
inline const std::vector<std::string> kSsmDefaultConsumptionOrder = {"OnPrem", "EC2",
                                                                     "CustomIdentity"};

}  // namespace imageprobe::probes
