// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the sshd probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kSshdOpensshRecord;           // "sshd/openssh"
extern const RecordKind kSshdSettingRecord;           // "sshd/setting"
extern const RecordKind kSshdUserSettingRecord;       // "sshd/user_setting"
extern const RecordKind kSshdConditionalMatchRecord;  // "sshd/conditional_match"
extern const RecordKind kSshdConfigFileRecord;        // "sshd/config_file"
extern const RecordKind kSshdServiceRecord;           // "sshd/service"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 6> kSshdRecords = {
    &kSshdOpensshRecord,          &kSshdSettingRecord,    &kSshdUserSettingRecord,
    &kSshdConditionalMatchRecord, &kSshdConfigFileRecord, &kSshdServiceRecord};

}  // namespace imageprobe::probes
