// SPDX-License-Identifier: Apache-2.0
// Vendor end-of-life dates per distribution version, and the judgement "this image's OS is
// past its vendor support" (rule os.end_of_life).
//
// The table (end_of_life_table.cc) is data: one row per distro + version with the end of
// standard support, the end of the vendor's extended tier where one exists (Ubuntu ESM, RHEL
// ELS, SLES LTSS, Debian LTS, Amazon Linux maintenance…), and the source of each row. Only
// dates taken from the vendor's published lifecycle go in; a version that is not in the table
// raises nothing. To add a version: add a row, with its source.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "scanner/core/model.h"

namespace imageprobe::probes::os {

// How a row's version is compared with the image's VERSION_ID.
enum class VersionMatch {
  kExact,  // "14.04" == "14.04"; SLES "15.5" (service packs have their own dates)
  kMajor,  // "7" matches "7", "7.9", "7.9.2009" (RHEL and its rebuilds, Debian)
};

struct EolEntry {
  std::string_view distro;   // os-release ID, or "centos-stream" (see DistroKey)
  std::string_view version;  // "14.04", "7", "15.5"
  VersionMatch match;
  std::chrono::year_month_day standard_end;                 // last day of standard/general support
  std::optional<std::chrono::year_month_day> extended_end;  // last day of the extended tier
  std::string_view extended_name;  // "ESM", "ELS", "LTSS", "LTS", "maintenance support"…
  std::string_view source;         // URL of the vendor's lifecycle page
};

// Every row; defined in end_of_life_table.cc.
std::span<const EolEntry> EndOfLifeTable();

// The table key for an OS: its os-release ID, except CentOS Stream (ID "centos" too), which is
// told apart by its NAME.
std::string DistroKey(const OsInfo& os);

// The row for this OS, if the table has one.
const EolEntry* FindEndOfLife(const OsInfo& os, std::span<const EolEntry> table);

enum class SupportState { kSupported, kStandardEnded, kAllEnded };

// Where `today` falls for `entry`: support ends at the end of the day given.
SupportState SupportStateOn(const EolEntry& entry, std::chrono::year_month_day today);

// "2019-04-30"
std::string FormatDate(std::chrono::year_month_day date);

inline constexpr RuleInfo kEndOfLifeRule{
    "os.end_of_life", Severity::kHigh, "operating system is past its vendor end of life",
    "A release past its vendor's end of support receives no security updates: every "
    "vulnerability published since stays open in images built from it. When only standard "
    "support has ended, fixes come only through a paid or extended tier (Ubuntu ESM, RHEL "
    "ELS, SLES LTSS, Debian LTS), which the image may not be entitled to.",
    "Rebuild the image on a supported release of the distribution, or confirm that the "
    "instances it launches are covered by the vendor's extended support."};

}  // namespace imageprobe::probes::os
