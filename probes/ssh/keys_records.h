// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the keys probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kHostKeyRecord;     // "ssh/host_key"
extern const RecordKind kPrivateKeyRecord;  // "ssh/private_key"
extern const RecordKind kKnownHostsRecord;  // "ssh/known_hosts"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 3> kKeysRecords = {
    &kHostKeyRecord, &kPrivateKeyRecord, &kKnownHostsRecord};

}  // namespace imageprobe::probes
