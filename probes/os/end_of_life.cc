// SPDX-License-Identifier: Apache-2.0
// References: os-release(5) (ID, NAME, VERSION_ID); the vendor lifecycle pages cited per row
// in end_of_life_table.cc.
#include "probes/os/end_of_life.h"

#include <cstdio>

namespace imageprobe::probes::os {

namespace {

std::string_view MajorOf(std::string_view version) { return version.substr(0, version.find('.')); }

}  // namespace

std::string DistroKey(const OsInfo& os) {
  if (os.id == "centos" && os.name.find("Stream") != std::string::npos) return "centos-stream";
  return os.id;
}

const EolEntry* FindEndOfLife(const OsInfo& os, std::span<const EolEntry> table) {
  if (!os.detected || os.id.empty() || os.version_id.empty()) return nullptr;
  std::string key = DistroKey(os);
  for (const EolEntry& entry : table) {
    if (entry.distro != key) continue;
    bool matches = entry.match == VersionMatch::kExact ? os.version_id == entry.version
                                                       : MajorOf(os.version_id) == entry.version;
    if (matches) return &entry;
  }
  return nullptr;
}

SupportState SupportStateOn(const EolEntry& entry, std::chrono::year_month_day today) {
  using std::chrono::sys_days;
  const auto& all_end = entry.extended_end ? *entry.extended_end : entry.standard_end;
  if (sys_days(today) > sys_days(all_end)) return SupportState::kAllEnded;
  if (sys_days(today) > sys_days(entry.standard_end)) return SupportState::kStandardEnded;
  return SupportState::kSupported;
}

std::string FormatDate(std::chrono::year_month_day date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buf;
}

}  // namespace imageprobe::probes::os
