// SPDX-License-Identifier: Apache-2.0
#include "probes/migration/lift_and_shift_records.h"

namespace imageprobe::probes {

const RecordKind kVmwareToolsRecord{
    .name = "migration/vmware_tools",
    .key = "\"vmware-tools\"",
    .description = "VMware Tools (open-vm-tools or the tarball install) left in the image",
};

const RecordKind kNetworkInterfaceRecord{
    .name = "migration/network_interface",
    .key = "path|interface",
    .description = "a network interface configuration that may not match the new hardware",
};

const RecordKind kUdevNetRuleRecord{
    .name = "migration/udev_net_rule",
    .key = "path|MAC",
    .description = "a udev rule pinning an interface name to a MAC address",
};

const RecordKind kFstabEntryRecord{
    .name = "migration/fstab_entry",
    .key = "the mount point (the device for swap)",
    .description = "an fstab entry and whether it survives a move to Nitro",
};

const RecordKind kKernelModulesRecord{
    .name = "migration/kernel_modules",
    .key = "\"/lib/modules\"",
    .description = "the kernels installed and their storage and network drivers",
};

const RecordKind kKernelRecord{
    .name = "migration/kernel",
    .key = "the kernel version",
    .description = "one installed kernel and whether it has the ENA and NVMe drivers",
};

}  // namespace imageprobe::probes
