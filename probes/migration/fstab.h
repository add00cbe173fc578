// SPDX-License-Identifier: Apache-2.0
// /etc/fstab, and which of its entries break when a lifted image boots on EC2 Nitro: disks
// appear as NVMe (/dev/nvme0n1…) there, so /dev/sdX, /dev/xvdX, /dev/hdX and /dev/vdX names
// stop matching, and mounts from on-premises file servers cannot be reached. Pure. The file
// itself is read by the shared parser (scanner/parse/fstab.h), as libmount reads it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/parse/fstab.h"

namespace imageprobe::probes {

enum class NitroRisk { kNone, kDeviceName, kNetworkMount };

struct FstabAssessment {
  NitroRisk risk = NitroRisk::kNone;
  bool nofail = false;  // the boot does not stop when the mount fails
  bool noauto = false;
  std::string reason;  // one line, names the device or server
};
FstabAssessment AssessFstabEntryForNitro(const parse::FstabEntry& entry);

// The migration/fstab_entry fact of one entry: spec, mount_point, type, options.
nlohmann::json FstabEntryFact(const parse::FstabEntry& entry);

}  // namespace imageprobe::probes
