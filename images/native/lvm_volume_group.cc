// SPDX-License-Identifier: Apache-2.0
#include "images/native/lvm_volume_group.h"

#include <algorithm>
#include <optional>

#include "images/native/lvm_config_text.h"

namespace imageprobe::images::native {
namespace {

using Result = std::expected<LvmVolumeGroup, std::string>;

bool Has(const std::optional<std::vector<std::string>>& words, std::string_view word) {
  return words && std::ranges::find(*words, word) != words->end();
}

std::optional<uint64_t> Unsigned(const ConfigSection& s, std::string_view key) {
  auto v = s.Integer(key);
  if (!v || *v < 0) return std::nullopt;
  return static_cast<uint64_t>(*v);
}

// One segment of an LV: linear or a reason.
std::expected<LvmSegment, std::string> ReadSegment(const LvmVolumeGroup& vg,
                                                   const std::string& lv_id,
                                                   const ConfigSection& seg, int number) {
  const std::string where = lv_id + ": segment " + std::to_string(number);
  auto type = seg.String("type");
  if (!type) return std::unexpected(where + " has no type");
  if (*type == "snapshot") {
    // The snapshot's data is the visible LV named by cow_store: read as linear it would show
    // the copy-on-write store, not the snapshot.
    return std::unexpected(vg.name + "/" + seg.String("cow_store").value_or("?") +
                           " is a snapshot of " + vg.name + "/" +
                           seg.String("origin").value_or("?"));
  }
  if (*type != "striped") return std::unexpected(lv_id + ": segment type " + *type);
  auto start = Unsigned(seg, "start_extent");
  auto count = Unsigned(seg, "extent_count");
  auto stripe_count = Unsigned(seg, "stripe_count");
  if (!start || !count || !stripe_count) {
    return std::unexpected(where + " lacks start_extent, extent_count or stripe_count");
  }
  if (*stripe_count != 1) {
    return std::unexpected(where + " is striped over " + std::to_string(*stripe_count) +
                           " stripes");
  }
  const ConfigSetting* stripes = seg.FindSetting("stripes");
  if (stripes == nullptr || !stripes->is_array || stripes->values.size() != 2 ||
      stripes->values[0].kind != ConfigValue::Kind::kString ||
      stripes->values[1].kind != ConfigValue::Kind::kInteger || stripes->values[1].integer < 0) {
    return std::unexpected(where + ": stripes is not [\"pvN\", extent]");
  }
  if (stripes->values[0].text != vg.pv_name) {
    return std::unexpected(where + " maps to " + stripes->values[0].text + ", not a PV of " +
                           vg.name);
  }
  if (*count == 0) return std::unexpected(where + " has no extents");
  const auto pv_extent = static_cast<uint64_t>(stripes->values[1].integer);
  if (pv_extent > vg.pe_count || *count > vg.pe_count - pv_extent) {
    return std::unexpected(where + " maps extents past the end of " + vg.pv_name + " (" +
                           std::to_string(pv_extent) + "+" + std::to_string(*count) + " > " +
                           std::to_string(vg.pe_count) + ")");
  }
  return LvmSegment{*start, *count, pv_extent};
}

// An LV's segments in order, contiguous from extent 0: as lv_manip.c keeps them (lvm2's own
// check_lv_segments reports "Gap in extents" otherwise).
std::expected<LvmLogicalVolume, std::string> ReadLogicalVolume(const LvmVolumeGroup& vg,
                                                               const ConfigSection& lv) {
  const std::string lv_id = vg.name + "/" + lv.name;
  LvmLogicalVolume out{lv.name, {}, 0};
  auto segment_count = Unsigned(lv, "segment_count");
  if (!segment_count || *segment_count == 0) {
    return std::unexpected(lv_id + " has no segment_count");
  }
  for (uint64_t n = 1; n <= *segment_count; ++n) {
    const ConfigSection* seg = lv.FindSection("segment" + std::to_string(n));
    if (seg == nullptr) {
      return std::unexpected(lv_id + ": segment " + std::to_string(n) + " of " +
                             std::to_string(*segment_count) + " is missing");
    }
    auto segment = ReadSegment(vg, lv_id, *seg, static_cast<int>(n));
    if (!segment) return std::unexpected(segment.error());
    out.segments.push_back(*segment);
  }
  std::ranges::stable_sort(out.segments, {}, &LvmSegment::start_extent);
  for (size_t i = 0; i < out.segments.size(); ++i) {
    const LvmSegment& s = out.segments[i];
    if (s.start_extent != out.extent_count) {
      return std::unexpected(
          lv_id + ": segment at extent " + std::to_string(s.start_extent) +
          (s.start_extent < out.extent_count ? " overlaps" : " leaves a gap after") + " extent " +
          std::to_string(out.extent_count));
    }
    out.extent_count += s.extent_count;
  }
  return out;
}

// The first segment anywhere in the VG that is not linear, as a reason: said before "spans 2
// physical volumes" because it is the more telling one (striping needs two PVs).
std::optional<std::string> FirstUnsupportedSegment(const std::string& vg_name,
                                                   const ConfigSection& vg_section) {
  const ConfigSection* lvs = vg_section.FindSection("logical_volumes");
  if (lvs == nullptr) return std::nullopt;
  for (const ConfigSection& lv : lvs->sections) {
    for (const ConfigSection& seg : lv.sections) {
      auto type = seg.String("type");
      if (!type) continue;
      if (*type != "striped") return vg_name + "/" + lv.name + ": segment type " + *type;
      if (auto stripes = Unsigned(seg, "stripe_count"); stripes && *stripes != 1) {
        const std::string number = seg.name.starts_with("segment") ? seg.name.substr(7) : seg.name;
        return vg_name + "/" + lv.name + ": segment " + number + " is striped over " +
               std::to_string(*stripes) + " stripes";
      }
    }
  }
  return std::nullopt;
}

// Two segments mapping the same physical extent: lvm2's vg_validate refuses such a VG ("PV
// segment ... overlap"). Checking it also bounds every LV by the PV's size.
std::optional<std::string> FirstSharedExtent(const LvmVolumeGroup& vg,
                                             const std::vector<LvmLogicalVolume>& lvs) {
  struct Range {
    uint64_t first, count;
    const std::string* lv;
  };
  std::vector<Range> ranges;
  for (const auto& lv : lvs) {
    for (const auto& s : lv.segments) ranges.push_back({s.pv_extent, s.extent_count, &lv.name});
  }
  std::ranges::sort(ranges, {}, &Range::first);
  for (size_t i = 1; i < ranges.size(); ++i) {
    const Range& a = ranges[i - 1];
    const Range& b = ranges[i];
    if (b.first < a.first + a.count) {
      return vg.name + "/" + *a.lv + " and " + vg.name + "/" + *b.lv + " both map extent " +
             std::to_string(b.first) + " of " + vg.pv_name;
    }
  }
  return std::nullopt;
}

// Whether lvm2's `lvs -S 'lv_role=public && lv_skip_activation!=yes'` lists the LV.
bool ListedByLibguestfs(const ConfigSection& lv) {
  return Has(lv.Strings("status"), "VISIBLE") && !Has(lv.Strings("flags"), "ACTIVATION_SKIP");
}

}  // namespace

bool IsValidLvmName(std::string_view name) {
  if (name.empty() || name.size() > 127 || name.front() == '-' || name == "." || name == "..") {
    return false;
  }
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '_' || c == '.' || c == '-';
  });
}

