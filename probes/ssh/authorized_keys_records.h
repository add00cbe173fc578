// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the authorized keys probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kAuthorizedKeysFileRecord;  // "ssh/authorized_keys_file"
extern const RecordKind kAuthorizedKeyRecord;       // "ssh/authorized_key"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 2> kAuthorizedKeysRecords = {
    &kAuthorizedKeysFileRecord, &kAuthorizedKeyRecord};

}  // namespace imageprobe::probes
