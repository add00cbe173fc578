// SPDX-License-Identifier: Apache-2.0
#include "images/native/xfs_inode.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "images/byte_reader.h"
#include "images/native/crc32c.h"

namespace imageprobe::images::native {
namespace {

using images::Be32;
using images::Be64;
uint16_t Be16(std::string_view d, size_t o) { return static_cast<uint16_t>(ReadBe(d, o, 2)); }

constexpr size_t kCoreV2 = 100;                            // xfs_dinode up to di_next_unlinked
constexpr size_t kCoreV3 = 176;                            // ... and the v3 fields up to di_uuid
constexpr uint16_t kFlagRealtime = 0x1;                    // XFS_DIFLAG_REALTIME
constexpr uint64_t kFlag2Bigtime = 0x8;                    // XFS_DIFLAG2_BIGTIME
constexpr uint64_t kFlag2Nrext64 = 0x10;                   // XFS_DIFLAG2_NREXT64
constexpr int64_t kBigtimeEpochOffset = int64_t{1} << 31;  // XFS_BIGTIME_EPOCH_OFFSET
constexpr uint16_t kTypeMask = 0170000;
constexpr uint16_t kTypeDir = 0040000;
constexpr uint16_t kTypeReg = 0100000;
constexpr uint16_t kTypeLink = 0120000;

std::string InodeName(uint64_t ino) { return "inode " + std::to_string(ino); }

// The 128-bit packed extent record (xfs_bmbt_rec): flag:1 startoff:54 startblock:52 count:21.
XfsExtent UnpackExtent(std::string_view rec) {
  const uint64_t l0 = Be64(rec, 0);
  const uint64_t l1 = Be64(rec, 8);
  XfsExtent e;
  e.unwritten = (l0 >> 63) != 0;
  e.file_block = (l0 & ((uint64_t{1} << 63) - 1)) >> 9;
  e.fs_block = ((l0 & 0x1ff) << 43) | (l1 >> 21);
  e.blocks = l1 & ((uint64_t{1} << 21) - 1);
  return e;
}

struct BmbtWalk {
  const BlockDevice& device;
  const XfsSuperblock& sb;
  const XfsInode& inode;
  uint64_t max_extents;
  std::vector<XfsExtent> extents;
  std::unordered_set<uint64_t> visited;

  std::expected<void, std::string> Records(std::string_view recs, uint64_t count) {
    if (extents.size() + count > max_extents) {
      return std::unexpected(InodeName(inode.ino) + ": more than " + std::to_string(max_extents) +
                             " extents");
    }
    for (uint64_t i = 0; i < count; ++i) extents.push_back(UnpackExtent(recs.substr(i * 16, 16)));
    return {};
  }

  // A long-format btree block (struct xfs_btree_block, "BMAP" or "BMA3" with the v5 header).
  std::expected<void, std::string> Block(uint64_t fsblock, uint32_t level) {
    const std::string where = InodeName(inode.ino) + ": bmbt block " + std::to_string(fsblock);
    if (!visited.insert(fsblock).second) return std::unexpected(where + " is reached twice");
    auto offset = sb.FsblockOffset(fsblock);
    if (!offset) return std::unexpected(InodeName(inode.ino) + ": bmbt " + offset.error());
    auto bytes = device.Read(*offset, sb.block_size);
    if (!bytes) return std::unexpected(where + ": " + bytes.error());
    std::string_view b = *bytes;
    const size_t header = sb.v5 ? 72 : 24;
    if (!b.starts_with(sb.v5 ? "BMA3" : "BMAP")) return std::unexpected(where + ": bad magic");
    if (sb.v5 && (!XfsChecksumMatches(b, 64) || Be64(b, 56) != inode.ino ||
                  std::memcmp(b.data() + 40, sb.meta_uuid, 16) != 0)) {
      return std::unexpected(where + ": checksum or owner mismatch");
    }
    if (Be16(b, 4) != level) return std::unexpected(where + ": wrong level");
    const uint64_t numrecs = Be16(b, 6);
    if (level == 0) {
      if (numrecs > (sb.block_size - header) / 16)
        return std::unexpected(where + ": too many records");
      return Records(b.substr(header), numrecs);
    }
    const size_t maxrecs = (sb.block_size - header) / 16;
    return Children(b.substr(header), maxrecs, numrecs, level, where);
  }

