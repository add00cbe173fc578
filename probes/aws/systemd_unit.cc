// SPDX-License-Identifier: Apache-2.0
// References: see systemd_unit.h.
#include "probes/aws/systemd_unit.h"

#include "probes/common/optional_read.h"

namespace imageprobe::probes {

UnitEnablement CheckUnitEnablement(const Target& target, std::string_view unit, Output& out) {
  UnitEnablement result;
  constexpr std::string_view kDir = "/etc/systemd/system";
  auto entries = target.fs.ListDir(kDir);
  if (!entries) {
    if (entries.error().code != FsErrc::kNotFound) {
      out.Error(std::string(kDir), entries.error().Message());
    }
    return result;
  }
  for (const auto& entry : *entries) {
    std::string path = std::string(kDir) + "/" + entry.name;
    if (entry.name == unit && entry.stat.IsSymlink()) {
      auto link = ReadLinkResolvingParents(target.fs, path);
      if (link && *link == "/dev/null") result.masked = true;
    }
    // A .wants entry may itself be a symlink to a directory; EntryExists resolves parents.
    if (!entry.name.ends_with(".wants")) continue;
    std::string candidate = path + "/" + std::string(unit);
    if (EntryExists(target.fs, candidate)) result.wanted_by.push_back(std::move(candidate));
  }
  return result;
}

}  // namespace imageprobe::probes
