// SPDX-License-Identifier: Apache-2.0
// Comparing two reports of two versions of an image. Facts are matched by (kind, key) and
// findings by identity — never by position — so reordering or a shifted line is not a change.
// Fields that describe where or when rather than what ("line", "*mtime") are left out of the
// comparison: a rebuilt image touches every timestamp, and that is not news.
//
// The headline is what a reviewer must not miss: access lost (every key of a user gone, a user
// who could log in removed), access or exposure gained (PermitRootLogin, password auth, new
// high/critical findings, a baked registration). Regressions are flagged so a pipeline can gate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scanner/report.h"

namespace imageprobe {

inline constexpr std::string_view kDiffSchema = "imageprobe/diff/v1";

enum class Change { kAdded, kRemoved, kChanged };
std::string_view ChangeName(Change change);

struct FactChange {
  Change change;
  std::string root;  // root name in the new report (old one when removed)
  std::string kind;
  std::string key;
  nlohmann::json old_data;  // null when added
  nlohmann::json new_data;  // null when removed
  std::vector<std::string> changed_fields;  // top-level fields that differ (changed only)
};

struct FindingChange {
  Change change;  // added: new in NEW; removed: resolved; changed: severity or evidence
  std::string root;
  std::optional<Finding> old_finding;
  std::optional<Finding> new_finding;
};

struct Headline {
  std::string text;         // "authorized_keys removed for 3 users: ci, deploy, web"
  bool regression = false;  // access lost, or exposure gained
};

struct DiffReport {
  std::string schema = std::string(kDiffSchema);
  std::string tool_version;
  InputInfo old_input;
  InputInfo new_input;
  std::vector<Headline> headlines;
  std::vector<FactChange> facts;       // sorted by (kind, key)
  std::vector<FindingChange> findings;  // sorted by rule id, identity

  bool HasRegression() const;
  bool Empty() const { return facts.empty() && findings.empty(); }
  // Highest severity among findings that NEW adds (or raises), if any.
  std::optional<Severity> MaxAddedSeverity() const;
};

// Pure: compares two reports. Roots are matched by name; when each side has exactly one root,
// they are compared whatever their names (a disk renamed from sda to nvme0n1 is the same root).
DiffReport DiffReports(const Report& old_report, const Report& new_report);

}  // namespace imageprobe