  // Keys then pointers, each array maxrecs long (XFS_BMBT_PTR_ADDR / XFS_BMDR_PTR_ADDR).
  std::expected<void, std::string> Children(std::string_view node, size_t maxrecs, uint64_t numrecs,
                                            uint32_t level, const std::string& where) {
    if (numrecs == 0 || numrecs > maxrecs) return std::unexpected(where + ": bad record count");
    for (uint64_t i = 0; i < numrecs; ++i) {
      if (auto r = Block(Be64(node, maxrecs * 8 + i * 8), level - 1); !r) return r;
    }
    return {};
  }
};

}  // namespace

std::expected<XfsInode, std::string> ReadXfsInode(const BlockDevice& device,
                                                  const XfsSuperblock& sb, uint64_t ino) {
  auto offset = sb.InodeOffset(ino);
  if (!offset) return std::unexpected(offset.error());
  auto bytes = device.Read(*offset, sb.inode_size);
  if (!bytes) return std::unexpected(InodeName(ino) + ": " + bytes.error());
  std::string_view d = *bytes;
  const std::string bad = InodeName(ino) + ": ";
  if (!d.starts_with("IN")) return std::unexpected(bad + "bad magic");
  XfsInode inode;
  inode.ino = ino;
  inode.mode = Be16(d, 2);
  inode.version = static_cast<uint8_t>(d[4]);
  const uint8_t format = static_cast<uint8_t>(d[5]);
  // xfs_dinode_good_version: v3 exactly on v5 filesystems.
  if (sb.v5 ? inode.version != 3 : (inode.version != 1 && inode.version != 2)) {
    return std::unexpected(bad + "bad version " + std::to_string(inode.version));
  }
  uint64_t flags2 = 0;
  if (inode.version == 3) {
    if (!XfsChecksumMatches(d, 100)) return std::unexpected(bad + "checksum mismatch");
    if (Be64(d, 152) != ino || std::memcmp(d.data() + 160, sb.meta_uuid, 16) != 0) {
      return std::unexpected(bad + "owner mismatch");
    }
    flags2 = Be64(d, 120);
  }
  if (inode.mode == 0) return std::unexpected(bad + "not in use");
  inode.uid = Be32(d, 8);
  inode.gid = Be32(d, 12);
  inode.nlink = inode.version == 1 ? Be16(d, 6) : Be32(d, 16);
  const bool bigtime = (flags2 & kFlag2Bigtime) && sb.bigtime;
  if (bigtime) {
    inode.mtime = static_cast<int64_t>(Be64(d, 40) / 1'000'000'000) - kBigtimeEpochOffset;
  } else {
    inode.mtime = static_cast<int32_t>(Be32(d, 40));
  }
  const uint64_t size = Be64(d, 56);
  if (size > static_cast<uint64_t>(INT64_MAX)) return std::unexpected(bad + "bad size");
  inode.size = size;
  inode.extent_count = (flags2 & kFlag2Nrext64) ? Be64(d, 24) : Be32(d, 76);
  if ((flags2 & kFlag2Nrext64) && !sb.nrext64)
    return std::unexpected(bad + "nrext64 without the feature");
  if ((flags2 & kFlag2Bigtime) && !sb.bigtime)
    return std::unexpected(bad + "bigtime without the feature");
  const uint8_t forkoff = static_cast<uint8_t>(d[82]);
  inode.realtime = Be16(d, 90) & kFlagRealtime;
  const size_t core = inode.version == 3 ? kCoreV3 : kCoreV2;
  const size_t space = sb.inode_size - core;
  if (size_t{forkoff} * 8 > space) return std::unexpected(bad + "bad fork offset");
  const size_t fork_size = forkoff ? size_t{forkoff} * 8 : space;
  inode.fork.assign(d.substr(core, fork_size));

  // xfs_iformat_data_fork: which formats each type may have.
  const uint16_t type = inode.mode & kTypeMask;
  if (format > 3)
    return std::unexpected(bad + "unsupported data fork format " + std::to_string(format));
  inode.format = static_cast<XfsFork>(format);
  const bool mapped = inode.format == XfsFork::kExtents || inode.format == XfsFork::kBtree;
  if (type == kTypeReg                        ? !mapped
      : type == kTypeDir || type == kTypeLink ? !(mapped || inode.format == XfsFork::kLocal)
                                              : inode.format != XfsFork::kDevice) {
    return std::unexpected(bad + "data fork format " + std::to_string(format) + " for mode " +
                           std::to_string(inode.mode));
  }
  if (inode.format == XfsFork::kLocal && inode.size > fork_size) {
    return std::unexpected(bad + "local fork larger than the inode");
  }
  return inode;
}

std::expected<std::vector<XfsExtent>, std::string> ReadXfsExtents(const BlockDevice& device,
                                                                  const XfsSuperblock& sb,
                                                                  const XfsInode& inode,
                                                                  uint64_t max_extents) {
  BmbtWalk walk{device, sb, inode, max_extents, {}, {}};
  const std::string bad = InodeName(inode.ino) + ": ";
  if (inode.format == XfsFork::kExtents) {
    if (inode.extent_count > inode.fork.size() / 16)
      return std::unexpected(bad + "too many extents for the fork");
    if (auto r = walk.Records(inode.fork, inode.extent_count); !r)
      return std::unexpected(r.error());
  } else if (inode.format == XfsFork::kBtree) {
    // The root (struct xfs_bmdr_block) sits in the fork: level, numrecs, keys, pointers.
    const uint32_t level = Be16(inode.fork, 0);
    if (level == 0 || level > kMaxBmbtLevels) return std::unexpected(bad + "bad bmbt root level");
    if (inode.fork.size() < 4 + 16) return std::unexpected(bad + "bmbt root fork too small");
    const size_t maxrecs = (inode.fork.size() - 4) / 16;
    auto r = walk.Children(std::string_view(inode.fork).substr(4), maxrecs, Be16(inode.fork, 2),
                           level, bad + "bmbt root");
    if (!r) return std::unexpected(r.error());
  } else {
    return std::unexpected(bad + "data fork has no block map");
  }
  auto& extents = walk.extents;
  std::ranges::sort(extents, {}, &XfsExtent::file_block);
  for (size_t i = 0; i < extents.size(); ++i) {
    const XfsExtent& e = extents[i];
    if (e.blocks == 0) return std::unexpected(bad + "empty extent");
    // Byte offsets must fit in 63 bits (the kernel's XFS_MAX_FILEOFF).
    if (e.file_block + e.blocks > (uint64_t{1} << 63 >> sb.block_log)) {
      return std::unexpected(bad + "extent past the largest file offset");
    }
    if (i > 0 && extents[i - 1].file_block + extents[i - 1].blocks > e.file_block) {
      return std::unexpected(bad + "overlapping extents");
    }
  }
  return std::move(extents);
}

std::expected<std::string, std::string> ReadXfsExtentBytes(const BlockDevice& device,
                                                           const XfsSuperblock& sb,
                                                           const std::vector<XfsExtent>& extents,
                                                           uint64_t offset, uint64_t length) {
  std::string out(length, '\0');
  const uint64_t end = offset + length;
  const uint64_t bs = sb.block_size;
  auto first =
      std::ranges::upper_bound(extents, offset >> sb.block_log, {}, &XfsExtent::file_block);
  if (first != extents.begin()) --first;
  for (auto it = first; it != extents.end(); ++it) {
    const uint64_t ext_start = it->file_block * bs;
    if (ext_start >= end) break;
    const uint64_t ext_end = ext_start + it->blocks * bs;
    if (ext_end <= offset || it->unwritten) continue;
    const uint64_t from = std::max(offset, ext_start);
    const uint64_t to = std::min(end, ext_end);
    // Each block of the extent must lie in the filesystem; extents never span AGs.
    auto first_block = sb.FsblockOffset(it->fs_block);
    auto last_block = sb.FsblockOffset(it->fs_block + it->blocks - 1);
    if (!first_block || !last_block || *last_block - *first_block != (it->blocks - 1) * bs) {
      return std::unexpected("extent at file block " + std::to_string(it->file_block) +
                             " lies outside the filesystem");
    }
    std::span<char> window(out.data() + (from - offset), to - from);
    if (auto r = device.ReadAt(*first_block + (from - ext_start), window); !r) {
      return std::unexpected(r.error());
    }
  }
  return out;
}

}  // namespace imageprobe::images::native
