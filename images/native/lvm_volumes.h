// SPDX-License-Identifier: Apache-2.0
// An LVM2 physical volume expanded into the logical volumes the appliance would show for it:
// label → metadata areas (the one with the highest seqno wins, as lvm2's vg_read takes the
// newest copy) → volume group → one BlockDevice per listed LV, the concatenation of its
// segments' extent ranges of the PV.
//
// LVs are named as libguestfs names them: guestfs_lvs prints /dev/VG/LV, sorted; fstabs may
// also say /dev/mapper/VG-LV (device-mapper's name, dashes inside VG and LV doubled).
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "images/native/block_device.h"

namespace imageprobe::images::native {

struct LvmVolume {
  std::string device;         // "/dev/vg0/root"
  std::string mapper_device;  // "/dev/mapper/vg0-root"
  std::shared_ptr<const BlockDevice> bytes;
};

// Reasons name `pv_device` ("/dev/sda1: no valid LVM2 label ...") or the VG/LV.
std::expected<std::vector<LvmVolume>, std::string> ExpandLvmPhysicalVolume(
    std::shared_ptr<const BlockDevice> pv, const std::string& pv_device);

// "vg-0", "my-lv" → "/dev/mapper/vg--0-my--lv" (lvm2's dm_build_dm_name).
std::string LvmMapperDevice(const std::string& vg, const std::string& lv);

}  // namespace imageprobe::images::native
