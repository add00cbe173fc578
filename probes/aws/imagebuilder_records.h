// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the imagebuilder probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kImageBuilderMarkerRecord;        // "imagebuilder/marker"
extern const RecordKind kImageBuilderToeFolderRecord;     // "imagebuilder/toe_folder"
extern const RecordKind kImageBuilderCleanupStateRecord;  // "imagebuilder/cleanup_state"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 3> kImagebuilderRecords = {
    &kImageBuilderMarkerRecord, &kImageBuilderToeFolderRecord, &kImageBuilderCleanupStateRecord};

}  // namespace imageprobe::probes
