// SPDX-License-Identifier: Apache-2.0
// The rules catalogue (`imageprobe rules`): every rule of every probe, in registry order, as
// text, JSON or Markdown. docs/rules.md is the Markdown output, committed; a test fails when
// they differ (regenerate: `imageprobe rules --format markdown > docs/rules.md`).
//
// JSON: {"probes": [{name, source, description, rules: [{id, severity, title, rationale,
// remediation}]}]}.
#pragma once

#include <ostream>
#include <span>
#include <string_view>
#include <vector>

#include "scanner/core/model.h"

namespace imageprobe::report {

// The rules one probe (or any other source of findings) can raise.
struct RuleGroup {
  std::string_view source;  // "probe", or "gate" for rules the gate raises (expect.*, ignore.*)
  std::string_view name;
  std::string_view description;
  std::span<const RuleInfo> rules;
};

void RenderRulesText(std::span<const RuleGroup> groups, std::ostream& out);
void RenderRulesJson(std::span<const RuleGroup> groups, std::ostream& out);
void RenderRulesMarkdown(std::span<const RuleGroup> groups, std::ostream& out);
// The README's probe table: each probe (gate groups left out) with what it reads and its most
// severe rules, linked to their section of docs/rules.md. A test checks the README holds it.
void RenderProbeTableMarkdown(std::span<const RuleGroup> groups, std::ostream& out);

// Every rule of every group, first occurrence of an id kept: the SARIF driver's rules.
std::vector<RuleInfo> AllRules(std::span<const RuleGroup> groups);

}  // namespace imageprobe::report
