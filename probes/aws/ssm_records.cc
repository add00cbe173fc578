// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/ssm_records.h"

#include "probes/secrets/aws_credentials.h"
#include "scanner/core/diff.h"

namespace imageprobe::probes {

namespace {

// A registration baked in, removed or changed is the lift-and-shift incident: every instance
// of the image registers as (or loses) that managed instance.
void RegistrationHeadlines(KindDiff& diff, HeadlineSink& out) {
  for (const FactChange* c : diff.changes) {
    out.Add(
        HeadlineTopic::kAgentRegistrations,
        c->kind + " " + std::string(ChangeName(c->change)) + (c->key.empty() ? "" : ": " + c->key),
        false);
  }
}

constexpr std::string_view kSsmInstanceFolderVolatile[] = {"newest_mtime", "newest_mtime_utc"};

// /var/lib/amazon/ssm/registration (ssm_parsers.h SsmRegistration).
constexpr RecordMember kSsmRegistrationMembers[] = {
    {"managed_instance_id", kText, "ManagedInstanceID: the managed instance (mi-…) it names"},
    {"region", kText, "Region; empty when absent"},
    {"hybrid", kFlag, "whether the id is a hybrid (on-premises) one, starting with mi-"},
    {"path", kText, "the registration file's guest path"},
};

constexpr ValueShape kSsmManifestKeys = MapOf(kText);
constexpr RecordMember kSsmVaultManifestMembers[] = {
    {"path", kText, "the manifest's guest path (Vault/Manifest or Vault/EC2Manifest)"},
    {"keys", kSsmManifestKeys, "each vault key the manifest names, with its data file's path"},
};

// Vault/Store/RegistrationKey or EC2RegistrationKey (instanceInfo): never the key itself.
constexpr RecordMember kSsmVaultIdentityMembers[] = {
    {"instance_id", kText, "instanceID (mi-… or i-…); empty when absent"},
    {"region", kText, "region; empty when absent"},
    {"instance_type", kText, "instanceType; empty when absent"},
    {"availability_zone", kText, "availabilityZone; empty when absent"},
    {"private_key_present", kFlag, "whether privateKey has a value"},
    {"private_key_length", kInteger, "privateKey's length in bytes; 0 when none"},
    {"private_key_type", kText, "privateKeyType (Rsa); empty when absent"},
    {"private_key_created_date", kText, "privateKeyCreatedDate as written; empty when absent"},
    {"public_key_present", kFlag, "whether publicKey has a value"},
    {"state", kText,
     "registered (private key, region and instance id set), cleared (all empty) or partial"},
    {"path", kText, "the data file read (Vault/Store/<key>, or the path a manifest names)"},
};

// Vault/Store/InstanceFingerprint; the machine-id members only when hardwareHash holds one.
constexpr RecordMember kSsmFingerprintMembers[] = {
    {"fingerprint", kText, "the fingerprint (a UUID); empty once cleared"},
    {"hardware_hash_keys", kTextList, "the names in hardwareHash (machine-id, hostname-info…)"},
    {"similarity_threshold", kInteger, "similarityThreshold; 0 when absent"},
    {"cleared", kFlag, "whether the fingerprint is empty and hardwareHash null or empty"},
    {"machine_id", kText, "hardwareHash's machine-id, redacted (fedc…3210)", Presence::kOptional},
    {"hostname_info", kText, "hardwareHash's hostname-info: the source machine's name",
     Presence::kOptional},
    {"ipaddress_info", kText, "hardwareHash's ipaddress-info: the source machine's address",
     Presence::kOptional},
    {"path", kText, "the fingerprint file's guest path"},
    {"image_machine_id", kText,
     "the image's own machine-id, redacted; empty when the image has none", Presence::kOptional},
    {"image_machine_id_path", kText,
     "/etc/machine-id or /var/lib/dbus/machine-id; empty when neither was read",
     Presence::kOptional},
    {"machine_id_matches_image", kFlag,
     "whether the recorded machine-id equals the image's (clones pass the similarity check)",
     Presence::kOptional},
    {"service_rejects_new_fingerprint_confidence", kText,
     "unconfirmed: that the service refuses the old identity on a new fingerprint is inferred",
     Presence::kOptional},
};

constexpr RecordMember kSsmVaultStoreMembers[] = {
    {"path", kText, "the store's guest path (/var/lib/amazon/ssm/Vault/Store)"},
    {"keys", kTextList, "the file names in it (RegistrationKey, InstanceFingerprint…)"},
};

constexpr RecordMember kSsmInstanceFolderMembers[] = {
    {"id", kText, "the instance id the folder is named after (i-… or mi-…)"},
    {"path", kText, "the folder's guest path"},
    {"newest_mtime", kInteger, "the newest change in it, in seconds since the epoch"},
    {"newest_mtime_utc", kText, "the same as 2023-11-14T22:13:20Z; empty when 0"},
    {"entries", kInteger, "the files and directories walked"},
    {"truncated", kFlag, "whether the walk stopped at its bound (entries or depth)"},
    {"top_level", kTextList, "the names directly in the folder (document, channels…)"},
};

// seelog.xml: the level attributes of its root <seelog> element, each only when set.
constexpr RecordMember kSsmSeelogMembers[] = {
    {"seelog_element_found", kFlag, "whether the file has a <seelog> element"},
    {"verbose", kFlag, "whether seelog lets debug or trace messages through"},
    {"minlevel", kText, "minlevel=, as written", Presence::kOptional},
    {"maxlevel", kText, "maxlevel=, as written", Presence::kOptional},
    {"levels", kText, "levels=: the explicit list (debug,info), as written", Presence::kOptional},
    {"refused", kText, "why seelog would refuse the file or these attributes", Presence::kOptional},
    {"path", kText, "the seelog.xml's guest path"},
};

constexpr ValueShape kSsmConfigOverrides = MapOf(kText);
constexpr RecordMember kSsmCustomIdentityMembers[] = {
    {"instance_id", kText, "InstanceID; empty when absent"},
    {"region", kText, "Region; empty when absent"},
    {"credentials_provider", kText, "CredentialsProvider; empty when absent"},
};
constexpr ValueShape kSsmCustomIdentityItem = ObjectOf(kSsmCustomIdentityMembers);

// amazon-ssm-agent.json: the security-relevant settings, each only when set with its type.
constexpr RecordMember kSsmConfigMembers[] = {
    {"overrides", kSsmConfigOverrides,
     "the non-empty endpoint and region overrides, by setting (Ssm.Endpoint, Mgs.Region…)"},
    {"identity_consumption_order", kTextList, "Identity.ConsumptionOrder (OnPrem, EC2…)",
     Presence::kOptional},
    {"custom_identities", ListOf(kSsmCustomIdentityItem), "Identity.CustomIdentities"},
    {"profile_share_creds", kFlag, "Profile.ShareCreds", Presence::kOptional},
    {"profile_share_profile", kText, "Profile.ShareProfile", Presence::kOptional},
    {"profile_force_update_creds", kFlag, "Profile.ForceUpdateCreds", Presence::kOptional},
    {"agent_self_update", kFlag, "Agent.SelfUpdate", Presence::kOptional},
    {"agent_container_mode", kFlag, "Agent.ContainerMode", Presence::kOptional},
    {"ssm_session_logs_destination", kText, "Ssm.SessionLogsDestination", Presence::kOptional},
    {"problems", kTextList, "the fields of the wrong type, ignored (Profile is not an object)",
     Presence::kOptional},
    {"path", kText, "the configuration file's guest path"},
    {"deliberate_on_rpm", kFlag,
     "whether the agent is an rpm install: the rpm ships only the .template, so this file was "
     "put in place on purpose"},
};

// One profile of /var/lib/amazon/ssm/credentials holding a static credential.
constexpr RecordMember kSsmCredentialsProfileWhere[] = {
    {"path", kText, "the credentials file's guest path"},
    {"writer_confidence", kText, "unconfirmed: which agent code writes the file is not known"},
};
constexpr auto kSsmCredentialsProfileMembers =
    JoinMembers(kAwsProfileCredentialsMembers, kSsmCredentialsProfileWhere);

constexpr RecordMember kSsmSessionManagerMembers[] = {
    {"user_exists", kFlag, "whether the ssm-user account exists"},
    {"sudoers_file_present", kFlag, "whether /etc/sudoers.d/ssm-agent-users exists"},
    {"sudoers_file", kText, "the sudoers drop-in's path (/etc/sudoers.d/ssm-agent-users)"},
};

constexpr RecordMember kSsmAgentMembers[] = {
    {"installed", kFlag, "whether the agent is installed (any packaging found)"},
    {"packaging", kText, "deb, rpm, snap or binary (only the binary); empty when not installed"},
    {"unit_name", kText, "the systemd unit's name; empty for a bare binary or none"},
    {"unit_path", kText,
     "the unit's (or upstart job's) guest path, its usual place when none was found; empty for "
     "a bare binary or none"},
    {"enabled", kFlag, "whether a .wants symlink enables the unit and it is not masked"},
    {"masked", kFlag, "whether the unit is masked (linked to /dev/null)"},
    {"wanted_by", kTextList, "the .wants symlinks found, full guest paths"},
    {"version", kText, "the installed version (or \"snap revision N\"); empty when unknown"},
    {"version_source", kText,
     "where the version came from, or unknown (why); empty when not installed"},
    {"unit_path_confidence", kText, "unconfirmed, for the snap unit's path (a snapd convention)",
     Presence::kOptional},
};

}  // namespace

const RecordKind kSsmRegistrationRecord{
    .name = "ssm/registration",
    .key = "\"registration\"",
    .description =
        "the SSM agent's registration file: a managed-instance identity baked into the image",
    .members = kSsmRegistrationMembers,
    .headlines = RegistrationHeadlines,
};

const RecordKind kSsmVaultManifestRecord{
    .name = "ssm/vault_manifest",
    .key = "the manifest name",
    .description = "an entry of the agent's vault manifest",
    .members = kSsmVaultManifestMembers,
};

const RecordKind kSsmVaultIdentityRecord{
    .name = "ssm/vault_identity",
    .key = "the vault key",
    .description = "an identity the agent keeps in its vault",
    .members = kSsmVaultIdentityMembers,
};

const RecordKind kSsmFingerprintRecord{
    .name = "ssm/fingerprint",
    .key = "\"InstanceFingerprint\"",
    .description = "the agent's hardware fingerprint of the machine it ran on",
    .members = kSsmFingerprintMembers,
};

const RecordKind kSsmVaultStoreRecord{
    .name = "ssm/vault_store",
    .key = "\"Store\"",
    .description = "the agent's vault folder (Vault/Store) and the entries it holds",
    .members = kSsmVaultStoreMembers,
};

const RecordKind kSsmInstanceFolderRecord{
    .name = "ssm/instance_folder",
    .key = "the instance id",
    .description = "a per-instance state folder the agent left behind",
    .members = kSsmInstanceFolderMembers,
    .volatile_members = kSsmInstanceFolderVolatile,
};

const RecordKind kSsmSeelogRecord{
    .name = "ssm/seelog",
    .key = "path",
    .description = "the agent's seelog logging configuration",
    .members = kSsmSeelogMembers,
};

const RecordKind kSsmConfigRecord{
    .name = "ssm/config",
    .key = "path",
    .description = "the agent's amazon-ssm-agent.json",
    .members = kSsmConfigMembers,
};

const RecordKind kSsmCredentialsProfileRecord{
    .name = "ssm/credentials_profile",
    .key = "the profile name",
    .description = "an AWS credentials profile the agent may use",
    .members = kSsmCredentialsProfileMembers,
};

const RecordKind kSsmSessionManagerRecord{
    .name = "ssm/session_manager",
    .key = "\"ssm-user\"",
    .description = "Session Manager's ssm-user account and its sudoers entry",
    .members = kSsmSessionManagerMembers,
};

const RecordKind kSsmAgentRecord{
    .name = "ssm/agent",
    .key = "\"agent\"",
    .description = "the installed SSM agent (package, binaries, service)",
    .members = kSsmAgentMembers,
};

}  // namespace imageprobe::probes
