// SPDX-License-Identifier: Apache-2.0
// What a partition or volume holds, from the signatures blkid reads, named as blkid names them
// (libguestfs' vfs_type is blkid's TYPE): the native engine decides from this what it reads
// itself, what it skips, and what it hands to libguestfs. Pure over the device's bytes.
//
// The ext2/ext3/ext4 split follows libblkid (superblocks/ext.c): with a journal, ext3 unless a
// feature ext3 does not support is set; without one, ext2 unless a feature ext2 does not
// support is set; either way such a feature makes it ext4.
#pragma once

#include <expected>
#include <string>

#include "images/native/block_device.h"

namespace imageprobe::images::native {

struct FilesystemSignature {
  // ext2, ext3, ext4, jbd, xfs, btrfs, vfat, ntfs, swap, LVM2_member, crypto_LUKS,
  // linux_raid_member, iso9660, squashfs; "" when nothing is recognised.
  std::string type;
  std::string uuid;   // as blkid prints UUID (lower-case hex with dashes; vfat "ABCD-1234")
  std::string label;  // blkid's LABEL
};

// Fails only when the device cannot be read at all.
std::expected<FilesystemSignature, std::string> IdentifyFilesystem(const BlockDevice& device);

// "8-4-4-4-12" lower-case hex of 16 bytes.
std::string FormatUuid(std::string_view bytes16);

}  // namespace imageprobe::images::native
