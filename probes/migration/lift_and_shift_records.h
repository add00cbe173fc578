// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the lift and shift probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kVmwareToolsRecord;       // "migration/vmware_tools"
extern const RecordKind kNetworkInterfaceRecord;  // "migration/network_interface"
extern const RecordKind kUdevNetRuleRecord;       // "migration/udev_net_rule"
extern const RecordKind kFstabEntryRecord;        // "migration/fstab_entry"
extern const RecordKind kKernelModulesRecord;     // "migration/kernel_modules"
extern const RecordKind kKernelRecord;            // "migration/kernel"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 6> kLiftAndShiftRecords = {
    &kVmwareToolsRecord, &kNetworkInterfaceRecord, &kUdevNetRuleRecord,
    &kFstabEntryRecord,  &kKernelModulesRecord,    &kKernelRecord};

}  // namespace imageprobe::probes
