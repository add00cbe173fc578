// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/diff_markdown.h"

#include <set>

#include "scanner/report/diff_json.h"
#include "scanner/report/diff_view.h"
#include "scanner/report/escape.h"
#include "scanner/report/render_common.h"

namespace imageprobe::report {

namespace {

using nlohmann::json;

constexpr size_t kMaxPreChars = 8'000;

std::string M(std::string_view text) { return EscapeMarkdown(text); }

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A multi-line value as an HTML <pre> block: raw HTML blocks are not Markdown-processed, and
// each line is escaped for HTML, so nothing inside can close the block or add markup (and
// nothing gets autolinked).
std::string PreBlock(std::string_view text) {
  std::string capped = Capped(text, kMaxPreChars);
  std::string out = "<pre>";
  size_t start = 0;
  while (true) {
    size_t end = capped.find('\n', start);
    out += EscapeHtmlForMarkdown(std::string_view(capped).substr(start, end - start));
    if (end == std::string::npos) break;
    out += '\n';
    start = end + 1;
  }
  return out + "</pre>";
}

void Inputs(const json& d, MarkdownDoc& doc) {
  auto side = [](const json& input) {
    std::string text = M(Str(input, "path"));
    if (std::string format = Str(input, "format"); !format.empty()) text += " (" + M(format) + ")";
    return text;
  };
  doc.Line("Old: " + side(d.value("old", json())) + "  ");
  doc.Line("New: " + side(d.value("new", json())));
  doc.BlankLine();
}

void Headlines(const json& d, MarkdownDoc& doc) {
  const json& headlines = d.value("headlines", json::array());
  if (headlines.empty()) return;
  for (const json& h : headlines) {
    if (h.value("regression", false)) {
      doc.Line("- :x: **REGRESSION:** " + M(Str(h, "text")));
    } else {
      doc.Line("- " + M(Str(h, "text")));
    }
  }
  doc.BlankLine();
}

void FindingChanges(const json& d, MarkdownDoc& doc) {
  const json& changes = d.value("findings", json::array());
  if (changes.empty()) return;
  doc.Line("### Findings: " +
           ChangeCounts(d.value("summary", json::object()).value("findings", json()),
                        {"new", "resolved", "changed"}));
  doc.BlankLine();
  for (const json& c : changes) {
    const json& f = c.contains("new") ? c["new"] : c.value("old", json::object());
    std::string severity = Str(f, "severity");
    std::string title = Str(f, "title");
    doc.Line("- **" + M(FindingChangeLabel(c)) + "** [" + M(severity) + "] " +
             M(title.empty() ? Str(f, "rule_id") : title) + " (" + M(Str(f, "rule_id")) + ")");
    std::string where = M(Str(f, "path"));
    if (f.contains("line") && f["line"].is_number_integer())
      where += ":" + std::to_string(f["line"].get<int64_t>());
    if (std::string user = Str(f, "user"); !user.empty()) {
      where += (where.empty() ? "" : ", ") + std::string("user ") + M(user);
    }
    if (!where.empty()) doc.Line("  - where: " + where);
    std::string old_evidence = Str(c.value("old", json()), "evidence");
    std::string new_evidence = Str(c.value("new", json()), "evidence");
    if (c.value("change", "") == "changed" && old_evidence != new_evidence) {
      doc.Line("  - evidence: " + M(old_evidence) + " → " + M(new_evidence));
    } else if (!Str(f, "evidence").empty()) {
      doc.Line("  - evidence: " + M(Str(f, "evidence")));
    }
    if (c.value("change", "") != "removed" && !Str(f, "remediation").empty()) {
      doc.Line("  - remediation: " + M(Str(f, "remediation")));
    }
    for (const auto& [key, value] : c.items()) {
      if (IsKnownFindingChangeField(key)) continue;
      doc.Line("  - " + M(key) + ": " + M(GenericText(value)));
    }
  }
  doc.BlankLine();
}

void FactChange(const json& c, bool show_root, MarkdownDoc& doc) {
  std::string change = Str(c, "change");
  std::string sign = change == "added" ? "+" : change == "removed" ? "−" : "~";
  std::string line = "- " + sign + " " + change + " **" + M(Str(c, "key")) + "**";
  if (show_root) line += " (root " + M(Str(c, "root")) + ")";
  doc.Line(line);
  const json& old_data = c.value("old", json());
  const json& new_data = c.value("new", json());
  for (const json& field : c.value("changed_fields", json::array())) {
    if (!field.is_string()) continue;
    std::string name = field.get<std::string>();
    doc.Line("  - " + M(name) + ": " + M(FieldText(old_data, name)) + " → " +
             M(FieldText(new_data, name)));
  }
  std::vector<std::pair<std::string, std::string>> blocks;
  for (const auto& [key, value] : c.items()) {
    if (IsKnownFactChangeField(key) || value.is_null()) continue;
    std::string text = GenericText(value);
    if (text.find('\n') == std::string::npos) {
      doc.Line("  - " + M(key) + ": " + M(text));
    } else {
      blocks.emplace_back(key, text);
    }
  }
  for (const auto& [key, text] : blocks) {
    doc.BlankLine();
    doc.Line("  " + M(key) + ":");
    doc.BlankLine();
    doc.Line(PreBlock(text));
    doc.BlankLine();
  }
}

void FactChanges(const json& d, MarkdownDoc& doc) {
  auto by_kind = FactChangesByKind(d);
  if (by_kind.empty()) return;
  std::set<std::string> roots;
  for (const json& c : d["facts"]) roots.insert(Str(c, "root"));
  doc.Line("### Inventory changes: " +
           ChangeCounts(d.value("summary", json::object()).value("facts", json()),
                        {"added", "removed", "changed"}));
  doc.BlankLine();
  for (const auto& [kind, changes] : by_kind) {
    json counts = {{"added", 0}, {"removed", 0}, {"changed", 0}};
    for (const json* c : changes) {
      std::string change = Str(*c, "change");
      if (counts.contains(change)) counts[change] = counts[change].get<size_t>() + 1;
    }
    doc.Open(M(kind) + ": " + ChangeCounts(counts, {"added", "removed", "changed"}));
    for (const json* c : changes) FactChange(*c, roots.size() > 1, doc);
    doc.BlankLine();
    doc.Close();
  }
}

void ExtraSections(const json& d, MarkdownDoc& doc) {
  for (const auto& [key, value] : d.items()) {
    if (IsKnownDiffSection(key)) continue;
    doc.Open(M(key));
    doc.Line(PreBlock(GenericText(value)));
    doc.BlankLine();
    doc.Close();
  }
}

}  // namespace

void RenderDiffMarkdown(const DiffReport& diff, std::ostream& out, size_t limit) {
  RenderDiffMarkdownJson(DiffJson(diff), out, limit);
}

void RenderDiffMarkdownJson(const json& d, std::ostream& out, size_t limit) {
  MarkdownDoc doc;
  bool empty = d.value("facts", json::array()).empty() &&
               d.value("findings", json::array()).empty() &&
               d.value("headlines", json::array()).empty();
  std::string verdict = d.value("regression", false) ? " — :x: regression" : "";
  doc.Line("## imageprobe diff" + verdict);
  doc.BlankLine();
  Headlines(d, doc);
  Inputs(d, doc);
  if (empty) {
    doc.Line("No changes.");
  } else {
    const json& summary = d.value("summary", json::object());
    doc.Line("**Summary:** inventory " +
             ChangeCounts(summary.value("facts", json()), {"added", "removed", "changed"}) +
             "; findings " +
             ChangeCounts(summary.value("findings", json()), {"new", "resolved", "changed"}) + ".");
    doc.BlankLine();
    FindingChanges(d, doc);
    FactChanges(d, doc);
  }
  ExtraSections(d, doc);
  out << doc.Finish(limit,
                    "Run `imageprobe diff --format html` (or `--format json`) for the whole "
                    "diff.");
}

}  // namespace imageprobe::report
