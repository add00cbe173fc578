// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/markdown_renderer.h"

#include <map>
#include <sstream>

#include "scanner/core/runner.h"
#include "scanner/report/escape.h"
#include "scanner/report/login_table.h"
#include "scanner/report/render_common.h"

namespace imageprobe::report {

namespace {

// Sections longer than this fold into <details>.
constexpr size_t kFoldRows = 15;

std::string M(std::string_view text) { return EscapeMarkdown(text); }

std::string Cell(std::string_view text) { return text.empty() ? "" : M(text); }

void SeveritySummary(const Report& r, MarkdownDoc& doc) {
  auto counts = r.CountBySeverity();
  std::string header = "|";
  std::string rule = "|";
  std::string values = "|";
  size_t total = 0;
  for (int s = static_cast<int>(Severity::kCritical); s >= 0; --s) {
    size_t n = counts[static_cast<size_t>(s)];
    total += n;
    header += " " + std::string(SeverityName(static_cast<Severity>(s))) + " |";
    rule += "---:|";
    values += " " + (n > 0 ? "**" + std::to_string(n) + "**" : std::string("0")) + " |";
  }
  std::string line = "**" + std::to_string(total) + (total == 1 ? " finding" : " findings") + "**";
  if (auto max = r.MaxSeverity()) line += ", max severity **" + SeverityLabel(*max) + "**";
  if (!r.profile.empty() && r.profile != "default") line += " (profile " + M(r.profile) + ")";
  if (size_t n = r.SuppressedCount(); n > 0) {
    line += "; " + std::to_string(n) + " suppressed, not counted";
  }
  doc.Line(line);
  doc.BlankLine();
  doc.Line(header);
  doc.Line(rule);
  doc.Line(values);
  doc.BlankLine();
}

void Input(const Report& r, MarkdownDoc& doc) {
  std::string format = r.input.format.empty() ? "unknown" : r.input.format;
  if (!r.input.format_detail.empty()) format += " (" + r.input.format_detail + ")";
  doc.Line("Format " + M(format) + " · backend " + M(r.backend) + " · imageprobe " +
           M(r.tool_version) + (r.generated_at.empty() ? "" : " · " + M(r.generated_at)));
  doc.BlankLine();
}

size_t ErrorCount(const Report& r) {
  size_t n = r.errors.size();
  for (const RootReport& root : r.roots) n += root.errors.size();
  return n;
}

void PartialBanner(const Report& r, MarkdownDoc& doc) {
  if (!r.partial) return;
  doc.Line("> **Partial report:** " + std::to_string(ErrorCount(r)) +
           " thing(s) could not be read or understood, so this report may be missing findings. "
           "See the errors below.");
  doc.BlankLine();
}

void Errors(std::string_view title, const std::vector<Diagnostic>& errors, MarkdownDoc& doc) {
  if (errors.empty()) return;
  bool fold = errors.size() > 5;
  std::string heading = std::string(title) + " (" + std::to_string(errors.size()) + ")";
  if (fold) {
    doc.Open(heading);
  } else {
    doc.Line("**" + heading + "**");
    doc.BlankLine();
  }
  for (const Diagnostic& d : errors) {
    std::string line = "- " + M(d.source.empty() ? "image" : d.source) + ": ";
    if (!d.path.empty()) line += M(d.path) + ": ";
    doc.Line(line + M(d.message));
  }
  doc.BlankLine();
  if (fold) doc.Close();
}

void LoginTable(const RootReport& root, const RecordCatalog& catalog, MarkdownDoc& doc) {
  std::vector<LoginRow> rows = LoginRows(root, catalog);
  if (rows.empty()) return;
  std::string heading = "Who can log in (" + std::to_string(rows.size()) + ")";
  bool fold = rows.size() > kFoldRows;
  if (fold) {
    doc.Open(heading);
  } else {
    doc.Line("#### " + heading);
    doc.BlankLine();
  }
  doc.Line("| user | with | key type | fingerprint | from | sudo | note |");
  doc.Line("|---|---|---|---|---|---|---|");
  for (const LoginRow& row : rows) {
    doc.Line("| " + Cell(row.user) + " | " + row.method + " | " + Cell(row.key_type) + " | " +
             Cell(row.fingerprint) + " | " + Cell(row.source) + " | " + Cell(row.sudo) + " | " +
             Cell(row.caveat) + " |");
  }
  doc.BlankLine();
  if (fold) doc.Close();
}

void FindingItem(const Finding& f, MarkdownDoc& doc, bool with_severity) {
  std::string head = "- ";
  if (with_severity) head += "**" + SeverityLabel(f.severity) + "** ";
  head += M(f.title.empty() ? f.rule_id : f.title) + " (" + M(f.rule_id) + ")";
  doc.Line(head);
  std::string where = M(LocationText(f));
  if (!f.user.empty()) where += (where.empty() ? "" : ", ") + std::string("user ") + M(f.user);
  if (!where.empty()) doc.Line("  - where: " + where);
  if (!f.evidence.empty()) doc.Line("  - evidence: " + M(f.evidence));
  if (f.default_severity && *f.default_severity != f.severity) {
    doc.Line("  - severity set by the profile; the rule's default is " +
             std::string(SeverityName(*f.default_severity)));
  }
  if (!f.remediation.empty()) doc.Line("  - remediation: " + M(f.remediation));
}

void Findings(const RootReport& root, MarkdownDoc& doc) {
  std::vector<const Finding*> active = ActiveFindings(root);
  if (active.empty()) {
    doc.Line("No findings.");
    doc.BlankLine();
  }
  // Critical to medium in the open; low and info fold away when there are many.
  std::vector<const Finding*> minor;
  bool any_major = false;
  for (const Finding* f : active) {
    if (f->severity <= Severity::kLow && active.size() > kFoldRows) {
      minor.push_back(f);
      continue;
    }
    if (!any_major) {
      doc.Line("#### Findings");
      doc.BlankLine();
      any_major = true;
    }
    FindingItem(*f, doc, true);
  }
  if (any_major) doc.BlankLine();
  if (!minor.empty()) {
    doc.Open("Low and info findings (" + std::to_string(minor.size()) + ")");
    for (const Finding* f : minor) FindingItem(*f, doc, true);
    doc.BlankLine();
    doc.Close();
  }
  std::vector<const Finding*> suppressed = SuppressedFindings(root);
  if (!suppressed.empty()) {
    doc.Open("Suppressed findings (" + std::to_string(suppressed.size()) + ", not counted)");
    for (const Finding* f : suppressed) {
      FindingItem(*f, doc, true);
      const Suppression& s = *f->suppressed;
      std::string line = "  - suppressed by " + M(s.by.empty() ? "(unknown)" : s.by);
      if (!s.reason.empty()) line += ": " + M(s.reason);
      if (!s.expires.empty()) line += " (expires " + M(s.expires) + ")";
      doc.Line(line);
    }
    doc.BlankLine();
    doc.Close();
  }
}

void Inventory(const RootReport& root, MarkdownDoc& doc) {
  if (root.facts.empty()) return;
  std::map<std::string, size_t> per_kind;
  for (const Fact& f : root.facts) ++per_kind[f.kind];
  doc.Open("Inventory (" + std::to_string(root.facts.size()) + " facts)");
  doc.Line("| kind | count |");
  doc.Line("|---|---:|");
  for (const auto& [kind, n] : per_kind)
    doc.Line("| " + M(kind) + " | " + std::to_string(n) + " |");
  doc.BlankLine();
  doc.Close();
}

void Root(const RootReport& unsorted, bool several_roots, const RecordCatalog& catalog,
          MarkdownDoc& doc) {
  RootReport root = unsorted;
  Canonicalize(root);
  std::string heading = "### " + M(OsText(root.os));
  if (several_roots || !root.os.detected) {
    heading += " on " + M(root.root.name);
    if (!root.root.description.empty()) heading += " (" + M(root.root.description) + ")";
  }
  if (!root.os.hostname.empty()) heading += ", host " + M(root.os.hostname);
  doc.Line(heading);
  doc.BlankLine();
  LoginTable(root, catalog, doc);
  Findings(root, doc);
  Inventory(root, doc);
  Errors("Errors", root.errors, doc);
}

void OneReport(const Report& r, const RecordCatalog& catalog, MarkdownDoc& doc) {
  doc.Line("## imageprobe: " + M(r.input.path));
  doc.BlankLine();
  SeveritySummary(r, doc);
  PartialBanner(r, doc);
  Input(r, doc);
  for (const RootReport& root : r.roots) Root(root, r.roots.size() > 1, catalog, doc);
  Errors("Image errors", r.errors, doc);
}

}  // namespace

void RenderMarkdown(std::span<const Report> reports, const RecordCatalog& catalog,
                    std::ostream& out, size_t limit) {
  MarkdownDoc doc;
  for (size_t i = 0; i < reports.size(); ++i) {
    if (i > 0) {
      doc.Line("---");
      doc.BlankLine();
    }
    OneReport(reports[i], catalog, doc);
  }
  out << doc.Finish(limit,
                    "Run `imageprobe scan --format html` (or `--format json`) for the whole "
                    "report.");
}

}  // namespace imageprobe::report
