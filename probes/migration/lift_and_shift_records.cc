// SPDX-License-Identifier: Apache-2.0
#include "probes/migration/lift_and_shift_records.h"

namespace imageprobe::probes {

namespace {

constexpr RecordMember kVmwarePackageMembers[] = {
    {"name", kText, "the package (open-vm-tools, open-vm-tools-desktop, vmware-tools…)"},
    {"version", kText, "its version, as dpkg or rpm ([epoch:]version-release) gives it"},
};
constexpr ValueShape kVmwarePackage = ObjectOf(kVmwarePackageMembers);

constexpr RecordMember kVmwareToolsMembers[] = {
    {"packages", ListOf(kVmwarePackage), "the installed VMware Tools packages (dpkg or rpm)"},
    {"files", kTextList, "the VMware Tools files and units present (vmtoolsd, vmtoolsd.service…)"},
    {"enabled_units", kTextList, "the multi-user.target.wants links that start them at boot"},
};

constexpr RecordMember kInterfaceMembers[] = {
    {"name", kText, "the interface (DEVICE=, the iface name, the netplan id or set-name)"},
    {"method", kText, "how it gets an address, as written: static, dhcp, manual, none…"},
    {"addresses", kTextList, "the addresses it is configured with (IPADDR=, address, addresses)"},
    {"mac", kText, "the MAC it is bound to, in lower case; empty when none"},
    {"is_static", kFlag, "addresses are configured without DHCP"},
};
constexpr ValueShape kInterface = ObjectOf(kInterfaceMembers);

constexpr RecordMember kNetworkInterfaceMembers[] = {
    {"path", kText, "the configuration file (ifcfg-*, /etc/network/interfaces, netplan YAML)"},
    {"interface", kInterface, "the interface as the file configures it"},
};

constexpr RecordMember kUdevRuleMembers[] = {
    {"mac", kText, "the MAC address the rule matches (ATTR{address}), in lower case"},
    {"name", kText, "the interface name it gives (NAME=); empty when it sets none"},
};
constexpr ValueShape kUdevRule = ObjectOf(kUdevRuleMembers);

constexpr RecordMember kUdevNetRuleMembers[] = {
    {"path", kText, "the rules file (/etc/udev/rules.d/70-persistent-net.rules…)"},
    {"rule", kUdevRule, "the rule"},
};

constexpr RecordMember kFstabEntryMembers[] = {
    {"spec", kText, "the device field, unescaped (UUID=…, LABEL=…, /dev/xvdb1, host:/export)"},
    {"mount_point", kText, "the mount point, unescaped, as written (swap or none for swap)"},
    {"type", kText, "the file system type (ext4, xfs, swap, nfs…)"},
    {"options", kText, "the mount options, comma-separated; \"defaults\" when none are given"},
    {"nitro_risk", kText,
     "how it fails on Nitro: none, device_name (a kernel device name) or network_mount (an "
     "on-premises share without nofail)"},
};

constexpr RecordMember kKernelModulesMembers[] = {
    {"status", kText, "always \"unknown\": /lib/modules could not be listed"},
    {"reason", kText, "why it could not (the listing's error)"},
};

constexpr RecordMember kKernelMembers[] = {
    {"version", kText, "the kernel version (its folder under /lib/modules)"},
    {"known", kFlag, "some evidence was readable; false: whether it has the drivers is unknown"},
    {"ena", kFlag, "the ENA network driver was found"},
    {"nvme", kFlag, "the NVMe driver (for EBS volumes) was found"},
    {"evidence", kTextList,
     "what was read: modules.builtin, modules.dep, and the ena and nvme module files found"},
};

}  // namespace

const RecordKind kVmwareToolsRecord{
    .name = "migration/vmware_tools",
    .key = "\"vmware-tools\"",
    .description = "VMware Tools (open-vm-tools or the tarball install) left in the image",
    .members = kVmwareToolsMembers,
};

const RecordKind kNetworkInterfaceRecord{
    .name = "migration/network_interface",
    .key = "path|interface",
    .description = "a network interface configuration that may not match the new hardware",
    .members = kNetworkInterfaceMembers,
};

const RecordKind kUdevNetRuleRecord{
    .name = "migration/udev_net_rule",
    .key = "path|MAC",
    .description = "a udev rule pinning an interface name to a MAC address",
    .members = kUdevNetRuleMembers,
};

const RecordKind kFstabEntryRecord{
    .name = "migration/fstab_entry",
    .key = "the mount point (the device for swap)",
    .description = "an fstab entry and whether it survives a move to Nitro",
    .members = kFstabEntryMembers,
};

const RecordKind kKernelModulesRecord{
    .name = "migration/kernel_modules",
    .key = "\"/lib/modules\"",
    .description =
        "/lib/modules could not be listed: which kernels and drivers the image has is unknown",
    .members = kKernelModulesMembers,
};

const RecordKind kKernelRecord{
    .name = "migration/kernel",
    .key = "the kernel version",
    .description = "one installed kernel and whether it has the ENA and NVMe drivers",
    .members = kKernelMembers,
};

}  // namespace imageprobe::probes
