// SPDX-License-Identifier: Apache-2.0
// Comparing two reports of two versions of an image. Facts are matched by (kind, key) and
// findings by identity — never by position — so reordering or a shifted line is not a change.
// What each kind's members mean comes from its declaration (scanner/core/record_kind.h): members
// that say where or when rather than what ("line", "mtime") are left out of the comparison, and
// origins ("/etc/ssh/sshd_config:8") are compared without their line, because a rebuilt image
// touches every timestamp and a shifted line is not news.
//
// The headline is what a reviewer must not miss: access lost (every key of a user gone, a user
// who could log in removed), access or exposure gained (PermitRootLogin, password auth, new
// high/critical findings, a baked registration). Each kind's declaration says how its changes
// read as headlines; regressions are flagged so a pipeline can gate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scanner/core/record_catalog.h"
#include "scanner/core/report.h"

namespace imageprobe {

inline constexpr std::string_view kDiffSchema = "imageprobe/diff/v1";

enum class Change { kAdded, kRemoved, kChanged };
std::string_view ChangeName(Change change);

struct FactChange {
  Change change;
  std::string root;  // root name in the new report (old one when removed)
  std::string kind;
  std::string key;
  nlohmann::json old_data;                  // null when added
  nlohmann::json new_data;                  // null when removed
  std::vector<std::string> changed_fields;  // top-level fields that differ (changed only)
  // A kind with a text member (a config file's redacted text) changed with text on both sides:
  // the unified diff of the texts, hunks only (see scanner/core/line_diff.h).
  std::vector<std::string> text_diff;
  // A record that left one key and arrived at another (an authorized key moved between users,
  // paired by its kind's headline rule): on the removed entry, the key it has in NEW; on the
  // added entry, the key it had in OLD.
  std::string moved_to;
  std::string moved_from;
};

struct FindingChange {
  Change change;  // added: new in NEW; removed: resolved; changed: severity changed
                  // (evidence may differ too; alone it is not a change)
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
  std::vector<FactChange> facts;        // sorted by (kind, key)
  std::vector<FindingChange> findings;  // sorted by rule id, identity

  bool HasRegression() const;
  bool Empty() const { return facts.empty() && findings.empty(); }
  // Highest severity among findings that NEW adds (or raises), if any.
  std::optional<Severity> MaxAddedSeverity() const;
};

// Pure: compares two reports. Roots are matched by name; when each side has exactly one root,
// they are compared whatever their names (a disk renamed from sda to nvme0n1 is the same root).
// `catalog` declares the kinds (a kind it does not know is compared whole, with no headline).
DiffReport DiffReports(const Report& old_report, const Report& new_report,
                       const RecordCatalog& catalog);

}  // namespace imageprobe
