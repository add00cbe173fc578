// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/ssm_records.h"

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

}  // namespace

const RecordKind kSsmRegistrationRecord{
    .name = "ssm/registration",
    .key = "\"registration\"",
    .description =
        "the SSM agent's registration file: a managed-instance identity baked into the image",
    .headlines = RegistrationHeadlines,
};

const RecordKind kSsmVaultManifestRecord{
    .name = "ssm/vault_manifest",
    .key = "the manifest name",
    .description = "an entry of the agent's vault manifest",
};

const RecordKind kSsmVaultIdentityRecord{
    .name = "ssm/vault_identity",
    .key = "the vault key",
    .description = "an identity the agent keeps in its vault",
};

const RecordKind kSsmFingerprintRecord{
    .name = "ssm/fingerprint",
    .key = "\"InstanceFingerprint\"",
    .description = "the agent's hardware fingerprint of the machine it ran on",
};

const RecordKind kSsmVaultStoreRecord{
    .name = "ssm/vault_store",
    .key = "\"Store\"",
    .description = "the agent's encrypted vault store",
};

const RecordKind kSsmInstanceFolderRecord{
    .name = "ssm/instance_folder",
    .key = "the instance id",
    .description = "a per-instance state folder the agent left behind",
    .volatile_members = kSsmInstanceFolderVolatile,
};

const RecordKind kSsmSeelogRecord{
    .name = "ssm/seelog",
    .key = "path",
    .description = "the agent's seelog logging configuration",
};

const RecordKind kSsmConfigRecord{
    .name = "ssm/config",
    .key = "path",
    .description = "the agent's amazon-ssm-agent.json",
};

const RecordKind kSsmCredentialsProfileRecord{
    .name = "ssm/credentials_profile",
    .key = "the profile name",
    .description = "an AWS credentials profile the agent may use",
};

const RecordKind kSsmSessionManagerRecord{
    .name = "ssm/session_manager",
    .key = "\"ssm-user\"",
    .description = "Session Manager's ssm-user account and its sudoers entry",
};

const RecordKind kSsmAgentRecord{
    .name = "ssm/agent",
    .key = "\"agent\"",
    .description = "the installed SSM agent (package, binaries, service)",
};

}  // namespace imageprobe::probes
