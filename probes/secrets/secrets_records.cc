// SPDX-License-Identifier: Apache-2.0
#include "probes/secrets/secrets_records.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kPrivateKeyUseVolatile[] = {"line"};

}  // namespace

const RecordKind kAwsFileRecord{
    .name = "secrets/aws_file",
    .key = "path",
    .description = "an AWS credentials or config file in a home",
};

const RecordKind kAwsProfileRecord{
    .name = "secrets/aws_profile",
    .key = "path|profile",
    .description = "a profile of such a file and whether it holds a key (redacted)",
};

const RecordKind kShellHistoryRecord{
    .name = "secrets/shell_history",
    .key = "path",
    .description = "a shell history file and what it exposes (redacted)",
};

const RecordKind kPrivateKeyUseRecord{
    .name = "secrets/private_key_use",
    .key = "the private key's path",
    .description = "a private key and the accounts and hosts it opens",
    .volatile_members = kPrivateKeyUseVolatile,
};

const RecordKind kSecretsSummaryRecord{
    .name = "secrets/summary",
    .key = "\"summary\"",
    .description = "how many secrets of each kind the image holds",
};

}  // namespace imageprobe::probes
