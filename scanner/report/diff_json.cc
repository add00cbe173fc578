// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/diff_json.h"

#include <array>

#include "scanner/core/json_text.h"
#include "scanner/report/json_model.h"

namespace imageprobe::report {

namespace {

using nlohmann::json;

template <typename Changes>
json CountChanges(const Changes& changes) {
  std::array<size_t, 3> counts{};
  for (const auto& c : changes) ++counts[static_cast<size_t>(c.change)];
  return {{"added", counts[static_cast<size_t>(Change::kAdded)]},
          {"removed", counts[static_cast<size_t>(Change::kRemoved)]},
          {"changed", counts[static_cast<size_t>(Change::kChanged)]}};
}

}  // namespace

json DiffJson(const DiffReport& diff) {
  json headlines = json::array();
  size_t regressions = 0;
  for (const Headline& h : diff.headlines) {
    headlines.push_back({{"text", h.text}, {"regression", h.regression}});
    if (h.regression) ++regressions;
  }
  json facts = json::array();
  for (const FactChange& c : diff.facts) {
    json entry = {{"change", std::string(ChangeName(c.change))},
                  {"root", c.root},
                  {"kind", c.kind},
                  {"key", c.key},
                  {"old", c.old_data},
                  {"new", c.new_data},
                  {"changed_fields", c.changed_fields}};
    // Optional fields, present only when they say something (docs/report-format.md).
    if (!c.text_diff.empty()) entry["text_diff"] = c.text_diff;
    if (!c.moved_to.empty()) entry["moved_to"] = c.moved_to;
    if (!c.moved_from.empty()) entry["moved_from"] = c.moved_from;
    facts.push_back(std::move(entry));
  }
  json findings = json::array();
  for (const FindingChange& c : diff.findings) {
    json entry = {{"change", std::string(ChangeName(c.change))}, {"root", c.root}};
    if (c.old_finding) entry["old"] = *c.old_finding;
    if (c.new_finding) entry["new"] = *c.new_finding;
    findings.push_back(std::move(entry));
  }
  return {{"schema", diff.schema},
          {"tool_version", diff.tool_version},
          {"old", diff.old_input},
          {"new", diff.new_input},
          {"headlines", headlines},
          {"regression", diff.HasRegression()},
          {"facts", facts},
          {"findings", findings},
          {"summary",
           {{"facts", CountChanges(diff.facts)},
            {"findings", CountChanges(diff.findings)},
            {"headlines", diff.headlines.size()},
            {"regressions", regressions}}}};
}

void RenderDiffJson(const DiffReport& diff, std::ostream& out) {
  // As for reports: image strings need not be valid UTF-8; invalid bytes become U+FFFD.
  out << JsonText(DiffJson(diff), 2) << '\n';
}

}  // namespace imageprobe::report
