// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the secrets probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kAwsFileRecord;         // "secrets/aws_file"
extern const RecordKind kAwsProfileRecord;      // "secrets/aws_profile"
extern const RecordKind kShellHistoryRecord;    // "secrets/shell_history"
extern const RecordKind kPrivateKeyUseRecord;   // "secrets/private_key_use"
extern const RecordKind kSecretsSummaryRecord;  // "secrets/summary"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 5> kSecretsRecords = {
    &kAwsFileRecord, &kAwsProfileRecord, &kShellHistoryRecord, &kPrivateKeyUseRecord,
    &kSecretsSummaryRecord};

}  // namespace imageprobe::probes
