// SPDX-License-Identifier: Apache-2.0
// Whether an installed kernel can drive EC2 Nitro hardware: ENA (ena.ko, the network adapter)
// and NVMe (nvme.ko, how EBS volumes appear). Evidence comes from module file names found in
// the kernel's module folders and from the modules.builtin and modules.dep text files, so the
// probe never has to walk /lib/modules/<version> whole. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

struct KernelDrivers {
  std::string version;
  bool known = false;  // some evidence was readable; false = cannot tell
  bool ena = false;
  bool nvme = false;
  std::vector<std::string> evidence;  // "modules.dep", "modules.builtin", module file paths
};
void to_json(nlohmann::json& j, const KernelDrivers& drivers);

// True when `path` (a modules.dep/.builtin path or a file name) is the module `name`:
// "kernel/drivers/nvme/host/nvme.ko.xz" is nvme, "nvme-core.ko" is not.
bool IsModuleFile(std::string_view path, std::string_view name);

// modules.builtin: one path per line. modules.dep: "path: dependencies" per line.
// Either text marks which of ena and nvme it lists.
void NoteModuleList(std::string_view text, std::string_view source, KernelDrivers& drivers);

}  // namespace imageprobe::probes
