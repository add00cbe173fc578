// SPDX-License-Identifier: Apache-2.0
// Pure helpers for the light inspection: which entries of a guest's /etc/fstab to mount (the file
// is read by the shared, libmount-compatible parser in scanner/parse/fstab.h) and the names the
// libguestfs appliance gives the devices a guest names.
//
// References: fstab(5), libguestfs
// daemon/inspect_fs_unix_fstab.ml (which entries matter, device-name canonicalisation),
// guestfs(3) "BLOCK DEVICE NAMING".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/parse/fstab.h"

namespace imageprobe::images {

// Entries worth mounting for a scan: a block filesystem on an absolute mount point other than
// "/", not swap, not a pseudo filesystem (proc, tmpfs, …), not a bind mount, not a network
// filesystem. Mount points come back normalised (NormalizeGuestPath: "/../var//" is "/var"),
// sorted shortest first (parents before children), as libguestfs examples/inspect-vm.c does.
std::vector<parse::FstabEntry> MountableEntries(const parse::ParsedFstab& fstab);

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
