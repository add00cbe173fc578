// SPDX-License-Identifier: Apache-2.0
// The XFS primary superblock (sector 0 of AG 0), v4 and v5, checked as the kernel checks it at
// mount (xfs_validate_sb_common, xfs_sb_good_version in the kernel's libxfs/xfs_sb.c) and
// reduced to the geometry a read-only reader needs. Features are an allowlist: a feature this
// reader does not know changes the on-disk format in ways it cannot see, so it is refused with
// its name or bit, never read as if absent (libfsxfs read nrext64 files as zeros that way).
//
// References: "XFS Algorithms & Data Structures" (3rd ed.), chapter "Superblocks"; xfsprogs'
// libxfs/xfs_format.h (struct xfs_dsb and the feature bits).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace imageprobe::images::native {

struct XfsSuperblock {
  uint32_t block_size = 0;
  uint64_t data_blocks = 0;
  uint64_t log_start = 0;  // fsblock of the internal log
  uint32_t log_blocks = 0;
  uint64_t root_ino = 0;
  uint32_t ag_blocks = 0;
  uint32_t ag_count = 0;
  uint16_t sector_size = 0;
  uint16_t inode_size = 0;
  uint8_t block_log = 0;
  uint8_t inodes_per_block_log = 0;
  uint8_t ag_block_log = 0;
  uint8_t dir_block_log = 0;  // a directory block is block_size << dir_block_log bytes
  bool v5 = false;            // crc: checksummed metadata with self-describing headers
  bool ftype = false;         // directory entries carry the file type
  bool bigtime = false;
  bool nrext64 = false;
  bool has_realtime = false;
  uint8_t uuid[16] = {};
  uint8_t meta_uuid[16] = {};  // what v5 metadata headers carry (== uuid unless meta_uuid)

  uint32_t dir_block_size() const { return block_size << dir_block_log; }
  // Byte offset on the device of a filesystem block number (agno << agblklog | agbno), or
  // nothing when it names a block outside the filesystem.
  std::expected<uint64_t, std::string> FsblockOffset(uint64_t fsblock) const;
  std::expected<uint64_t, std::string> InodeOffset(uint64_t ino) const;
};

// `sector` is the first sector_size bytes of the device (at least 512).
std::expected<XfsSuperblock, std::string> ParseXfsSuperblock(std::string_view sector);

}  // namespace imageprobe::images::native
