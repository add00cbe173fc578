// SPDX-License-Identifier: Apache-2.0
#include "images/native/xfs_superblock.h"

#include <bit>
#include <cstring>

#include "images/byte_reader.h"
#include "images/native/crc32c.h"

namespace imageprobe::images::native {
namespace {

using images::Be32;
using images::Be64;

uint16_t Be16(std::string_view d, size_t o) { return static_cast<uint16_t>(ReadBe(d, o, 2)); }
uint8_t U8(std::string_view d, size_t o) { return static_cast<uint8_t>(ReadBe(d, o, 1)); }

// sb_versionnum (xfs_format.h XFS_SB_VERSION_*).
constexpr uint16_t kVersionNumMask = 0x000f;
constexpr uint16_t kVersionDirV2 = 0x2000;
constexpr uint16_t kVersionMoreBits = 0x8000;
// The v4 bits the kernel accepts (XFS_SB_VERSION_OKBITS): attr, nlink, quota, align, dalign,
// logv2, sector, extflg, dirv2, morebits. SHARED (0x200) and BORG (0x4000) are refused.
constexpr uint16_t kVersionOkBits = 0x0010 | 0x0020 | 0x0040 | 0x0080 | 0x0100 | 0x0400 | 0x0800 |
                                    0x1000 | 0x2000 | 0x8000 | kVersionNumMask;
// sb_features2 (XFS_SB_VERSION2_*): lazysbcount, attr2, projid32, crc, ftype.
constexpr uint32_t kFeatures2Ftype = 0x200;
constexpr uint32_t kFeatures2OkBits = 0x2 | 0x8 | 0x80 | 0x100 | kFeatures2Ftype;
// v5 incompat (XFS_SB_FEAT_INCOMPAT_*): what this reader understands.
constexpr uint32_t kIncompatFtype = 0x1;
constexpr uint32_t kIncompatSparseInodes = 0x2;  // only changes inode allocation
constexpr uint32_t kIncompatMetaUuid = 0x4;
constexpr uint32_t kIncompatBigtime = 0x8;
constexpr uint32_t kIncompatNeedsRepair = 0x10;
constexpr uint32_t kIncompatNrext64 = 0x20;
constexpr uint32_t kIncompatKnown = kIncompatFtype | kIncompatSparseInodes | kIncompatMetaUuid |
                                    kIncompatBigtime | kIncompatNrext64;
// v5 ro-compat: finobt, rmapbt, reflink, inobtcnt only add btrees a reader never walks (shared
// extents read like any other); an unknown bit may change what a reader sees.
constexpr uint32_t kRoCompatKnown = 0x1 | 0x2 | 0x4 | 0x8;
// v5 log-incompat: logged extended attributes (XFS_SB_FEAT_INCOMPAT_LOG_XATTRS); the log is
// checked for cleanliness anyway and never replayed here.
constexpr uint32_t kLogIncompatKnown = 0x1;

std::string Hex(uint32_t bits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", bits);
  return buf;
}

std::string IncompatName(uint32_t bits) {
  if (bits & kIncompatNeedsRepair) return "needsrepair (xfs_repair must run first)";
  if (bits & 0x40) return "exchange-range";
  if (bits & 0x80) return "parent pointers";
  if (bits & 0x100) return "metadir";
  return "incompat " + Hex(bits);
}

bool PowerOfTwoIn(uint64_t v, uint64_t lo, uint64_t hi) {
  return v >= lo && v <= hi && std::has_single_bit(v);
}

// The kernel's xfs_highbit32 + 1 rounding as mkfs sets sb_agblklog: ceil(log2(agblocks)).
uint8_t CeilLog2(uint32_t v) { return static_cast<uint8_t>(v <= 1 ? 0 : std::bit_width(v - 1)); }

// A log field agrees with its size field; a log of 32 or more (a corrupted byte) cannot.
bool IsLog2Of(unsigned log, uint64_t value) { return log < 32 && (uint64_t{1} << log) == value; }

}  // namespace

std::expected<uint64_t, std::string> XfsSuperblock::FsblockOffset(uint64_t fsblock) const {
  uint64_t agno = fsblock >> ag_block_log;
  uint64_t agbno = fsblock & ((uint64_t{1} << ag_block_log) - 1);
  if (agno >= ag_count || agbno >= ag_blocks) {
    return std::unexpected("block " + std::to_string(fsblock) + " is outside the filesystem");
  }
  uint64_t linear = agno * ag_blocks + agbno;
  if (linear >= data_blocks) {
    return std::unexpected("block " + std::to_string(fsblock) + " is past the filesystem's end");
  }
  return linear << block_log;
}

std::expected<uint64_t, std::string> XfsSuperblock::InodeOffset(uint64_t ino) const {
  const unsigned shift = inodes_per_block_log;
  if (ag_block_log + shift >= 64 || (ino >> (ag_block_log + shift)) >= ag_count) {
    return std::unexpected("inode " + std::to_string(ino) + " is outside the filesystem");
  }
  uint64_t fsblock = ino >> shift;
  auto block = FsblockOffset(fsblock);
  if (!block) return std::unexpected("inode " + std::to_string(ino) + " is outside the filesystem");
  return *block + (ino & ((uint64_t{1} << shift) - 1)) * inode_size;
}

std::expected<XfsSuperblock, std::string> ParseXfsSuperblock(std::string_view s) {
  if (s.size() < 512 || !s.starts_with("XFSB")) return std::unexpected("no XFS superblock magic");
  XfsSuperblock sb;
  sb.block_size = Be32(s, 4);
  sb.data_blocks = Be64(s, 8);
  const uint64_t rt_blocks = Be64(s, 16);
  std::memcpy(sb.uuid, s.data() + 32, 16);
  std::memcpy(sb.meta_uuid, s.data() + 32, 16);
  sb.log_start = Be64(s, 48);
  sb.root_ino = Be64(s, 56);
  sb.ag_blocks = Be32(s, 84);
  sb.ag_count = Be32(s, 88);
  sb.log_blocks = Be32(s, 96);
  const uint16_t versionnum = Be16(s, 100);
  sb.sector_size = Be16(s, 102);
  sb.inode_size = Be16(s, 104);
  const uint16_t inodes_per_block = Be16(s, 106);
  sb.block_log = U8(s, 120);
  const uint8_t sector_log = U8(s, 121);
  const uint8_t inode_log = U8(s, 122);
  sb.inodes_per_block_log = U8(s, 123);
  sb.ag_block_log = U8(s, 124);
  const uint8_t in_progress = U8(s, 126);
  sb.dir_block_log = U8(s, 192);
  const uint32_t features2 = Be32(s, 200);
  sb.has_realtime = rt_blocks != 0;

  const unsigned version = versionnum & kVersionNumMask;
  if (version != 4 && version != 5) {
    return std::unexpected("unsupported XFS superblock version " + std::to_string(version));
  }
  sb.v5 = version == 5;
  if (!PowerOfTwoIn(sb.sector_size, 512, 32768) || s.size() < sb.sector_size) {
    return std::unexpected("bad sector size " + std::to_string(sb.sector_size));
  }
  if (sb.v5 && !XfsChecksumMatches(s.substr(0, sb.sector_size), 224)) {
    return std::unexpected("superblock checksum mismatch");
  }
  if (!sb.v5) {
    // xfs_sb_good_v4_features: dirv2 is required, and unknown version or features2 bits refuse.
    if (!(versionnum & kVersionDirV2)) return std::unexpected("v4 superblock without dirv2");
    if (versionnum & ~kVersionOkBits) {
      return std::unexpected("unsupported v4 feature bits " + Hex(versionnum & ~kVersionOkBits));
    }
    if ((versionnum & kVersionMoreBits) && (features2 & ~kFeatures2OkBits)) {
      return std::unexpected("unsupported v4 features2 bits " + Hex(features2 & ~kFeatures2OkBits));
    }
    sb.ftype = (versionnum & kVersionMoreBits) && (features2 & kFeatures2Ftype);
  } else {
    const uint32_t ro_compat = Be32(s, 212);
    const uint32_t incompat = Be32(s, 216);
    const uint32_t log_incompat = Be32(s, 220);
    if (incompat & ~kIncompatKnown)
      return std::unexpected("unsupported XFS feature: " +
                             IncompatName(incompat & ~kIncompatKnown));
    if (ro_compat & ~kRoCompatKnown) {
      return std::unexpected("unsupported XFS feature: ro-compat " +
                             Hex(ro_compat & ~kRoCompatKnown));
    }
    if (log_incompat & ~kLogIncompatKnown) {
      return std::unexpected("unsupported XFS feature: log-incompat " +
                             Hex(log_incompat & ~kLogIncompatKnown));
    }
    sb.ftype = incompat & kIncompatFtype;
    sb.bigtime = incompat & kIncompatBigtime;
    sb.nrext64 = incompat & kIncompatNrext64;
    if (incompat & kIncompatMetaUuid) std::memcpy(sb.meta_uuid, s.data() + 248, 16);
  }
  // xfs_validate_sb_common's geometry checks, the ones a reader's arithmetic depends on.
  if (!PowerOfTwoIn(sb.block_size, 512, 65536) || !IsLog2Of(sb.block_log, sb.block_size) ||
      !IsLog2Of(sector_log, sb.sector_size) || sb.block_size < sb.sector_size) {
    return std::unexpected("bad block size " + std::to_string(sb.block_size));
  }
  if (!PowerOfTwoIn(sb.inode_size, sb.v5 ? 512 : 256, 2048) ||
      !IsLog2Of(inode_log, sb.inode_size) || sb.inode_size > sb.block_size ||
      inodes_per_block != sb.block_size / sb.inode_size ||
      !IsLog2Of(sb.inodes_per_block_log, inodes_per_block)) {
    return std::unexpected("bad inode size " + std::to_string(sb.inode_size));
  }
  if (sb.ag_count == 0 || sb.ag_blocks < 16 || sb.ag_block_log != CeilLog2(sb.ag_blocks) ||
      sb.data_blocks > uint64_t{sb.ag_count} * sb.ag_blocks ||
      sb.data_blocks <= uint64_t{sb.ag_count - 1} * sb.ag_blocks) {
    return std::unexpected("bad allocation group geometry");
  }
  if (sb.block_log + sb.dir_block_log > 16) return std::unexpected("bad directory block size");
  if (in_progress != 0) return std::unexpected("mkfs did not finish (sb_inprogress)");
  if (sb.log_start == 0) return std::unexpected("external log");
  if (sb.log_blocks < 64) return std::unexpected("bad log size");
  return sb;
}

}  // namespace imageprobe::images::native
