// SPDX-License-Identifier: Apache-2.0
// An LVM2 physical volume's on-disk headers, read as lvm2 reads them, up to the text of its
// volume group's current metadata:
//
//   sector 0..3   label_header "LABELONE" (sector_xl = its own sector, crc_xl over the rest of
//                 the sector from offset_xl, type "LVM2 001"), then at offset_xl the pv_header:
//                 32-character PV uuid, device size, a zero-terminated list of data areas and
//                 one of metadata areas (offset, size in bytes from the start of the PV)
//   each mda      mda_header (checksum, magic " LVM2 x[5A%r0N*>", version 1, start, size),
//                 then raw_locn slots: the first is the committed metadata (offset from the
//                 mda's start, size, checksum, flags); a text that runs past the end of the
//                 area continues right after the 512-byte header (the area is a ring buffer).
//
// References: lvm2 lib/label/label.c (_find_lvm_header: the first 4 sectors, sector_xl must
// match, CRC from offset_xl), lib/format_text/layout.h (structures), format-text.c
// (raw_read_mda_header: checksum over the header from its magic; _vg_read_raw_area: bounds,
// wrap), text_label.c (_text_read: the two disk_locn lists), lib/misc/crc.c (CRC-32, reflected
// polynomial 0xedb88320, seed 0xf597a6cf, no final inversion).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "images/native/block_device.h"

namespace imageprobe::images::native {

// lvm2's calc_crc: CRC-32 continued from `seed` (lvm2 starts from kLvmInitialCrc).
inline constexpr uint32_t kLvmInitialCrc = 0xf597a6cf;
uint32_t LvmCrc(uint32_t seed, std::string_view bytes);

struct DiskArea {
  uint64_t offset = 0;  // bytes from the start of the PV
  uint64_t size = 0;    // bytes; 0 for a data area means "to the end of the device"
};

struct PhysicalVolumeLabel {
  uint64_t label_sector = 0;
  std::string uuid;          // as lvm2 prints it: 6-4-4-4-4-4-6 characters with dashes
  uint64_t device_size = 0;  // bytes, as pvcreate recorded it
  std::vector<DiskArea> data_areas;
  std::vector<DiskArea> metadata_areas;
};

// Fails with the reason when no valid label is in the first four sectors or its PV header is
// malformed (a list running out of the label's sector).
std::expected<PhysicalVolumeLabel, std::string> ReadPhysicalVolumeLabel(const BlockDevice& pv);

struct MetadataText {
  std::string text;  // without the trailing NUL lvm2 writes
  uint64_t mda_offset = 0;
};

// The committed metadata text of one metadata area, its checksum verified. Metadata larger than
// kMaxConfigTextBytes is refused.
std::expected<MetadataText, std::string> ReadMetadataArea(const BlockDevice& pv,
                                                          const DiskArea& area);

// The 32 characters of a label's uuid in lvm2's printed form (id_write_format).
std::string FormatLvmUuid(std::string_view raw32);

}  // namespace imageprobe::images::native
