// SPDX-License-Identifier: Apache-2.0
#include "images/native/xfs_dir.h"

#include <cstring>
#include <set>

#include "images/byte_reader.h"
#include "images/native/crc32c.h"

namespace imageprobe::images::native {
namespace {

using images::Be32;
using images::Be64;
uint16_t Be16(std::string_view d, size_t o) { return static_cast<uint16_t>(ReadBe(d, o, 2)); }

constexpr uint64_t kLeafOffset = uint64_t{1} << 35;  // XFS_DIR2_LEAF_OFFSET, in bytes
constexpr uint16_t kFreeTag = 0xffff;                // XFS_DIR2_DATA_FREE_TAG

struct Collector {
  uint32_t max_entries;
  std::vector<XfsDirEntry> entries;
  std::string where;

  std::expected<void, std::string> Add(std::string_view name, uint64_t ino) {
    if (name == "." || name == "..") return {};
    // A name with "/" or NUL cannot be a path component: unreachable, so skipped.
    if (name.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos) return {};
    if (entries.size() >= max_entries) {
      return std::unexpected(std::string(kXfsTooManyEntries) + std::to_string(max_entries) +
                             " entries");
    }
    entries.push_back({std::string(name), ino});
    return {};
  }
};

// xfs_dir2_sf_hdr then entries: namelen, a 2-byte offset, the name, the file type with ftype,
// and the inode number in 4 bytes, or 8 when the header's i8count says any needs them.
std::expected<void, std::string> Shortform(const XfsSuperblock& sb, const XfsInode& dir,
                                           Collector& out) {
  std::string_view d = std::string_view(dir.fork).substr(0, dir.size);
  if (d.size() < 6) return std::unexpected(out.where + "shortform header truncated");
  const unsigned count = static_cast<uint8_t>(d[0]);
  const bool wide = d[1] != 0;
  const size_t ino_size = wide ? 8 : 4;
  size_t pos = 2 + ino_size;
  for (unsigned i = 0; i < count; ++i) {
    if (pos + 3 > d.size()) return std::unexpected(out.where + "shortform entry truncated");
    const size_t namelen = static_cast<uint8_t>(d[pos]);
    const size_t size = 3 + namelen + (sb.ftype ? 1 : 0) + ino_size;
    if (namelen == 0 || pos + size > d.size()) {
      return std::unexpected(out.where + "shortform entry truncated");
    }
    std::string_view name = d.substr(pos + 3, namelen);
    const size_t ino_at = pos + 3 + namelen + (sb.ftype ? 1 : 0);
    const uint64_t ino = wide ? Be64(d, ino_at) : Be32(d, ino_at);
    if (auto r = out.Add(name, ino); !r) return r;
    pos += size;
  }
  return {};
}

// One data block ("XD2B"/"XDB3" of a block directory, "XD2D"/"XDD3" of the others): a header,
// then entries and free spans to the end, or up to the leaf array of a block directory.
std::expected<void, std::string> DataBlock(const XfsSuperblock& sb, const XfsInode& dir,
                                           std::string_view b, uint64_t dir_block, Collector& out) {
  const std::string where = out.where + "directory block " + std::to_string(dir_block) + ": ";
  const bool single = b.starts_with(sb.v5 ? "XDB3" : "XD2B");
  if (!single && !b.starts_with(sb.v5 ? "XDD3" : "XD2D"))
    return std::unexpected(where + "bad magic");
  size_t header = 16;
  if (sb.v5) {
    header = 64;
    if (!XfsChecksumMatches(b, 4)) return std::unexpected(where + "checksum mismatch");
    if (Be64(b, 40) != dir.ino || std::memcmp(b.data() + 24, sb.meta_uuid, 16) != 0) {
      return std::unexpected(where + "owner mismatch");
    }
  }
  size_t end = b.size();
  if (single) {
    // xfs_dir2_block_tail (count, stale) closes the block, behind count leaf entries.
    const uint64_t leaf_count = Be32(b, b.size() - 8);
    if (leaf_count > (b.size() - header - 8) / 8) return std::unexpected(where + "bad leaf count");
    end = b.size() - 8 - leaf_count * 8;
  }
  size_t pos = header;
  while (pos < end) {
    if (end - pos < 8) return std::unexpected(where + "entry truncated");
    if (Be16(b, pos) == kFreeTag) {
      const size_t length = Be16(b, pos + 2);
      if (length < 8 || length % 8 != 0 || length > end - pos) {
        return std::unexpected(where + "bad free span");
      }
      pos += length;
      continue;
    }
    // xfs_dir2_data_entry: inumber, namelen, name, [ftype], padding, a 2-byte tag; 8-aligned.
    if (end - pos < 16) return std::unexpected(where + "entry truncated");
    const uint64_t ino = Be64(b, pos);
    const size_t namelen = static_cast<uint8_t>(b[pos + 8]);
    const size_t size = (8 + 1 + namelen + (sb.ftype ? 1 : 0) + 2 + 7) & ~size_t{7};
    if (namelen == 0 || size > end - pos) return std::unexpected(where + "entry truncated");
    if (auto r = out.Add(b.substr(pos + 9, namelen), ino); !r) return r;
    pos += size;
  }
  return {};
}

}  // namespace

std::expected<std::vector<XfsDirEntry>, std::string> ReadXfsDirectory(const BlockDevice& device,
                                                                      const XfsSuperblock& sb,
                                                                      const XfsInode& dir,
                                                                      uint32_t max_entries) {
  Collector out{max_entries, {}, "inode " + std::to_string(dir.ino) + ": "};
  if (dir.format == XfsFork::kLocal) {
    if (auto r = Shortform(sb, dir, out); !r) return std::unexpected(r.error());
    return std::move(out.entries);
  }
  auto extents = ReadXfsExtents(device, sb, dir, uint64_t{max_entries} + 64);
  if (!extents) return std::unexpected(extents.error());
  // The data blocks the map holds below the leaf offset and the directory's size (the kernel's
  // getdents stops at i_size): each is read whole, a hole inside one reads as zeros and fails
  // its magic check.
  const uint64_t data_end = std::min<uint64_t>(dir.size, kLeafOffset);
  const unsigned fsb_per_dir_block_log = sb.dir_block_log;
  std::set<uint64_t> dir_blocks;
  for (const XfsExtent& e : *extents) {
    if ((e.file_block << sb.block_log) >= data_end) break;
    const uint64_t last =
        std::min(e.file_block + e.blocks, (data_end + sb.block_size - 1) >> sb.block_log);
    for (uint64_t fb = e.file_block; fb < last;
         fb = ((fb >> fsb_per_dir_block_log) + 1) << fsb_per_dir_block_log) {
      dir_blocks.insert(fb >> fsb_per_dir_block_log);
      // Leaf and node directories drop data blocks that empty, so each holds an entry (a block
      // directory has one block): more blocks than entries allowed is a runaway map.
      if (dir_blocks.size() > uint64_t{max_entries} + 2) {
        return std::unexpected(std::string(kXfsTooManyEntries) + std::to_string(max_entries) +
                               " entries");
      }
    }
  }
  const uint64_t dbs = sb.dir_block_size();
  for (uint64_t db : dir_blocks) {
    auto bytes = ReadXfsExtentBytes(device, sb, *extents, db * dbs, dbs);
    if (!bytes) return std::unexpected(out.where + bytes.error());
    if (auto r = DataBlock(sb, dir, *bytes, db, out); !r) return std::unexpected(r.error());
  }
  return std::move(out.entries);
}

}  // namespace imageprobe::images::native
