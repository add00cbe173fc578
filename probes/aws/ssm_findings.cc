// SPDX-License-Identifier: Apache-2.0
// References (github.com/aws/amazon-ssm-agent @1c217c8; details in formats.md §1):
//   core/agent_parser.go (registration file written by -register; -clear keeps it);
//   agent/managedInstances/registration/instance_info.go (RegistrationKey, EC2RegistrationKey);
//   agent/managedInstances/fingerprint/fingerprint.go, hardwareInfo_unix.go (machine-id check);
//   agent/appconfig/constants.go (DefaultIdentityConsumptionOrder OnPrem, EC2, CustomIdentity);
//   agent/session/utility/utility_unix.go (ssm-user, /etc/sudoers.d/ssm-agent-users).
#include "probes/aws/ssm_findings.h"

#include <algorithm>
#include <array>

#include "probes/common/optional_read.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

constexpr RuleInfo kRegistrationPresent{
    "ssm.registration.present", Severity::kCritical,
    "Hybrid (on-premises) SSM registration baked into the image",
    "The registration file names a managed instance (mi-…). Every machine started from this "
    "image will try to act as that one managed node: the agent tries the OnPrem identity first.",
    "Run `amazon-ssm-agent -register -clear` (or delete /var/lib/amazon/ssm/registration and "
    "the Vault) before capturing the image, and register each clone with its own activation."};
constexpr RuleInfo kVaultRegistrationKey{
    "ssm.vault.registration_key", Severity::kCritical,
    "Live private key of a hybrid SSM managed node in the Vault",
    "Vault/Store/RegistrationKey holds the on-premises identity with its RSA private key in "
    "plain JSON. Anyone with the image can impersonate that managed node.",
    "Clear the registration (`amazon-ssm-agent -register -clear`), deregister the managed "
    "instance in Systems Manager, and rebuild the image."};
constexpr RuleInfo kVaultEc2RegistrationKey{
    "ssm.vault.ec2_registration_key", Severity::kCritical,
    "Private key of an EC2 SSM identity in the Vault",
    "Vault/Store/EC2RegistrationKey holds the build instance's EC2 identity key pair in plain "
    "JSON; it is live for as long as that identity is registered.",
    "Stop the agent and delete /var/lib/amazon/ssm/Vault before capturing the image."};
constexpr RuleInfo kMachineIdReused{
    "ssm.fingerprint.machine_id_reused", Severity::kHigh,
    "SSM fingerprint machine-id equals the image's machine-id",
    "The agent treats a machine with the recorded machine-id as the same machine, so every "
    "clone passes the similarity check and shares the registered identity.",
    "Empty /etc/machine-id and clear the SSM registration before capturing the image."};
constexpr RuleInfo kMachineIdMismatch{
    "ssm.fingerprint.machine_id_mismatch", Severity::kMedium,
    "SSM fingerprint was recorded on another machine",
    "The InstanceFingerprint machine-id differs from the image's /etc/machine-id: the SSM "
    "state was copied from another machine (lift-and-shift or clone). The agent will compute a "
    "new fingerprint; that the service then refuses the old identity is an inference "
    "(unconfirmed).",
    "Clear the SSM registration and re-register the machine with its own activation."};
constexpr RuleInfo kInstanceFolder{
    "ssm.instance_folder.leftover", Severity::kLow, "SSM per-instance state left in the image",
    "A folder named after an instance id holds command documents, outputs, association and "
    "session state of the machine the image was taken from.",
    "Delete /var/lib/amazon/ssm/<id>/ folders before capturing the image."};
constexpr RuleInfo kDebugLogging{
    "ssm.seelog.debug", Severity::kLow, "SSM agent logs at debug or trace level",
    "Verbose agent logs grow quickly and can record command parameters and session details.",
    "Set minlevel=\"info\" on the <seelog> element of /etc/amazon/ssm/seelog.xml."};
constexpr RuleInfo kEndpointOverride{
    "ssm.config.endpoint_override", Severity::kMedium, "SSM agent endpoints or regions overridden",
    "amazon-ssm-agent.json sends agent traffic to configured endpoints instead of the regional "
    "defaults; an unexpected endpoint can redirect commands and credentials.",
    "Check every override against your VPC endpoints; remove the ones you did not set."};
constexpr RuleInfo kIdentityOverride{
    "ssm.config.identity_override", Severity::kLow,
    "SSM agent identity order or custom identities changed",
    "Identity.ConsumptionOrder or Identity.CustomIdentities decide which credentials the agent "
    "uses; a non-default order can make clones prefer a baked identity.",
    "Keep the default order (OnPrem, EC2, CustomIdentity) unless you know why it differs."};
constexpr RuleInfo kCredentialsLongTerm{
    "ssm.credentials_file.long_term_key", Severity::kCritical,
    "Long-term AWS access key in the SSM agent credentials file",
    "/var/lib/amazon/ssm/credentials holds an AKIA key with its secret.",
    "Delete the file, and deactivate and rotate the key in IAM."};
