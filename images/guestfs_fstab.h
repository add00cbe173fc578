// SPDX-License-Identifier: Apache-2.0
// Pure helpers for the light inspection: parsing a guest's /etc/fstab and mapping the device
// names a guest uses to the names the libguestfs appliance gives the same devices.
//
// References: fstab(5) (fields, octal escapes such as \040), libguestfs
// daemon/inspect_fs_unix_fstab.ml (which entries matter, device-name canonicalisation),
// guestfs(3) "BLOCK DEVICE NAMING".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::images {

struct FstabEntry {
  std::string spec;        // "UUID=…", "LABEL=…", "/dev/xvda1", "/dev/mapper/vg-root"
  std::string mountpoint;  // normalised guest path
  std::string type;        // "ext4", "xfs", "auto", …
  std::string options;
  uint32_t line = 0;
};

struct FstabProblem {
  uint32_t line = 0;
  std::string message;
};

struct Fstab {
  std::vector<FstabEntry> entries;  // every entry, in file order
  std::vector<FstabProblem> problems;
};

Fstab ParseFstab(std::string_view text);

// Entries worth mounting for a scan: a block filesystem on an absolute mount point other than
// "/", not swap, not a pseudo filesystem (proc, tmpfs, …), not a bind mount, not a network
// filesystem. Sorted shortest mount point first (parents before children), as libguestfs
// examples/inspect-vm.c does.
std::vector<FstabEntry> MountableEntries(const Fstab& fstab);

// What kind of reference an fstab spec is and its value: "UUID=ab" -> {kUuid, "ab"},
// "/dev/disk/by-label/x" -> {kLabel, "x"}, "/dev/sda1" -> {kDevice, "/dev/sda1"}.
enum class SpecKind { kUuid, kLabel, kPartUuid, kPartLabel, kDevice, kOther };
struct FstabSpec {
  SpecKind kind = SpecKind::kOther;
  std::string value;
};
FstabSpec ClassifyFstabSpec(std::string_view spec);

// The appliance's name for a guest device name: /dev/xvda1, /dev/vda1, /dev/hda1 -> /dev/sda1;
// /dev/nvme0n1p2 -> /dev/sda2 (namespace n of controller c is the (c)th disk). Names it does not
// know are returned unchanged.
std::string ApplianceDeviceName(std::string_view guest_device);

}  // namespace imageprobe::images
