// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/ec2_instance_connect_records.h"

namespace imageprobe::probes {

const RecordKind kEicInstallationRecord{
    .name = "aws/ec2_instance_connect/installation",
    .key = "\"ec2-instance-connect\"",
    .description = "the EC2 Instance Connect installation (layout, helpers, system user)",
};

const RecordKind kEicDropinRecord{
    .name = "aws/ec2_instance_connect/dropin",
    .key = "path",
    .description = "an sshd drop-in or unit that wires EC2 Instance Connect in",
};

const RecordKind kEicSshdConfigHintRecord{
    .name = "aws/ec2_instance_connect/sshd_config_hint",
    .key = "path",
    .description = "an sshd configuration that mentions EC2 Instance Connect, unconfirmed",
};

}  // namespace imageprobe::probes
