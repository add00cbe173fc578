// SPDX-License-Identifier: Apache-2.0
// Reads a directory tree of an ext2/3/4 filesystem straight from a raw image file on the host,
// with libext2fs (e2fsprogs' own library), read-only.
//
// Why: under TCG the appliance's own work dominates a bulk read. A tar_out of /home with 5,000
// homes costs ~27 s of guest CPU (path walk, tar) although the bytes involved are a few
// megabytes; libext2fs reads the same metadata from the image file in a fraction of a second.
// The libguestfs backend uses this for the trees it streams whole, when the drive is raw and the
// filesystem ext2/3/4, and keeps tar_out for everything else (qcow2, VMDK, XFS, LVM) and as the
// fallback when this fails.
//
// Read-only: the file is opened O_RDONLY (libext2fs without EXT2_FLAG_RW), nothing is written.
// A filesystem whose journal needs recovery is refused: the kernel in the appliance would replay
// the journal on mount, so this reader and the mounted view could disagree. The walk never
// follows symlinks (they are entries with their target), never enters a directory inode twice,
// and stops at the index's entry limit and at kMaxDepth.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "images/archive_index.h"

namespace imageprobe::images {

struct Ext4Source {
  std::string image_path;  // a raw disk or filesystem image
  uint64_t offset = 0;     // byte offset of the filesystem in it (its partition's start)
};

// Adds the tree at `dir_in_fs` (a path inside that filesystem, "/" for its root) to `index`,
// placed under `guest_dir` (where the filesystem's `dir_in_fs` appears in the guest). Fails with
// a one-line reason, leaving `index` partly filled, when the image cannot be opened as ext2/3/4,
// needs journal recovery, a path component is missing or not a directory, metadata is
// unreadable, or the tree has more entries than the index allows.
std::expected<void, std::string> AddExt4Tree(const Ext4Source& source, std::string_view dir_in_fs,
                                             std::string_view guest_dir, ArchiveIndex& index);

// Deeper trees fail rather than recurse further (a corrupted filesystem can loop).
inline constexpr int kExt4MaxDepth = 256;

}  // namespace imageprobe::images
