// SPDX-License-Identifier: Apache-2.0
// /etc/fstab, and which of its entries break when a lifted image boots on EC2 Nitro: disks
// appear as NVMe (/dev/nvme0n1…) there, so /dev/sdX, /dev/xvdX, /dev/hdX and /dev/vdX names
// stop matching, and mounts from on-premises file servers cannot be reached. Pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

struct FstabEntry {
  std::string spec;  // first field, \040-style escapes decoded
  std::string mount_point;
  std::string type;
  std::string options;  // "defaults" when the field is missing
  uint32_t line = 0;
  bool HasOption(std::string_view option) const;
};

struct FstabProblem {
  uint32_t line = 0;
  std::string message;
};

struct ParsedFstab {
  std::vector<FstabEntry> entries;
  std::vector<FstabProblem> problems;
};
ParsedFstab ParseFstab(std::string_view text);

enum class NitroRisk { kNone, kDeviceName, kNetworkMount };

struct FstabAssessment {
  NitroRisk risk = NitroRisk::kNone;
  bool nofail = false;  // the boot does not stop when the mount fails
  bool noauto = false;
  std::string reason;  // one line, names the device or server
};
FstabAssessment AssessFstabEntryForNitro(const FstabEntry& entry);

void to_json(nlohmann::json& j, const FstabEntry& entry);

}  // namespace imageprobe::probes
