// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the cloudinit probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kCloudInitConfigFileRecord;    // "cloudinit/config_file"
extern const RecordKind kCloudInitSettingRecord;       // "cloudinit/setting"
extern const RecordKind kCloudInitDefaultUserRecord;   // "cloudinit/default_user"
extern const RecordKind kCloudInitUserRecord;          // "cloudinit/user"
extern const RecordKind kCloudInitStateRecord;         // "cloudinit/state"
extern const RecordKind kCloudInitInstanceRecord;      // "cloudinit/instance"
extern const RecordKind kCloudInitLeftoverFileRecord;  // "cloudinit/leftover_file"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 7> kCloudinitRecords = {
    &kCloudInitConfigFileRecord,  &kCloudInitSettingRecord, &kCloudInitDefaultUserRecord,
    &kCloudInitUserRecord,        &kCloudInitStateRecord,   &kCloudInitInstanceRecord,
    &kCloudInitLeftoverFileRecord};

}  // namespace imageprobe::probes
