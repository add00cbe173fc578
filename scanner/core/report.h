// SPDX-License-Identifier: Apache-2.0
// The report model: what one scan of one image found. Serialised by scanner/report/ as JSON
// with schema "imageprobe/report/v1"; a saved report is a first-class input to `diff`.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/image.h"
#include "scanner/core/model.h"

namespace imageprobe {

inline constexpr std::string_view kReportSchema = "imageprobe/report/v1";

enum class ProbeStatus { kRan, kNotApplicable, kFailed };
std::string_view ProbeStatusName(ProbeStatus status);

struct ProbeRun {
  std::string name;
  ProbeStatus status = ProbeStatus::kRan;
  std::string reason;  // for not applicable / failed
  double seconds = 0;
};

struct RootReport {
  RootInfo root;
  OsInfo os;
  std::vector<ProbeRun> probes;
  std::vector<Fact> facts;         // sorted by (kind, key)
  std::vector<Finding> findings;   // sorted by (rule_id, path, user, identity)
  std::vector<Diagnostic> errors;  // anything unread or failed
  bool partial = false;
};

struct InputInfo {
  std::string path;
  std::string format;
  std::string format_detail;
  uint64_t size = 0;
  std::optional<std::string> sha256;
};

struct Report {
  std::string schema = std::string(kReportSchema);
  std::string tool_version;
  std::string generated_at;          // UTC, ISO 8601: metadata only, never compared by diff
  std::optional<std::string> as_of;  // YYYY-MM-DD that dates were judged on (scan --as-of)
  InputInfo input;
  std::string backend;
  std::string profile = "default";  // severity profile applied to the findings
  std::vector<StageTiming> timings;
  std::vector<RootReport> roots;
  std::vector<Diagnostic> errors;  // image-level
  bool partial = false;            // any root partial, or image-level errors

  // Findings per severity, index by static_cast<size_t>(Severity). Suppressed findings are
  // not counted (see SuppressedCount).
  std::array<size_t, 5> CountBySeverity() const;
  size_t SuppressedCount() const;
  // The most severe finding that is not suppressed, if any: what gates compare against.
  std::optional<Severity> MaxSeverity() const;
};

}  // namespace imageprobe
