// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/diff_view.h"

#include <algorithm>

#include "scanner/core/json_text.h"
#include "scanner/core/model.h"

namespace imageprobe::report {

using nlohmann::json;

namespace {

bool In(std::string_view key, std::initializer_list<std::string_view> keys) {
  return std::ranges::find(keys, key) != keys.end();
}

std::optional<Severity> SeverityOf(const json& finding) {
  if (!finding.is_object() || !finding.contains("severity") || !finding["severity"].is_string()) {
    return std::nullopt;
  }
  return ParseSeverity(finding["severity"].get<std::string>());
}

}  // namespace

bool IsKnownDiffSection(std::string_view key) {
  return In(key, {"schema", "tool_version", "old", "new", "headlines", "regression", "facts",
                  "findings", "summary"});
}

bool IsKnownFactChangeField(std::string_view key) {
  return In(key, {"change", "root", "kind", "key", "old", "new", "changed_fields"});
}

bool IsKnownFindingChangeField(std::string_view key) {
  return In(key, {"change", "root", "old", "new"});
}

std::string ChangeCounts(const json& counts, std::array<std::string_view, 3> words) {
  static constexpr std::array<const char*, 3> kKeys = {"added", "removed", "changed"};
  std::string text;
  for (size_t i = 0; i < kKeys.size(); ++i) {
    size_t n = counts.is_object() ? counts.value(kKeys[i], size_t{0}) : 0;
    if (n == 0) continue;
    if (!text.empty()) text += ", ";
    text += std::to_string(n) + " " + std::string(words[i]);
  }
  return text.empty() ? "none" : text;
}

std::map<std::string, std::vector<const json*>> FactChangesByKind(const json& diff) {
  std::map<std::string, std::vector<const json*>> out;
  if (!diff.contains("facts") || !diff["facts"].is_array()) return out;
  for (const json& c : diff["facts"]) out[c.value("kind", std::string("?"))].push_back(&c);
  return out;
}

std::string FindingChangeLabel(const json& change) {
  std::string kind = change.value("change", std::string());
  if (kind == "added") return "new";
  if (kind == "removed") return "resolved";
  auto before = SeverityOf(change.value("old", json()));
  auto after = SeverityOf(change.value("new", json()));
  if (before && after && *before != *after) {
    return std::string(*after > *before ? "raised " : "lowered ") +
           std::string(SeverityName(*before)) + " -> " + std::string(SeverityName(*after));
  }
  return "changed";
}

std::string GenericText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return JsonText(value, 2);
}

std::string Capped(std::string_view text, size_t max_chars) {
  if (text.size() <= max_chars) return std::string(text);
  size_t cut = text.rfind('\n', max_chars);
  if (cut == std::string_view::npos || cut == 0) cut = max_chars;
  size_t more = static_cast<size_t>(std::count(text.begin() + cut, text.end(), '\n'));
  return std::string(text.substr(0, cut)) + "\n… (" + std::to_string(more + 1) + " more lines)";
}

}  // namespace imageprobe::report
