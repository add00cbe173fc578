// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/diff_html.h"

#include <set>

#include "scanner/report/diff_json.h"
#include "scanner/report/diff_view.h"
#include "scanner/report/escape.h"
#include "scanner/report/html_page.h"
#include "scanner/report/render_common.h"

namespace imageprobe::report {

namespace {

using nlohmann::json;

constexpr size_t kMaxPreChars = 64'000;

std::string H(std::string_view text) { return EscapeHtml(text); }

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Multi-line text escaped line by line (Printable would turn the newlines into \x0A).
std::string PreText(std::string_view text) {
  std::string capped = Capped(text, kMaxPreChars);
  std::string out;
  size_t start = 0;
  while (true) {
    size_t end = capped.find('\n', start);
    out += EscapeHtml(std::string_view(capped).substr(start, end - start));
    if (end == std::string::npos) break;
    out += '\n';
    start = end + 1;
  }
  return out;
}

class DiffHtmlWriter {
 public:
  DiffHtmlWriter(const json& d, std::ostream& out) : d_(d), out_(out) {
    for (const json& c : d_.value("facts", json::array())) roots_.insert(Str(c, "root"));
    for (const json& c : d_.value("findings", json::array())) roots_.insert(Str(c, "root"));
  }

  void Write(bool empty) {
    out_ << "<h1>imageprobe diff</h1>\n";
    Inputs();
    Headlines();
    if (empty) {
      out_ << "<p>No changes.</p>\n";
    } else {
      const json& summary = d_.value("summary", json::object());
      out_ << "<p><strong>Summary:</strong> inventory "
           << H(ChangeCounts(summary.value("facts", json()), {"added", "removed", "changed"}))
           << "; findings "
           << H(ChangeCounts(summary.value("findings", json()), {"new", "resolved", "changed"}))
           << ".</p>\n";
      FindingChanges();
      FactChanges();
    }
    Extras();
  }

 private:
  void Inputs() {
    out_ << "<p class=\"meta\">";
    for (const char* side : {"old", "new"}) {
      const json& input = d_.value(side, json::object());
      out_ << "<span>" << side << ": <span class=\"mono\">" << H(Str(input, "path")) << "</span>";
      if (std::string f = Str(input, "format"); !f.empty()) out_ << " (" << H(f) << ")";
      out_ << "</span>";
    }
    out_ << "<span>imageprobe " << H(Str(d_, "tool_version")) << "</span></p>\n";
  }

  void Headlines() {
    const json& headlines = d_.value("headlines", json::array());
    if (headlines.empty()) return;
    bool regression = d_.value("regression", false);
    out_ << "<div class=\"banner" << (regression ? " regression" : "") << "\" id=\"headlines\">"
         << (regression ? "<strong>Regression</strong>" : "<strong>Headlines</strong>")
         << "\n<ul class=\"headlines\">\n";
    for (const json& h : headlines) {
      bool r = h.value("regression", false);
      out_ << "<li" << (r ? " class=\"regression\"" : "") << ">" << (r ? "REGRESSION: " : "")
           << H(Str(h, "text")) << "</li>\n";
    }
    out_ << "</ul></div>\n";
  }

  std::string RootNote(const json& c) const {
    return roots_.size() > 1 ? " <span class=\"meta\">(root " + H(Str(c, "root")) + ")</span>"
                             : std::string();
  }

