// SPDX-License-Identifier: Apache-2.0
// XFS version 2/3 directories, listed as (name, inode) pairs: shortform directories inside the
// inode, and the block-mapped forms (block, leaf, node, and node with a bmbt data fork). All
// block-mapped forms keep every entry in their data blocks below XFS_DIR2_LEAF_OFFSET (32 GiB
// into the directory); the leaf, node and free-index blocks above it only index them. A listing
// therefore reads the data blocks alone, which makes the four forms one case.
//
// References: "XFS Algorithms & Data Structures", chapter "Directories"; xfsprogs'
// libxfs/xfs_da_format.h (xfs_dir2_sf_hdr, xfs_dir2_data_hdr/xfs_dir3_data_hdr,
// xfs_dir2_data_entry, xfs_dir2_block_tail); the kernel's xfs_dir2_sf_verify and
// __xfs_dir3_data_check for what is refused.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "images/native/block_device.h"
#include "images/native/xfs_inode.h"
#include "images/native/xfs_superblock.h"

namespace imageprobe::images::native {

struct XfsDirEntry {
  std::string name;  // never "." or ".."
  uint64_t ino = 0;
};

// The entries of a directory inode in on-disk order. More than `max_entries` fails with a
// message starting with kXfsTooManyEntries.
inline constexpr std::string_view kXfsTooManyEntries = "more than ";
std::expected<std::vector<XfsDirEntry>, std::string> ReadXfsDirectory(const BlockDevice& device,
                                                                      const XfsSuperblock& sb,
                                                                      const XfsInode& dir,
                                                                      uint32_t max_entries);

}  // namespace imageprobe::images::native
