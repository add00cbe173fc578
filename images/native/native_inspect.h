// SPDX-License-Identifier: Apache-2.0
// The native engine's light inspection: the same questions the libguestfs engine asks
// (guestfs_inspect.h), answered from the bytes. Which volumes the disk holds (its partitions,
// or the whole disk when it has none), what each one is (blkid's signatures), which of them are
// OS roots (/etc with os-release, usr or bin), and what each root's /etc/fstab mounts. Devices
// are named as the appliance names them (/dev/sda, /dev/sdaN), so both engines report alike.
//
// An LVM2 PV (whole disk or partition) is expanded into its linear LVs (lvm_volumes.h), listed
// after the partitions as the appliance lists them. The engine reads ext2/3/4 (a dirty journal
// replayed in memory) and XFS itself, and stands in for vfat (recognised, mounted as a point
// that says it was not read: no probe reads an EFI system partition). Anything else (btrfs, LVM
// other than linear LVs on one PV, LUKS, md RAID, NTFS, …), an ext filesystem whose journal
// needs a recovery it cannot replay in memory or that libext2fs will not open, an XFS whose log
// is not clean, a partition table it cannot read, or an image where it finds no OS root but
// holds a filesystem it does not read: the inspection fails with the reason, and the image goes
// to libguestfs.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "images/native/block_device.h"
#include "images/native/filesystem_signature.h"
#include "images/root_plan.h"
#include "scanner/core/filesystem.h"

namespace imageprobe::images::native {

struct NativeVolume {
  std::string device;  // "/dev/sda1", or "/dev/sda" for a disk without a partition table, or
                       // "/dev/VG/LV" for an LVM2 linear LV (lvm_volumes.h)
  std::shared_ptr<const BlockDevice> bytes;
  FilesystemSignature signature;
  std::string part_uuid;      // from the partition table, "" for a whole disk
  std::string part_label;     // GPT partition name
  std::string mapper_device;  // an LVM LV ("/dev/vg0/root"): "/dev/mapper/vg0-root"
};

struct NativeInspection {
  std::vector<NativeVolume> volumes;  // the filesystems roots may mount
  std::vector<GuestRoot> roots;
  std::vector<Diagnostic> diagnostics;      // as InspectGuest's: unreadable or oversized fstabs
  std::vector<std::string> table_warnings;  // damage the partition table reader worked around
  std::string table_scheme;                 // "gpt", "mbr" or "none"
  // How the engine read what it read, where that differs from the bytes as they are: "/dev/sda1:
  // ext4 journal replayed in memory (3 transactions, 41 blocks)". The report's backend says it.
  std::vector<std::string> notes;
};

// Fails with the reason the native engine does not read this image ("/dev/sda2 is xfs").
std::expected<NativeInspection, std::string> InspectNative(std::shared_ptr<const BlockDevice> disk);

// The volume's filesystem, ready to read. `mount_point` is what the volume is mounted over (the
// stat a stand-in filesystem shows for its root).
std::expected<std::unique_ptr<Filesystem>, std::string> OpenVolume(const NativeVolume& volume,
                                                                   const FileStat& mount_point);

}  // namespace imageprobe::images::native
