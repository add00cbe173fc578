// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the ec2 instance connect probe records, declared once
// (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kEicInstallationRecord;    // "aws/ec2_instance_connect/installation"
extern const RecordKind kEicDropinRecord;          // "aws/ec2_instance_connect/dropin"
extern const RecordKind kEicSshdConfigHintRecord;  // "aws/ec2_instance_connect/sshd_config_hint"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 3> kEc2InstanceConnectRecords = {
    &kEicInstallationRecord, &kEicDropinRecord, &kEicSshdConfigHintRecord};

}  // namespace imageprobe::probes
