// SPDX-License-Identifier: Apache-2.0
#include "images/native/lvm_label.h"

#include <array>

#include "images/byte_reader.h"
#include "images/native/lvm_config_text.h"

namespace imageprobe::images::native {
namespace {

constexpr uint64_t kSector = 512;
constexpr uint64_t kLabelScanSectors = 4;
constexpr uint64_t kMdaHeaderSize = 512;
constexpr std::string_view kMdaMagic = " LVM2 x[5A%r0N*>";
constexpr size_t kDiskLocnSize = 16;
constexpr size_t kRawLocnSize = 24;
constexpr uint32_t kRawLocnIgnored = 1;

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

}  // namespace

uint32_t LvmCrc(uint32_t seed, std::string_view bytes) {
  uint32_t crc = seed;
  for (unsigned char b : bytes) crc = kCrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
  return crc;
}

std::string FormatLvmUuid(std::string_view raw32) {
  // id_write_format: groups of 6, 4, 4, 4, 4, 4, 6 characters.
  static constexpr std::array<size_t, 7> kGroups = {6, 4, 4, 4, 4, 4, 6};
  std::string out;
  size_t pos = 0;
  for (size_t g = 0; g < kGroups.size() && pos < raw32.size(); ++g) {
    if (g > 0) out += '-';
    out += raw32.substr(pos, kGroups[g]);
    pos += kGroups[g];
  }
  return out;
}

std::expected<PhysicalVolumeLabel, std::string> ReadPhysicalVolumeLabel(const BlockDevice& pv) {
  if (pv.size() < kLabelScanSectors * kSector) {
    return std::unexpected("LVM PV is smaller than its label area (" + std::to_string(pv.size()) +
                           " bytes)");
  }
  auto head = pv.Read(0, kLabelScanSectors * kSector);
  if (!head) return std::unexpected("LVM label: " + head.error());
  for (uint64_t sector = 0; sector < kLabelScanSectors; ++sector) {
    const std::string_view label = std::string_view(*head).substr(sector * kSector, kSector);
    if (!HasAt(label, 0, "LABELONE")) continue;
    // As _find_lvm_header: a label that names another sector, or whose CRC is wrong, is ignored.
    if (Le64(label, 8) != sector) continue;
    const uint32_t offset = Le32(label, 20);
    if (LvmCrc(kLvmInitialCrc, label.substr(20)) != Le32(label, 16)) continue;
    if (!HasAt(label, 24, "LVM2 001")) continue;
    if (offset < 32 || offset > kSector - 40) {
      return std::unexpected("LVM label at sector " + std::to_string(sector) +
                             ": PV header offset " + std::to_string(offset) + " is outside it");
    }
    PhysicalVolumeLabel out;
    out.label_sector = sector;
    out.uuid = FormatLvmUuid(label.substr(offset, 32));
    out.device_size = Le64(label, offset + 32);
    size_t pos = offset + 40;
    // Two zero-terminated lists of disk_locn; each must end inside the label's sector.
    for (auto* list : {&out.data_areas, &out.metadata_areas}) {
      while (true) {
        if (pos + kDiskLocnSize > kSector) {
          return std::unexpected("LVM PV header at sector " + std::to_string(sector) +
                                 ": area list runs past the label sector");
        }
        DiskArea area{Le64(label, pos), Le64(label, pos + 8)};
        pos += kDiskLocnSize;
        if (area.offset == 0) break;
        list->push_back(area);
      }
    }
    return out;
  }
  return std::unexpected("no valid LVM2 label in the first 4 sectors");
}

std::expected<MetadataText, std::string> ReadMetadataArea(const BlockDevice& pv,
                                                          const DiskArea& area) {
  const std::string where = "metadata area at " + std::to_string(area.offset);
  if (area.size < kMdaHeaderSize || area.offset > pv.size() ||
      area.size > pv.size() - area.offset) {
    return std::unexpected(where + ": " + std::to_string(area.size) + " bytes do not fit the PV (" +
                           std::to_string(pv.size()) + " bytes)");
  }
  auto header_bytes = pv.Read(area.offset, kMdaHeaderSize);
  if (!header_bytes) return std::unexpected(where + ": " + header_bytes.error());
  const std::string_view header = *header_bytes;
  if (!HasAt(header, 4, kMdaMagic)) return std::unexpected(where + ": no mda_header magic");
  if (LvmCrc(kLvmInitialCrc, header.substr(4)) != Le32(header, 0)) {
    return std::unexpected(where + ": mda_header checksum mismatch");
  }
  if (Le32(header, 20) != 1) {
    return std::unexpected(where + ": mda_header version " + std::to_string(Le32(header, 20)));
  }
  if (Le64(header, 24) != area.offset) {
    return std::unexpected(where + ": mda_header says it starts at " +
                           std::to_string(Le64(header, 24)));
  }
  // lvm2 trusts the header's size; it must still lie inside the area the label gave.
  const uint64_t mda_size = Le64(header, 32);
  if (mda_size < kMdaHeaderSize || mda_size > area.size) {
    return std::unexpected(where + ": mda_header size " + std::to_string(mda_size) +
                           " is outside the area of " + std::to_string(area.size) + " bytes");
  }
  constexpr size_t kFirstLocn = 40;
  const uint64_t offset = Le64(header, kFirstLocn);
  const uint64_t size = Le64(header, kFirstLocn + 8);
  const uint32_t checksum = Le32(header, kFirstLocn + 16);
  const uint32_t flags = Le32(header, kFirstLocn + 20);
  static_assert(kFirstLocn + kRawLocnSize <= kMdaHeaderSize);
  if (offset == 0) return std::unexpected(where + ": holds no metadata");
  if (flags & kRawLocnIgnored) return std::unexpected(where + ": marked ignored");
  // The bounds _vg_read_raw_area checks.
  if (offset < kMdaHeaderSize || offset >= mda_size || size > mda_size - kMdaHeaderSize) {
    return std::unexpected(where + ": metadata location out of bounds (offset " +
                           std::to_string(offset) + " size " + std::to_string(size) + " mda " +
                           std::to_string(mda_size) + ")");
  }
  if (size > kMaxConfigTextBytes) {
    return std::unexpected(where + ": metadata of " + std::to_string(size) +
                           " bytes is over the limit of " + std::to_string(kMaxConfigTextBytes));
  }
  const uint64_t wrap = offset + size > mda_size ? offset + size - mda_size : 0;
  auto first = pv.Read(area.offset + offset, size - wrap);
  if (!first) return std::unexpected(where + ": " + first.error());
  std::string text = std::move(*first);
  if (wrap > 0) {
    auto second = pv.Read(area.offset + kMdaHeaderSize, wrap);
    if (!second) return std::unexpected(where + ": " + second.error());
    text += *second;
  }
  if (LvmCrc(kLvmInitialCrc, text) != checksum) {
    return std::unexpected(where + ": metadata checksum mismatch");
  }
  if (const size_t nul = text.find('\0'); nul != std::string::npos) text.resize(nul);
  return MetadataText{std::move(text), area.offset};
}

}  // namespace imageprobe::images::native