  void FindingChanges() {
    const json& changes = d_.value("findings", json::array());
    if (changes.empty()) return;
    out_ << "<h2>Findings</h2>\n";
    for (const json& c : changes) {
      const json& f = c.contains("new") ? c["new"] : c.value("old", json::object());
      std::string change = Str(c, "change");
      std::string severity = Str(f, "severity");
      if (!ParseSeverity(severity)) severity = "info";
      std::string title = Str(f, "title");
      out_ << "<article class=\"finding b-" << severity << "\"><h4><span class=\"c-" << H(change)
           << "\">" << H(FindingChangeLabel(c)) << "</span> <span class=\"badge bg-" << severity
           << "\">" << H(Str(f, "severity")) << "</span>"
           << H(title.empty() ? Str(f, "rule_id") : title) << RootNote(c) << "</h4>\n<dl>"
           << "<dt>rule</dt><dd class=\"mono\">" << H(Str(f, "rule_id")) << "</dd>";
      std::string where = Str(f, "path");
      if (f.contains("line") && f["line"].is_number_integer()) {
        where += ":" + std::to_string(f["line"].get<int64_t>());
      }
      if (!where.empty()) out_ << "<dt>where</dt><dd class=\"mono\">" << H(where) << "</dd>";
      if (std::string user = Str(f, "user"); !user.empty()) {
        out_ << "<dt>user</dt><dd>" << H(user) << "</dd>";
      }
      std::string old_evidence = Str(c.value("old", json()), "evidence");
      std::string new_evidence = Str(c.value("new", json()), "evidence");
      if (change == "changed" && old_evidence != new_evidence) {
        out_ << "<dt>evidence</dt><dd class=\"mono\">" << H(old_evidence) << " &rarr; "
             << H(new_evidence) << "</dd>";
      } else if (std::string e = Str(f, "evidence"); !e.empty()) {
        out_ << "<dt>evidence</dt><dd class=\"mono\">" << H(e) << "</dd>";
      }
      if (std::string r = Str(f, "remediation"); change != "removed" && !r.empty()) {
        out_ << "<dt>remediation</dt><dd>" << H(r) << "</dd>";
      }
      for (const auto& [key, value] : c.items()) {
        if (IsKnownFindingChangeField(key)) continue;
        out_ << "<dt>" << H(key) << "</dt><dd><pre>" << PreText(GenericText(value))
             << "</pre></dd>";
      }
      out_ << "</dl></article>\n";
    }
  }

  void FactChanges() {
    auto by_kind = FactChangesByKind(d_);
    if (by_kind.empty()) return;
    out_ << "<h2>Inventory changes</h2>\n";
    for (const auto& [kind, changes] : by_kind) {
      json counts = {{"added", 0}, {"removed", 0}, {"changed", 0}};
      for (const json* c : changes) {
        std::string change = Str(*c, "change");
        if (counts.contains(change)) counts[change] = counts[change].get<size_t>() + 1;
      }
      out_ << "<details open><summary><span class=\"mono\">" << H(kind)
           << "</span>: " << H(ChangeCounts(counts, {"added", "removed", "changed"}))
           << "</summary>\n"
           << "<table><tr><th>change</th><th>key</th><th>details</th></tr>\n";
      for (const json* c : changes) FactRow(*c);
      out_ << "</table>\n</details>\n";
    }
  }

  void FactRow(const json& c) {
    std::string change = Str(c, "change");
    out_ << "<tr><td class=\"c-" << H(change) << "\">" << H(change) << "</td><td class=\"mono\">"
         << H(Str(c, "key")) << RootNote(c) << "</td><td>";
    const json& old_data = c.value("old", json());
    const json& new_data = c.value("new", json());
    for (const json& field : c.value("changed_fields", json::array())) {
      if (!field.is_string()) continue;
      std::string name = field.get<std::string>();
      out_ << "<div><span class=\"mono\">" << H(name) << "</span>: " << H(FieldText(old_data, name))
           << " &rarr; " << H(FieldText(new_data, name)) << "</div>";
    }
    for (const auto& [key, value] : c.items()) {
      if (IsKnownFactChangeField(key) || value.is_null()) continue;
      out_ << "<div><span class=\"mono\">" << H(key) << "</span>:<pre>"
           << PreText(GenericText(value)) << "</pre></div>";
    }
    out_ << "</td></tr>\n";
  }

  void Extras() {
    for (const auto& [key, value] : d_.items()) {
      if (IsKnownDiffSection(key)) continue;
      out_ << "<details><summary>" << H(key) << "</summary><pre>" << PreText(GenericText(value))
           << "</pre></details>\n";
    }
  }

  const json& d_;
  std::ostream& out_;
  std::set<std::string> roots_;
};

}  // namespace

void RenderDiffHtml(const DiffReport& diff, std::ostream& out) {
  RenderDiffHtmlJson(DiffJson(diff), out);
}

void RenderDiffHtmlJson(const json& d, std::ostream& out) {
  HtmlPageStart(out, "imageprobe diff: " + EscapeHtml(Str(d.value("old", json()), "path")) +
                         " &rarr; " + EscapeHtml(Str(d.value("new", json()), "path")));
  bool empty = d.value("facts", json::array()).empty() &&
               d.value("findings", json::array()).empty() &&
               d.value("headlines", json::array()).empty();
  DiffHtmlWriter(d, out).Write(empty);
  HtmlPageEnd(out);
}

}  // namespace imageprobe::report
