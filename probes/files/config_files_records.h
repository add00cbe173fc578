// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the config files probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kConfigFileRecord;  // "file/config"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 1> kConfigFilesRecords = {&kConfigFileRecord};

}  // namespace imageprobe::probes
