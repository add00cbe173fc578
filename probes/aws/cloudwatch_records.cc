// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/cloudwatch_records.h"

#include "probes/secrets/aws_credentials.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kCloudWatchConfigFileVolatile[] = {"mtime_utc"};

constexpr RecordMember kCloudWatchConfigFileMembers[] = {
    {"path", kText, "the file's guest path, under /opt/aws/amazon-cloudwatch-agent/etc"},
    {"kind", kText,
     "json config, translated toml config, otel yaml config, environment config, common "
     "config, oidc token or fetched config (file, ssm parameter, default, unknown or "
     "incomplete download)"},
    {"size", kInteger, "the file's size in bytes"},
    {"mode", kText, "the permission bits in octal (0644)"},
    {"mtime_utc", kText, "when it last changed (2026-11-23T13:06:42Z); empty when unknown"},
    {"sha256", kText,
     "the SHA-256 of its content in hex; never for the OIDC token, absent when not a regular "
     "file or unreadable",
     Presence::kOptional},
};

constexpr RecordMember kCloudWatchAgentMembers[] = {
    {"root", kText, "where the agent is installed (/opt/aws/amazon-cloudwatch-agent)"},
    {"ctl_present", kFlag, "whether bin/amazon-cloudwatch-agent-ctl is there"},
};

constexpr RecordMember kCloudWatchCommonConfigMembers[] = {
    {"path", kText, "the guest path of common-config.toml"},
    {"shared_credential_profile", kText,
     "[credentials] shared_credential_profile: the profile the agent uses; empty when unset"},
    {"shared_credential_file", kText,
     "[credentials] shared_credential_file: the credentials file it reads; empty when unset"},
    {"http_proxy", kText, "[proxy] http_proxy, any password in it redacted; empty when unset"},
    {"https_proxy", kText, "[proxy] https_proxy, any password in it redacted; empty when unset"},
    {"no_proxy", kText, "[proxy] no_proxy; empty when unset"},
    {"ca_bundle_path", kText, "[ssl] ca_bundle_path; empty when unset"},
    {"proxy_has_credentials", kFlag, "whether a proxy URL holds user:password@"},
};

// One profile of the credentials file that holds a static credential.
constexpr ValueShape kCloudWatchProfileItem = ObjectOf(kAwsProfileCredentialsMembers);

constexpr RecordMember kCloudWatchCredentialsFileMembers[] = {
    {"path", kText, "the shared_credential_file common-config.toml names, as written"},
    {"referenced_by", kText, "the common-config.toml that names it"},
    {"profile", kText, "the shared_credential_profile the agent uses; empty when unset"},
    {"exists", kFlagOrNull,
     "whether the file is there (true also when it could not be read: see the root's errors); "
     "null when the path is not absolute"},
    {"note", kText, "why the path was not resolved (not an absolute path)", Presence::kOptional},
    {"profiles", ListOf(kCloudWatchProfileItem),
     "the profiles holding static credentials, when the file was read", Presence::kOptional},
};

}  // namespace

const RecordKind kCloudWatchConfigFileRecord{
    .name = "cloudwatch/config_file",
    .key = "path",
    .description = "a CloudWatch agent configuration file",
    .members = kCloudWatchConfigFileMembers,
    .volatile_members = kCloudWatchConfigFileVolatile,
};

const RecordKind kCloudWatchAgentRecord{
    .name = "cloudwatch/agent",
    .key = "\"agent\"",
    .description = "the installed CloudWatch agent",
    .members = kCloudWatchAgentMembers,
};

const RecordKind kCloudWatchCommonConfigRecord{
    .name = "cloudwatch/common_config",
    .key = "path",
    .description = "the agent's common-config.toml (credentials, proxy)",
    .members = kCloudWatchCommonConfigMembers,
};

const RecordKind kCloudWatchCredentialsFileRecord{
    .name = "cloudwatch/credentials_file",
    .key = "path",
    .description = "a shared credentials file the agent is told to use",
    .members = kCloudWatchCredentialsFileMembers,
};

}  // namespace imageprobe::probes
