// SPDX-License-Identifier: Apache-2.0
// References: depmod(8) and modules.dep(5) (line format), kbuild modules.builtin; AWS EC2
// user guide "Enable enhanced networking with ENA" (modinfo ena) and "Amazon EBS and NVMe"
// (nvme driver required on Nitro).
#include "probes/migration/kernel_drivers.h"

#include "scanner/parse/text.h"

namespace imageprobe::probes {

void to_json(nlohmann::json& j, const KernelDrivers& drivers) {
  j = nlohmann::json{{"version", drivers.version},
                     {"known", drivers.known},
                     {"ena", drivers.ena},
                     {"nvme", drivers.nvme},
                     {"evidence", drivers.evidence}};
}

bool IsModuleFile(std::string_view path, std::string_view name) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (!base.starts_with(name)) return false;
  std::string_view rest = base.substr(name.size());
  for (std::string_view suffix : {".ko", ".ko.xz", ".ko.gz", ".ko.zst"}) {
    if (rest == suffix) return true;
  }
  return false;
}

void NoteModuleList(std::string_view text, std::string_view source, KernelDrivers& drivers) {
  drivers.known = true;
  drivers.evidence.emplace_back(source);
  parse::ForEachLine(text, [&](std::string_view line, uint32_t) {
    std::string_view path = parse::TrimWhitespace(line.substr(0, line.find(':')));
    if (IsModuleFile(path, "ena")) drivers.ena = true;
    if (IsModuleFile(path, "nvme")) drivers.nvme = true;
  });
}

}  // namespace imageprobe::probes
