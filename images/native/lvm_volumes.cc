// SPDX-License-Identifier: Apache-2.0
#include "images/native/lvm_volumes.h"

#include <optional>

#include "images/native/concat_device.h"
#include "images/native/lvm_label.h"
#include "images/native/lvm_volume_group.h"

namespace imageprobe::images::native {
namespace {

constexpr uint64_t kSector = 512;

std::string DoubledDashes(const std::string& name) {
  std::string out;
  for (char c : name) {
    out += c;
    if (c == '-') out += '-';
  }
  return out;
}

// The newest committed metadata among the PV's areas: lvm2 reads every mda and keeps the copy
// with the highest seqno; an area that fails its checks is skipped while another one serves.
std::expected<LvmVolumeGroup, std::string> ReadNewestVolumeGroup(const BlockDevice& pv,
                                                                 const PhysicalVolumeLabel& label,
                                                                 const std::string& pv_device) {
  if (label.metadata_areas.empty()) {
    return std::unexpected(pv_device + ": LVM PV holds no metadata area");
  }
  std::optional<LvmVolumeGroup> newest;
  std::string first_error;
  for (const DiskArea& area : label.metadata_areas) {
    auto text = ReadMetadataArea(pv, area);
    if (!text) {
      if (first_error.empty()) first_error = pv_device + ": " + text.error();
      continue;
    }
    auto vg = ParseLvmVolumeGroup(text->text, label.uuid);
    if (!vg) {
      if (first_error.empty()) first_error = vg.error();
      continue;
    }
    if (!newest || vg->seqno > newest->seqno) newest = std::move(*vg);
  }
  if (!newest) return std::unexpected(first_error);
  return std::move(*newest);
}

}  // namespace

std::string LvmMapperDevice(const std::string& vg, const std::string& lv) {
  return "/dev/mapper/" + DoubledDashes(vg) + "-" + DoubledDashes(lv);
}

std::expected<std::vector<LvmVolume>, std::string> ExpandLvmPhysicalVolume(
    std::shared_ptr<const BlockDevice> pv, const std::string& pv_device) {
  auto label = ReadPhysicalVolumeLabel(*pv);
  if (!label) return std::unexpected(pv_device + ": " + label.error());
  auto vg = ReadNewestVolumeGroup(*pv, *label, pv_device);
  if (!vg) return std::unexpected(vg.error());

  // Sizes were bounded by ParseLvmVolumeGroup (pe_count * extent_size < 2^40 sectors).
  const uint64_t extent_bytes = vg->extent_size * kSector;
  const uint64_t data_start = vg->pe_start * kSector;
  const uint64_t data_bytes = vg->pe_count * extent_bytes;
  if (vg->pe_start > pv->size() / kSector || data_start > pv->size() ||
      data_bytes > pv->size() - data_start) {
    return std::unexpected(pv_device + " (" + vg->name + "): " + vg->pv_name + "'s " +
                           std::to_string(vg->pe_count) + " extents end past the end of the PV (" +
                           std::to_string(pv->size()) + " bytes)");
  }
  std::vector<LvmVolume> out;
  for (const LvmLogicalVolume& lv : vg->logical_volumes) {
    std::vector<ConcatDevice::Piece> pieces;
    for (const LvmSegment& s : lv.segments) {
      pieces.push_back({data_start + s.pv_extent * extent_bytes, s.extent_count * extent_bytes});
    }
    const std::string device = "/dev/" + vg->name + "/" + lv.name;
    auto bytes = std::make_shared<ConcatDevice>(
        pv, std::move(pieces), "LV " + vg->name + "/" + lv.name + " on " + pv->Describe());
    out.push_back({device, LvmMapperDevice(vg->name, lv.name), std::move(bytes)});
  }
  return out;
}

}  // namespace imageprobe::images::native
