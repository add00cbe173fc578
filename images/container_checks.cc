// SPDX-License-Identifier: Apache-2.0
// References (field offsets): qemu docs/interop/qcow2.txt; VMware "Virtual Disk Format 5.0"
// (SparseExtentHeader, grain directory/tables, stream markers); Microsoft "Virtual Hard Disk
// Image Format Specification" (footer, dynamic disk header, BAT); MS-VHDX 2.2-2.5 (region
// table, BAT entries); VirtualBox src/VBox/Storage/VDICore.h (VDIHEADER1).
#include "images/container_checks.h"

#include <algorithm>

#include "images/byte_reader.h"
#include "images/vmdk_descriptor.h"

namespace imageprobe::images {
namespace {

// Reads metadata tables against a shared byte budget, so a hostile header claiming a huge
// table costs at most kMaxMetadataBytes.
class TableReader {
 public:
  explicit TableReader(const ByteSource& input) : input_(input) {}
  // nullopt-like empty result with ok=false when the budget is spent (checks then stop early:
  // what was read so far was consistent).
  std::expected<std::string, std::string> Read(uint64_t offset, uint64_t length) {
    if (length > budget_) return std::unexpected(std::string("budget"));
    budget_ -= length;
    return input_.Read(offset, length);
  }

 private:
  const ByteSource& input_;
  uint64_t budget_ = kMaxMetadataBytes;
};

bool Within(uint64_t offset, uint64_t length, uint64_t size) {
  return offset <= size && length <= size - offset;
}

}  // namespace

std::unexpected<std::string> Truncated(std::string_view what, uint64_t offset, uint64_t size) {
  return std::unexpected("truncated: " + std::string(what) + " at offset " +
                         std::to_string(offset) + " lies past the end of the file (" +
                         std::to_string(size) + " bytes)");
}

CheckResult CheckQcow2(const ByteSource& input) {
  const uint64_t size = input.size();
  auto header = input.Read(0, 512);
  if (!header) return std::unexpected(header.error());
  std::string_view h = *header;
  if (h.size() < 72) return std::unexpected("truncated: qcow2 header is incomplete");
  uint32_t version = Be32(h, 4);
  uint64_t backing_offset = Be64(h, 8);
  uint32_t backing_size = Be32(h, 16);
  uint32_t cluster_bits = Be32(h, 20);
  uint32_t crypt = Be32(h, 32);
  uint32_t l1_size = Be32(h, 36);
  uint64_t l1_offset = Be64(h, 40);
  uint64_t refcount_offset = Be64(h, 48);
  uint32_t refcount_clusters = Be32(h, 56);
  if (version < 2 || version > 3) {
    return std::unexpected("qcow2 version " + std::to_string(version) + " is not supported");
  }
  if (cluster_bits < 9 || cluster_bits > 21) {
    return std::unexpected("qcow2 header is corrupt: cluster_bits " + std::to_string(cluster_bits));
  }
  if (backing_offset != 0) {
    auto name = input.Read(backing_offset, std::min<uint32_t>(backing_size, 1023));
    return std::unexpected("qcow2 overlay with backing file \"" + (name ? *name : "?") +
                           "\": backing chains are not supported");
  }
  if (crypt != 0) return std::unexpected("encrypted qcow2 images are not supported");
  // Incompatible feature bit 2: the guest data lives in an external file named in a header
  // extension, which qemu would open by that name.
  if (version >= 3 && (Be64(h, 72) & 0x4) != 0) {
    return std::unexpected("qcow2 with an external data file is not supported");
  }
  const uint64_t cluster = 1ull << cluster_bits;
  if (!Within(l1_offset, uint64_t{l1_size} * 8, size)) {
    return Truncated("qcow2 L1 table", l1_offset, size);
  }
  if (!Within(refcount_offset, uint64_t{refcount_clusters} << cluster_bits, size)) {
    return Truncated("qcow2 refcount table", refcount_offset, size);
  }
  constexpr uint64_t kOffsetMask = 0x00fffffffffffe00ull;
  TableReader tables(input);
  auto l1 = tables.Read(l1_offset, uint64_t{l1_size} * 8);
  if (!l1) return l1.error() == "budget" ? CheckResult{} : std::unexpected(l1.error());
  for (size_t i = 0; i + 8 <= l1->size(); i += 8) {
    uint64_t l2_offset = Be64(*l1, i) & kOffsetMask;
    if (l2_offset == 0) continue;
    if (!Within(l2_offset, cluster, size)) return Truncated("qcow2 L2 table", l2_offset, size);
    auto l2 = tables.Read(l2_offset, cluster);
    if (!l2) return l2.error() == "budget" ? CheckResult{} : std::unexpected(l2.error());
    for (size_t j = 0; j + 8 <= l2->size(); j += 8) {
      uint64_t entry = Be64(*l2, j);
      uint64_t data_offset;
      if (entry & (1ull << 62)) {  // compressed: the host offset takes the low x bits
        uint32_t x = 62 - (cluster_bits - 8);
        data_offset = entry & ((1ull << x) - 1);
      } else {
        data_offset = entry & kOffsetMask;
      }
      if (data_offset != 0 && data_offset >= size) {
        return Truncated("qcow2 data cluster", data_offset, size);
      }
    }
  }
  auto refcounts = tables.Read(refcount_offset, uint64_t{refcount_clusters} << cluster_bits);
  if (!refcounts) return CheckResult{};
  for (size_t i = 0; i + 8 <= refcounts->size(); i += 8) {
    uint64_t block = Be64(*refcounts, i) & ~(cluster - 1);
    if (block != 0 && !Within(block, cluster, size)) {
      return Truncated("qcow2 refcount block", block, size);
    }
  }
  return {};
}

CheckResult CheckVmdkSparse(const ByteSource& input) {
  const uint64_t size = input.size();
  auto header = input.Read(0, 512);
  if (!header) return std::unexpected(header.error());
  std::string_view h = *header;
  if (h.size() < 79) return std::unexpected("truncated: VMDK header is incomplete");
  uint32_t flags = Le32(h, 8);
  uint64_t capacity = Le64(h, 12);
  uint64_t grain = Le64(h, 20);
  uint64_t desc_offset = Le64(h, 28), desc_size = Le64(h, 36);
  uint32_t gtes_per_gt = Le32(h, 44);
  uint64_t gd_offset = Le64(h, 56);
  uint16_t compress = Le16(h, 77);
  bool stream = (flags & (1u << 17)) != 0 || compress != 0;

  if (grain < 1 || grain > (1u << 16) || (grain & (grain - 1)) != 0) {
    return std::unexpected("VMDK header is corrupt: grain size " + std::to_string(grain));
  }
  if (gtes_per_gt == 0 || gtes_per_gt > (1u << 16)) {
    return std::unexpected("VMDK header is corrupt: " + std::to_string(gtes_per_gt) +
                           " entries per grain table");
  }
  if (capacity == 0 || capacity > (1ull << 50)) {
    return std::unexpected("VMDK header is corrupt: capacity " + std::to_string(capacity) +
                           " sectors");
  }
  if (desc_offset != 0 && desc_size != 0) {
    if (!Within(desc_offset * 512, desc_size * 512, size)) {
      return Truncated("VMDK embedded descriptor", desc_offset * 512, size);
    }
    auto text = input.Read(desc_offset * 512, std::min<uint64_t>(desc_size * 512, 1 << 20));
    if (text) {
      auto desc = ParseVmdkDescriptor(*text);
      if (desc.HasParent()) {
        return std::unexpected("VMDK delta disk with parent \"" + desc.parent_file_name_hint +
                               "\": backing chains are not supported");
      }
      if (desc.create_type == "streamOptimized") stream = true;
    }
  }
  constexpr uint64_t kGdAtEnd = ~0ull;
  if (gd_offset == kGdAtEnd) {
    // VMware's stream layout (ovftool, AMI export): the grain directory is written last and
    // found through the footer, a copy of the header just before the end-of-stream marker
    // (one sector of zeros). A stream cut short has neither. qemu writes its grain
    // directory up front instead, and no marker; the grain checks below cover that layout.
    auto last = input.Read(size >= 512 ? size - 512 : 0, 512);
    if (!last) return std::unexpected(last.error());
    if (size < 1536 || last->size() != 512 ||
        std::any_of(last->begin(), last->end(), [](char c) { return c != 0; })) {
      return std::unexpected("truncated: streamOptimized VMDK without its end-of-stream marker");
    }
    auto footer = input.Read(size - 1024, 512);
    if (!footer || !HasAt(*footer, 0, "KDMV")) {
      return std::unexpected("truncated: streamOptimized VMDK without its footer");
    }
    gd_offset = Le64(*footer, 56);
  }
  uint64_t grains = (capacity + grain - 1) / grain;
  uint64_t tables_count = (grains + gtes_per_gt - 1) / gtes_per_gt;
  if (!Within(gd_offset * 512, tables_count * 4, size) || gd_offset > size / 512) {
    return Truncated("VMDK grain directory", gd_offset * 512, size);
  }
  TableReader tables(input);
  uint64_t last_grain = 0;
  auto gd = tables.Read(gd_offset * 512, tables_count * 4);
  if (!gd) return gd.error() == "budget" ? CheckResult{} : std::unexpected(gd.error());
  for (size_t i = 0; i + 4 <= gd->size(); i += 4) {
    uint64_t gt = Le32(*gd, i);
    if (gt == 0) continue;
    if (!Within(gt * 512, uint64_t{gtes_per_gt} * 4, size)) {
      return Truncated("VMDK grain table", gt * 512, size);
    }
    auto table = tables.Read(gt * 512, uint64_t{gtes_per_gt} * 4);
    if (!table) return table.error() == "budget" ? CheckResult{} : std::unexpected(table.error());
    for (size_t j = 0; j + 4 <= table->size(); j += 4) {
      uint64_t sector = Le32(*table, j);
      if (sector > 1 && sector * 512 >= size) {  // 0: unallocated, 1: zeroed grain
        return Truncated("VMDK grain", sector * 512, size);
      }
      last_grain = std::max(last_grain, sector);
    }
  }
  if (stream && last_grain > 1) {
    // A compressed grain starts with a marker {lba: u64, size: u32}; the furthest one must end
    // inside the file.
    auto marker = input.Read(last_grain * 512, 12);
    if (!marker) return std::unexpected(marker.error());
    uint64_t end = last_grain * 512 + 12 + Le32(*marker, 8);
    if (marker->size() < 12 || end > size) {
      return Truncated("VMDK compressed grain end", end, size);
    }
  }
  return {};
}

CheckResult CheckVhd(const ByteSource& input, bool dynamic) {
  const uint64_t size = input.size();
  auto footer = input.Read(size >= 512 ? size - 512 : 0, 512);
  if (!footer) return std::unexpected(footer.error());
  if (!HasAt(*footer, 0, "conectix")) {
    return std::unexpected("truncated: dynamic VHD without its trailing footer");
  }
  if (!dynamic) {
    uint64_t current = Be64(*footer, 48);
    if (current > size - 512) return Truncated("fixed VHD data end", current, size);
    return {};
  }
  uint64_t header_offset = Be64(*footer, 16);
  auto header = input.Read(header_offset, 1024);
  if (!header) return std::unexpected(header.error());
  if (!HasAt(*header, 0, "cxsparse")) {
    return std::unexpected("dynamic VHD header (\"cxsparse\") not found at offset " +
                           std::to_string(header_offset));
  }
  uint64_t bat_offset = Be64(*header, 16);
  uint32_t entries = Be32(*header, 28);
  uint32_t block_size = Be32(*header, 32);
  if (block_size == 0 || (block_size & 511) != 0) {
    return std::unexpected("dynamic VHD header is corrupt: block size " +
                           std::to_string(block_size));
  }
  if (!Within(bat_offset, uint64_t{entries} * 4, size - 512)) {
    return Truncated("VHD block allocation table", bat_offset, size);
  }
  uint64_t bitmap = ((block_size / 512 / 8) + 511) / 512 * 512;
  TableReader tables(input);
  auto bat = tables.Read(bat_offset, uint64_t{entries} * 4);
  if (!bat) return bat.error() == "budget" ? CheckResult{} : std::unexpected(bat.error());
  for (size_t i = 0; i + 4 <= bat->size(); i += 4) {
    uint32_t sector = Be32(*bat, i);
    if (sector == 0xFFFFFFFFu) continue;
    if (!Within(uint64_t{sector} * 512, bitmap + block_size, size - 512)) {
      return Truncated("VHD data block", uint64_t{sector} * 512, size);
    }
  }
  return {};
}

CheckResult CheckVhdx(const ByteSource& input) {
  const uint64_t size = input.size();
  constexpr uint64_t kRegionTable = 192 * 1024;
  auto table = input.Read(kRegionTable, 64 * 1024);
  if (!table) return std::unexpected(table.error());
  if (!HasAt(*table, 0, "regi")) return Truncated("VHDX region table", kRegionTable, size);
  uint32_t count = std::min<uint32_t>(Le32(*table, 4), 2047);
  // GUID 2DC27766-F623-4200-9D64-115E9BFD4A08 as stored (little-endian first fields).
  constexpr std::string_view kBatGuid = "\x66\x77\xc2\x2d\x23\xf6\x00\x42";
  for (uint32_t i = 0; i < count; ++i) {
    size_t e = 16 + 32 * size_t{i};
    uint64_t offset = Le64(*table, e + 16);
    uint32_t length = Le32(*table, e + 24);
    if (!Within(offset, length, size)) return Truncated("VHDX region", offset, size);
    if (!HasAt(*table, e, kBatGuid)) continue;
    TableReader tables(input);
    auto bat = tables.Read(offset, length);
    if (!bat) return bat.error() == "budget" ? CheckResult{} : std::unexpected(bat.error());
    for (size_t j = 0; j + 8 <= bat->size(); j += 8) {
      uint64_t entry = Le64(*bat, j);
      uint64_t state = entry & 7;
      uint64_t block = (entry >> 20) << 20;  // FileOffsetMB in bits 20..63
      // 6: payload fully present, 7: partially present; both name a block in the file.
      if ((state == 6 || state == 7) && block >= size) {
        return Truncated("VHDX payload block", block, size);
      }
    }
  }
  return {};
}

CheckResult CheckVdi(const ByteSource& input) {
  const uint64_t size = input.size();
  auto header = input.Read(0, 512);
  if (!header) return std::unexpected(header.error());
  std::string_view h = *header;
  uint32_t type = Le32(h, 0x4C);
  if (type == 4)
    return std::unexpected("differencing VDI: it needs its parent image, which is not supported");
  uint32_t blocks_offset = Le32(h, 0x154), data_offset = Le32(h, 0x158);
  uint32_t block_size = Le32(h, 0x178), blocks = Le32(h, 0x180);
  uint32_t allocated = Le32(h, 0x184);
  if (!Within(blocks_offset, uint64_t{blocks} * 4, size)) {
    return Truncated("VDI block map", blocks_offset, size);
  }
  uint64_t data_end = data_offset + uint64_t{allocated} * block_size;
  if (data_end > size) {
    return std::unexpected("truncated: the " + std::to_string(allocated) +
                           " allocated VDI blocks end at offset " + std::to_string(data_end) +
                           ", past the end of the file (" + std::to_string(size) + " bytes)");
  }
  return {};
}

CheckResult CheckStructure(const Detection& detection, const ByteSource& input) {
  switch (detection.format) {
    case Format::kQcow2:
      return CheckQcow2(input);
    case Format::kVmdkSparse:
    case Format::kVmdkStreamOptimized:
      return CheckVmdkSparse(input);
    case Format::kVhdFixed:
      return CheckVhd(input, false);
    case Format::kVhdDynamic:
      return CheckVhd(input, true);
    case Format::kVhdx:
      return CheckVhdx(input);
    case Format::kVdi:
      return CheckVdi(input);
    case Format::kRawDisk:
    case Format::kExtFs:
    case Format::kXfsFs:
    case Format::kBtrfsFs:
      return CheckVolume(detection, input);
    default:
      return {};
  }
}

}  // namespace imageprobe::images
