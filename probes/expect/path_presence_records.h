// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the path presence probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kPathRecord;  // "fs/path"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 1> kPathPresenceRecords = {&kPathRecord};

}  // namespace imageprobe::probes