constexpr RuleInfo kCredentialsTemporary{
    "ssm.credentials_file.temporary_key", Severity::kHigh,
    "Temporary AWS credentials in the SSM agent credentials file",
    "/var/lib/amazon/ssm/credentials holds an ASIA key: role credentials of the source machine, "
    "valid until they expire.",
    "Delete the file before capturing the image."};
constexpr RuleInfo kCredentialsOther{
    "ssm.credentials_file.secret", Severity::kHigh, "AWS secret in the SSM agent credentials file",
    "/var/lib/amazon/ssm/credentials holds a secret access key with no recognised key id.",
    "Delete the file before capturing the image."};
constexpr RuleInfo kSessionManagerSudoers{
    "ssm.session_manager.sudoers", Severity::kMedium,
    "Session Manager's ssm-user sudoers file left in the image",
    "/etc/sudoers.d/ssm-agent-users gives ssm-user passwordless sudo for everything; it exists "
    "because Session Manager was used on the build machine.",
    "Remove /etc/sudoers.d/ssm-agent-users (and ssm-user) unless the image needs them."};

constexpr std::array kRules = {
    kRegistrationPresent,  kVaultRegistrationKey, kVaultEc2RegistrationKey,
    kMachineIdReused,      kMachineIdMismatch,    kInstanceFolder,
    kDebugLogging,         kEndpointOverride,     kIdentityOverride,
    kCredentialsLongTerm,  kCredentialsTemporary, kCredentialsOther,
    kSessionManagerSudoers};

const SsmVaultRecord* FindIdentity(const SsmState& state, std::string_view key) {
  for (const auto& record : state.identities) {
    if (record.key == key) return &record;
  }
  return nullptr;
}

void RaiseRegistration(const SsmRegistration& reg, const SsmVaultRecord* onprem, Output& out) {
  Finding f;
  f.path = std::string(kSsmDataDir) + "/registration";
  f.evidence = "ManagedInstanceID " + reg.managed_instance_id + ", Region " + reg.region;
  Severity severity = kRegistrationPresent.severity;
  if (!reg.IsHybrid()) {
    severity = Severity::kHigh;
    f.evidence += " (not an mi- id)";
  }
  if (onprem && onprem->info.state == SsmIdentityState::kCleared) {
    // -clear empties the Vault record but leaves this file; nothing reads it back, so
    // the identity is gone and only the stale name remains.
    severity = Severity::kMedium;
    f.title = "Stale SSM registration file (the Vault registration is cleared)";
    f.evidence += "; Vault RegistrationKey is cleared, and the agent never reads this file";
  } else if (onprem && onprem->info.state == SsmIdentityState::kRegistered) {
    f.evidence += "; Vault RegistrationKey is populated (" + onprem->info.instance_id + ")";
  } else if (!onprem) {
    f.evidence += "; no Vault RegistrationKey was found";
  }
  out.Raise(kRegistrationPresent, severity, std::move(f));
}

// A Vault identity whose private key is there (never the key in the evidence, not even
// redacted: only that it is there and how long it is).
void RaiseVaultPrivateKey(const SsmVaultRecord& record, const RuleInfo& rule, Output& out) {
  const SsmInstanceInfo& info = record.info;
  if (info.private_key_length == 0) return;
  Finding f;
  f.path = record.path;
  f.evidence = "privateKey present (" + std::to_string(info.private_key_length) +
               " bytes); instanceID " + (info.instance_id.empty() ? "(empty)" : info.instance_id) +
               ", region " + (info.region.empty() ? "(empty)" : info.region) + ", state " +
               std::string(SsmIdentityStateName(info.state));
  if (!info.private_key_created_date.empty()) {
    f.evidence += ", created " + info.private_key_created_date;
  }
  out.Raise(rule, std::move(f), info.instance_id);
}

// The fingerprint's machine-id against the image's: equal (clones pass the agent's similarity
// check) matters while the on-premises identity is registered; different means the state came
// from another machine.
void RaiseFingerprintMachineId(const SsmState& state, bool onprem_registered, Output& out) {
  if (!state.fingerprint) return;
  auto fingerprint_id = state.fingerprint->MachineId();
  std::string recorded = fingerprint_id ? std::string(parse::TrimWhitespace(*fingerprint_id)) : "";
  if (recorded.empty() || state.image_machine_id.empty()) return;
  Finding f;
  f.path = std::string(kSsmVaultDir) + "/Store/InstanceFingerprint";
  if (recorded != state.image_machine_id) {
    f.evidence = "hardwareHash machine-id " + RedactSecret(recorded) + " but " +
                 state.image_machine_id_path + " is " + RedactSecret(state.image_machine_id);
    out.Raise(kMachineIdMismatch, std::move(f), "machine-id");
  } else if (onprem_registered) {
    f.evidence = "hardwareHash machine-id " + RedactSecret(recorded) + " equals " +
                 state.image_machine_id_path + "; RegistrationKey is populated";
    out.Raise(kMachineIdReused, std::move(f), "machine-id");
  }
}

