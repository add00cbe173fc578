// SPDX-License-Identifier: Apache-2.0
// An LVM2 volume group from its metadata text (lvm_config_text.h), as far as the native engine
// reads one: a VG on one PV, its LVs linear (segments of type "striped" with one stripe),
// each LV a list of extent ranges of that PV.
//
//   vg0 { extent_size = 8192 (sectors)  physical_volumes { pv0 { id, pe_start, pe_count } }
//         logical_volumes { root { status = [..., "VISIBLE"]  segment_count = 2
//             segment1 { start_extent = 0  extent_count = 24  type = "striped"
//                        stripe_count = 1  stripes = ["pv0", 0] } ... } } }
//
// Which LVs are listed is what libguestfs lists (daemon/lvm.c do_lvs:
// `lvs -S 'lv_role=public && lv_skip_activation!=yes'`): an LV without the VISIBLE status is
// private (a thin pool's _tdata, a snapshot's internal LV) and one with the ACTIVATION_SKIP
// flag is not activated; both are left out, as the appliance leaves them out.
//
// Everything else the engine does not read is a reason, naming the VG or LV: another segment
// type anywhere in the VG ("vg0/pool: segment type thin-pool", "vg0/snap: a snapshot of
// vg0/root"), striping ("vg0/data: segment 1 is striped over 2 stripes"), a VG spanning PVs,
// an exported, shared or clustered VG, a missing PV, an LV whose autoactivation is off.
// Malformed maps (segments out of order, overlapping, with a gap, past pe_count) are errors
// naming the LV and the segment.
//
// References: lvm2 lib/format_text/import_vsn1.c (_read_vg, _read_pv, _read_lv,
// _read_segment), lib/format_text/flags.c (status and flag words), lib/metadata/lv_manip.c
// (segments are contiguous from extent 0), lib/report/report.c (lv_role "public").
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::images::native {

struct LvmSegment {
  uint64_t start_extent = 0;  // in the LV
  uint64_t extent_count = 0;
  uint64_t pv_extent = 0;  // first physical extent on the PV
};

struct LvmLogicalVolume {
  std::string name;
  std::vector<LvmSegment> segments;  // sorted, contiguous from extent 0
  uint64_t extent_count = 0;
};

struct LvmVolumeGroup {
  std::string name;
  int64_t seqno = 0;
  uint64_t extent_size = 0;  // sectors of 512 bytes
  std::string pv_name;       // "pv0"
  uint64_t pe_start = 0;     // sectors from the start of the PV
  uint64_t pe_count = 0;
  std::vector<LvmLogicalVolume> logical_volumes;  // the public, activated ones, sorted by name
};

// `pv_uuid` is the label's (FormatLvmUuid form): the metadata's PV must carry it.
std::expected<LvmVolumeGroup, std::string> ParseLvmVolumeGroup(std::string_view metadata,
                                                               std::string_view pv_uuid);

// lvm2's name rule (lib/misc/lvm-string.c validate_name): 1-127 characters of [a-zA-Z0-9+_.-],
// not starting with '-', not "." or "..".
bool IsValidLvmName(std::string_view name);

}  // namespace imageprobe::images::native
