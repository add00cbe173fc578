// SPDX-License-Identifier: Apache-2.0
// The "os" probe, first in the registry: which OS a root holds (os-release, or the legacy
// release files), its hostname, architecture and package format. It fills the root's OsInfo
// (Target::os for every later probe), records the fact "os/release", and raises
// os.end_of_life when the release is past its vendor support on the scan date.
#pragma once

#include <chrono>
#include <functional>

#include "probes/os/os_records.h"
#include "probes/os/os_release.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes::os {

// What the "os/release" fact holds. Facts are compared across image versions, so nothing here
// depends on the scan date.
struct OsReleaseFact {
  Release release;
  std::string hostname;
  std::string arch;
  std::string package_format;
  std::string source;
  // From the end-of-life table, when it has a row for this release.
  std::string standard_support_end;
  std::string extended_support_end;
  std::string extended_support_name;
  std::string support_source;
};
void to_json(nlohmann::json& j, const OsReleaseFact& fact);

// Today's date in UTC; the default clock of OsProbe.
std::chrono::year_month_day TodayUtc();

// What CollectOs finds: the report's OsInfo, plus the full release for the fact.
struct OsIdentity {
  OsInfo info;  // `detected` is false when nothing identifies the OS
  Release release;
};

// Filesystem -> identity (+ diagnostics on `out` for unreadable or malformed files).
OsIdentity CollectOs(const Filesystem& fs, const ScanLimits& limits, Output& out);

// OsInfo -> finding, comparing the table's dates with `today`.
void EvaluateEndOfLife(const OsInfo& os, std::chrono::year_month_day today, Output& out);

class OsProbe final : public Probe {
 public:
  using TodayFn = std::function<std::chrono::year_month_day()>;
  // `today` is injectable so tests do not depend on the calendar.
  explicit OsProbe(TodayFn today = TodayUtc) : today_(std::move(today)) {}

  std::string_view name() const override { return "os"; }
  std::string_view description() const override {
    return "OS identification (os-release, hostname, architecture, package format) and "
           "vendor end of life";
  }
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override { return kOsRecords; }
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;

 private:
  TodayFn today_;
};

}  // namespace imageprobe::probes::os
