// SPDX-License-Identifier: Apache-2.0
// Suppressions: findings someone has looked at and accepted, for now. Two sources:
//   - an ignore file (`scan --ignore FILE`, YAML, format in docs/gating.md): entries of rule id,
//     optional path (glob) and user, a required reason, and an optional expiry date. An expired
//     entry stops suppressing and raises ignore.expired; an entry matching nothing raises
//     ignore.unused (a stale suppression is one that will hide the next finding by accident).
//   - a baseline (`scan --baseline REPORT.json`): findings whose identity the saved report
//     already had are marked, so the report shows only what is new.
// Suppressed findings stay in the report, marked (Finding::suppressed); they are left out of
// counts and gates, never out of the JSON. Everything here is a pure function over a Report.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/iso_date.h"  // ParseIsoDate, FormatIsoDate: used with ignore files
#include "scanner/core/model.h"
#include "scanner/core/report.h"

namespace imageprobe::gate {

inline constexpr int kIgnoreFileVersion = 1;

struct IgnoreEntry {
  std::string rule;    // a rule id, or a prefix ending in ".*" ("secrets.history.*")
  std::string path;    // empty: any; else a guest path glob ("/home/*/.bash_history")
  std::string user;    // empty: any
  std::string reason;  // required: why this is accepted
  std::optional<std::chrono::year_month_day> expires;  // last day the entry suppresses
  uint32_t line = 0;  // where the entry starts in the file, for messages

  bool Matches(const Finding& finding) const;
  std::string Describe() const;  // "rule ssh.host_keys.present path /etc/ssh/* user -"
};

struct IgnoreFile {
  std::string source;  // the file name, for messages and evidence
  std::vector<IgnoreEntry> entries;
};

// Parses an ignore file. On error: one line saying where and why ("line 7: entry 2 has no
// reason").
std::expected<IgnoreFile, std::string> ParseIgnoreFile(std::string_view text, std::string source);

// The ignore.* rules, for `imageprobe rules`.
std::span<const RuleInfo> SuppressionRules();

// Marks every finding an unexpired entry matches (first matching entry in file order gives the
// reason), then adds ignore.expired for each expired entry and ignore.unused for each entry that
// matched nothing. An entry expires after its `expires` day: on that day it still suppresses.
// The ignore.* findings go to the first root and are never suppressed themselves.
void ApplyIgnoreFile(const IgnoreFile& file, std::chrono::year_month_day today, Report& report);

// Marks every unsuppressed finding whose identity is in `baseline` as suppressed by "baseline".
// expect.* findings are exempt (an unmet expectation is waived only by changing the
// expectations or by an explicit ignore entry), and so are ignore.* findings.
void ApplyBaseline(const Report& baseline, std::string_view baseline_source, Report& report);

}  // namespace imageprobe::gate