// Ids the image claims as its own (registration, then Vault identities, each once): a folder
// named otherwise came from another machine.
std::vector<std::string> OwnInstanceIds(const SsmState& state) {
  std::vector<std::string> ids;
  if (state.registration) ids.push_back(state.registration->managed_instance_id);
  for (const auto& record : state.identities) {
    const std::string& id = record.info.instance_id;
    if (!id.empty() && std::ranges::find(ids, id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

void RaiseInstanceFolder(const SsmInstanceFolder& folder, std::span<const std::string> own_ids,
                         Output& out) {
  Finding f;
  f.path = folder.path;
  f.evidence = "folder " + folder.id + ", " + std::to_string(folder.entries) +
               (folder.truncated ? "+" : "") + " entries, newest change " +
               FormatUtc(folder.newest_mtime);
  if (!folder.top_level.empty()) f.evidence += ", holds " + parse::Join(folder.top_level, ", ");
  bool own = std::ranges::find(own_ids, folder.id) != own_ids.end();
  Severity severity = kInstanceFolder.severity;
  if (!own_ids.empty() && !own) {
    severity = Severity::kMedium;
    f.title = "SSM state of another instance (" + folder.id + ") left in the image";
    f.evidence += "; the image's SSM identity is " + parse::Join(own_ids, ", ");
  }
  out.Raise(kInstanceFolder, severity, std::move(f), folder.id);
}

void RaiseVerboseLogging(const SsmState& state, Output& out) {
  if (!state.seelog || !state.seelog->VerboseLogging()) return;
  Finding f;
  f.path = state.seelog_path;
  f.evidence = state.seelog->levels ? "levels=\"" + *state.seelog->levels + "\""
                                    : "minlevel=\"" + state.seelog->minlevel.value_or("") + "\"";
  out.Raise(kDebugLogging, std::move(f), "minlevel");
}

// amazon-ssm-agent.json: endpoint overrides, then a changed identity order, then custom
// identities.
void RaiseConfigOverrides(const SsmAgentConfig& config, const std::string& path, Output& out) {
  for (const auto& [setting, value] : config.overrides) {
    Finding f;
    f.path = path;
    f.evidence = setting + " = " + value;
    out.Raise(kEndpointOverride, std::move(f), setting);
  }
  if (config.consumption_order && *config.consumption_order != kSsmDefaultConsumptionOrder) {
    Finding f;
    f.path = path;
    f.evidence = "Identity.ConsumptionOrder = [" + parse::Join(*config.consumption_order, ", ") +
                 "] (default OnPrem, EC2, CustomIdentity)";
    out.Raise(kIdentityOverride, std::move(f), "ConsumptionOrder");
  }
  if (!config.custom_identities.empty()) {
    std::vector<std::string> ids;
    for (const auto& id : config.custom_identities) {
      ids.push_back((id.instance_id.empty() ? "(no id)" : id.instance_id) + " via " +
                    (id.credentials_provider.empty() ? "(no provider)" : id.credentials_provider));
    }
    Finding f;
    f.path = path;
    f.evidence = "Identity.CustomIdentities: " + parse::Join(ids, "; ");
    out.Raise(kIdentityOverride, std::move(f), "CustomIdentities");
  }
}

void RaiseSessionManagerSudoers(const SsmState& state, Output& out) {
  if (!state.ssm_user_sudoers) return;
  Finding f;
  f.path = "/etc/sudoers.d/ssm-agent-users";
  f.user = "ssm-user";
  f.evidence = std::string("sudoers drop-in present") +
               (state.ssm_user_exists ? "; ssm-user exists in /etc/passwd" : "");
  out.Raise(kSessionManagerSudoers, std::move(f));
}

}  // namespace

std::span<const RuleInfo> SsmAgentRules() { return kRules; }

void EvaluateSsmState(const SsmState& state, Output& out) {
  const SsmVaultRecord* onprem = FindIdentity(state, "RegistrationKey");
  const SsmVaultRecord* ec2 = FindIdentity(state, "EC2RegistrationKey");
  bool onprem_registered = onprem && onprem->info.state == SsmIdentityState::kRegistered;

  if (state.registration) RaiseRegistration(*state.registration, onprem, out);
  if (onprem) RaiseVaultPrivateKey(*onprem, kVaultRegistrationKey, out);
  if (ec2) RaiseVaultPrivateKey(*ec2, kVaultEc2RegistrationKey, out);
  RaiseFingerprintMachineId(state, onprem_registered, out);
  const std::vector<std::string> own_ids = OwnInstanceIds(state);
  for (const auto& folder : state.instance_folders) RaiseInstanceFolder(folder, own_ids, out);
  RaiseVerboseLogging(state, out);
  if (state.config) RaiseConfigOverrides(*state.config, state.config_path, out);
  RaiseAwsCredentialFindings(state.shared_credentials, std::string(kSsmDataDir) + "/credentials",
                             "", "SSM agent shared credentials file",
                             {kCredentialsLongTerm, kCredentialsTemporary, kCredentialsOther}, out);
  RaiseSessionManagerSudoers(state, out);
}

}  // namespace imageprobe::probes