std::expected<LvmVolumeGroup, std::string> ParseLvmVolumeGroup(std::string_view metadata,
                                                               std::string_view pv_uuid) {
  auto config = ParseConfigText(metadata);
  if (!config) return std::unexpected("LVM metadata: " + config.error());
  if (config->sections.size() != 1) {
    return std::unexpected("LVM metadata holds " + std::to_string(config->sections.size()) +
                           " volume groups, not one");
  }
  const ConfigSection& vg_section = config->sections.front();
  LvmVolumeGroup vg;
  vg.name = vg_section.name;
  if (!IsValidLvmName(vg.name)) return std::unexpected("LVM metadata: invalid VG name");
  vg.seqno = vg_section.Integer("seqno").value_or(0);
  auto vg_status = vg_section.Strings("status");
  if (!vg_status) return std::unexpected(vg.name + " has no status");
  if (Has(vg_status, "EXPORTED")) return std::unexpected(vg.name + " is exported");
  if (Has(vg_status, "CLUSTERED")) return std::unexpected(vg.name + " is clustered");
  if (auto lock = vg_section.String("lock_type"); lock && *lock != "none") {
    return std::unexpected(vg.name + " is a shared VG (lock_type " + *lock + ")");
  }
  if (Has(vg_section.Strings("flags"), "NOAUTOACTIVATE")) {
    return std::unexpected(vg.name + " has autoactivation disabled");
  }
  auto extent_size = Unsigned(vg_section, "extent_size");
  if (!extent_size || *extent_size == 0 || *extent_size > (uint64_t{1} << 32)) {
    return std::unexpected(vg.name + ": bad extent_size");
  }
  vg.extent_size = *extent_size;

  const ConfigSection* pvs = vg_section.FindSection("physical_volumes");
  if (pvs == nullptr || pvs->sections.empty()) {
    return std::unexpected(vg.name + " has no physical volumes");
  }
  if (pvs->sections.size() != 1) {
    if (auto reason = FirstUnsupportedSegment(vg.name, vg_section)) return std::unexpected(*reason);
    return std::unexpected(vg.name + " spans " + std::to_string(pvs->sections.size()) +
                           " physical volumes");
  }
  const ConfigSection& pv = pvs->sections.front();
  vg.pv_name = pv.name;
  if (pv.String("id") != pv_uuid) {
    return std::unexpected(vg.name + "'s " + pv.name + " has id " + pv.String("id").value_or("?") +
                           ", not the label's " + std::string(pv_uuid));
  }
  if (Has(pv.Strings("flags"), "MISSING"))
    return std::unexpected(vg.name + ": " + pv.name + " is missing");
  auto pe_start = Unsigned(pv, "pe_start");
  auto pe_count = Unsigned(pv, "pe_count");
  if (!pe_start || !pe_count)
    return std::unexpected(vg.name + "/" + pv.name + " lacks pe_start or pe_count");
  vg.pe_start = *pe_start;
  vg.pe_count = *pe_count;
  if (vg.pe_count > (uint64_t{1} << 40) / vg.extent_size) {
    return std::unexpected(vg.name + ": " + pv.name + " of " + std::to_string(vg.pe_count) +
                           " extents is implausibly large");
  }

  std::vector<LvmLogicalVolume> all;  // listed or not: each maps extents of the PV
  if (const ConfigSection* lvs = vg_section.FindSection("logical_volumes")) {
    for (const ConfigSection& lv : lvs->sections) {
      if (!IsValidLvmName(lv.name)) return std::unexpected(vg.name + ": invalid LV name");
      // Every LV is read, even those libguestfs does not list: a hidden snapshot or a thin
      // pool's segment changes what the listed ones hold.
      auto read = ReadLogicalVolume(vg, lv);
      if (!read) return std::unexpected(read.error());
      all.push_back(*read);
      if (!ListedByLibguestfs(lv)) continue;
      if (Has(lv.Strings("flags"), "NOAUTOACTIVATE")) {
        return std::unexpected(vg.name + "/" + lv.name + " has autoactivation disabled");
      }
      vg.logical_volumes.push_back(std::move(*read));
    }
  }
  std::ranges::sort(vg.logical_volumes, {}, &LvmLogicalVolume::name);
  if (auto overlap = FirstSharedExtent(vg, all)) return std::unexpected(*overlap);
  return vg;
}

}  // namespace imageprobe::images::native
