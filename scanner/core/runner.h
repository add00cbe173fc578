// SPDX-License-Identifier: Apache-2.0
// Runs probes over every root of an opened image and assembles the Report.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "scanner/core/image.h"
#include "scanner/core/probe.h"
#include "scanner/core/report.h"

namespace imageprobe {

struct ScanOptions {
  ScanLimits limits;
  ProgressFn progress;  // may be empty
  std::string tool_version;
  std::optional<std::chrono::year_month_day> as_of;  // see Target::as_of; kept in the report
};

// Runs `probes` in the given order on one mounted root. Each probe is isolated: an exception
// becomes a failed ProbeRun plus a diagnostic, and the next probe runs.
RootReport RunProbes(const Filesystem& fs, const RootInfo& root,
                     std::span<const Probe* const> probes, const ScanLimits& limits,
                     std::optional<std::chrono::year_month_day> as_of = std::nullopt);

// Mounts each root of `image` in turn, runs the probes, and builds the whole report.
Report Scan(Image& image, std::span<const Probe* const> probes, const ScanOptions& options);

// Sorts facts and findings into their canonical order so output is deterministic.
void Canonicalize(RootReport& root);

}  // namespace imageprobe
