// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/cloudwatch_records.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kCloudWatchConfigFileVolatile[] = {"mtime_utc"};

}  // namespace

const RecordKind kCloudWatchConfigFileRecord{
    .name = "cloudwatch/config_file",
    .key = "path",
    .description = "a CloudWatch agent configuration file",
    .volatile_members = kCloudWatchConfigFileVolatile,
};

const RecordKind kCloudWatchAgentRecord{
    .name = "cloudwatch/agent",
    .key = "\"agent\"",
    .description = "the installed CloudWatch agent",
};

const RecordKind kCloudWatchCommonConfigRecord{
    .name = "cloudwatch/common_config",
    .key = "path",
    .description = "the agent's common-config.toml (credentials, proxy)",
};

const RecordKind kCloudWatchCredentialsFileRecord{
    .name = "cloudwatch/credentials_file",
    .key = "path",
    .description = "a shared credentials file the agent is told to use",
};

}  // namespace imageprobe::probes
