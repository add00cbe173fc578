// SPDX-License-Identifier: Apache-2.0
// The gate's policy for one scan, applied to its report in a fixed order:
//   1. expectations (--expect) add expect.* findings;
//   2. the profile (--profile) re-rates findings, expect.* included;
//   3. the ignore file (--ignore) suppresses, and adds ignore.* findings;
//   4. the baseline (--baseline) suppresses what the saved report already had.
// Suppression comes after re-rating so that a suppressed finding still shows the severity it
// would have had. Pure: the files are read and parsed by the CLI.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "scanner/core/record_catalog.h"
#include "scanner/core/report.h"
#include "scanner/gate/expectations.h"
#include "scanner/gate/profiles.h"
#include "scanner/gate/suppressions.h"

namespace imageprobe::gate {

struct Policy {
  Profile profile = Profile::kDefault;
  std::optional<Expectations> expectations;
  std::optional<IgnoreFile> ignore;
  std::optional<Report> baseline;
  std::string baseline_source;        // the baseline's file name, for the suppression reason
  std::chrono::year_month_day today;  // for ignore-file expiry
};

// `catalog` declares the kinds the expectations read.
void ApplyPolicy(const Policy& policy, const RecordCatalog& catalog, Report& report);

}  // namespace imageprobe::gate
