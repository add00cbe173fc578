// SPDX-License-Identifier: Apache-2.0
// References: see systemd_unit.h.
#include "probes/aws/systemd_unit.h"

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
      auto link = target.fs.ReadLink(path);
      if (link && *link == "/dev/null") result.masked = true;
    }
    // A .wants entry may itself be a symlink to a directory; ListDir follows it.
    if (!entry.name.ends_with(".wants")) continue;
    // Lstat must not meet a symlink in a parent component, so resolve the directory first.
    auto dir = entry.stat.IsSymlink() ? target.fs.Resolve(path) : FsResult<std::string>(path);
    if (!dir) continue;
    if (target.fs.Exists(*dir + "/" + std::string(unit))) {
      result.wanted_by.push_back(path + "/" + std::string(unit));
    }
  }
  return result;
}

}  // namespace imageprobe::probes
