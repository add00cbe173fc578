// SPDX-License-Identifier: Apache-2.0
// XFS inodes: the inode core (v1/v2 inodes of v4 filesystems, v3 of v5 with bigtime and
// nrext64) and the data fork's block map, extents listed inline or in a bmbt, read into a
// sorted list of extents. File bytes are read through that list: holes and unwritten
// (preallocated) extents read as zeros, as the kernel reads them.
//
// References: "XFS Algorithms & Data Structures", chapters "On-disk Inode" and "Data
// Extents"; xfsprogs' libxfs/xfs_format.h (struct xfs_dinode, xfs_bmbt_rec, xfs_btree_block),
// and the kernel's xfs_dinode_verify and xfs_iformat_data_fork for what is refused.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "images/native/block_device.h"
#include "images/native/xfs_superblock.h"

namespace imageprobe::images::native {

enum class XfsFork : uint8_t { kDevice = 0, kLocal = 1, kExtents = 2, kBtree = 3 };

struct XfsInode {
  uint64_t ino = 0;
  uint16_t mode = 0;  // S_IFMT and permission bits
  uint8_t version = 0;
  XfsFork format = XfsFork::kDevice;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t nlink = 0;
  uint64_t size = 0;
  int64_t mtime = 0;
  uint64_t extent_count = 0;
  bool realtime = false;  // data on the realtime device, which this reader does not have
  std::string fork;       // the data fork's bytes inside the inode
};

std::expected<XfsInode, std::string> ReadXfsInode(const BlockDevice& device,
                                                  const XfsSuperblock& sb, uint64_t ino);

struct XfsExtent {
  uint64_t file_block = 0;
  uint64_t fs_block = 0;  // agno << agblklog | agbno
  uint64_t blocks = 0;
  bool unwritten = false;
};

// The data fork's extents, sorted and non-overlapping, at most `max_extents` of them. A bmbt is
// walked with its levels checked (each child one level below its parent, the root at most
// kMaxBmbtLevels) and every block visited once: a loop or shared subtree is an error.
inline constexpr uint32_t kMaxBmbtLevels = 9;  // XFS_BM_MAXLEVELS for 64-bit extent counts
std::expected<std::vector<XfsExtent>, std::string> ReadXfsExtents(const BlockDevice& device,
                                                                  const XfsSuperblock& sb,
                                                                  const XfsInode& inode,
                                                                  uint64_t max_extents);

// `length` bytes at byte `offset` of a file mapped by `extents` (the caller bounds both by the
// file size); holes and unwritten extents are zeros.
std::expected<std::string, std::string> ReadXfsExtentBytes(const BlockDevice& device,
                                                           const XfsSuperblock& sb,
                                                           const std::vector<XfsExtent>& extents,
                                                           uint64_t offset, uint64_t length);

}  // namespace imageprobe::images::native
