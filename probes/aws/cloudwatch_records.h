// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the cloudwatch probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kCloudWatchConfigFileRecord;       // "cloudwatch/config_file"
extern const RecordKind kCloudWatchAgentRecord;            // "cloudwatch/agent"
extern const RecordKind kCloudWatchCommonConfigRecord;     // "cloudwatch/common_config"
extern const RecordKind kCloudWatchCredentialsFileRecord;  // "cloudwatch/credentials_file"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 4> kCloudwatchRecords = {
    &kCloudWatchConfigFileRecord, &kCloudWatchAgentRecord, &kCloudWatchCommonConfigRecord,
    &kCloudWatchCredentialsFileRecord};

}  // namespace imageprobe::probes
