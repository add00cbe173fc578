// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/html_renderer.h"

#include <map>

#include "scanner/core/runner.h"
#include "scanner/report/escape.h"
#include "scanner/report/html_page.h"
#include "scanner/report/login_table.h"
#include "scanner/report/render_common.h"
#include "scanner/report/text_renderer.h"

namespace imageprobe::report {

namespace {

std::string H(std::string_view text) { return EscapeHtml(text); }

class HtmlWriter {
 public:
  HtmlWriter(std::ostream& out, const RecordCatalog& catalog) : out_(out), catalog_(catalog) {}

  void Report1(const Report& r) {
    out_ << "<section class=\"report\">\n<h1>imageprobe: " << H(r.input.path) << "</h1>\n";
    Meta(r);
    if (r.partial) {
      out_ << "<div class=\"banner\"><strong>Partial report:</strong> " << ErrorCount(r)
           << " thing(s) could not be read or understood, so findings may be missing. "
              "See the errors below.</div>\n";
    }
    Summary(r);
    for (const RootReport& root : r.roots) Root(root, r.roots.size() > 1);
    Errors("Image errors", r.errors);
    out_ << "</section>\n";
  }

 private:
  static size_t ErrorCount(const Report& r) {
    size_t n = r.errors.size();
    for (const RootReport& root : r.roots) n += root.errors.size();
    return n;
  }

  void Meta(const Report& r) {
    std::string format = r.input.format.empty() ? "unknown" : r.input.format;
    if (!r.input.format_detail.empty()) format += " (" + r.input.format_detail + ")";
    out_ << "<p class=\"meta\"><span>format " << H(format) << "</span>";
    if (r.input.size > 0) out_ << "<span>size " << H(HumanSize(r.input.size)) << "</span>";
    out_ << "<span>backend " << H(r.backend) << "</span>";
    if (!r.profile.empty()) out_ << "<span>profile " << H(r.profile) << "</span>";
    out_ << "<span>imageprobe " << H(r.tool_version) << "</span>";
    if (!r.generated_at.empty()) out_ << "<span>" << H(r.generated_at) << "</span>";
    if (r.input.sha256)
      out_ << "<br><span class=\"mono\">sha256 " << H(*r.input.sha256) << "</span>";
    out_ << "</p>\n";
  }

  void Summary(const Report& r) {
    auto counts = r.CountBySeverity();
    out_ << "<div class=\"summary\" id=\"summary\">";
    for (int s = static_cast<int>(Severity::kCritical); s >= 0; --s) {
      size_t n = counts[static_cast<size_t>(s)];
      std::string name(SeverityName(static_cast<Severity>(s)));
      out_ << "<div class=\"bg-" << name << (n == 0 ? " zero" : "") << "\"><span class=\"n\">" << n
           << "</span>" << name << "</div>";
    }
    if (size_t n = r.SuppressedCount(); n > 0) {
      out_ << "<div class=\"suppressed-count\"><span class=\"n\">" << n
           << "</span>suppressed</div>";
    }
    out_ << "</div>\n";
  }

  void Root(const RootReport& unsorted, bool several_roots) {
    RootReport root = unsorted;
    Canonicalize(root);
    out_ << "<h2>" << H(OsText(root.os));
    if (several_roots || !root.os.detected) {
      out_ << " on " << H(root.root.name);
      if (!root.root.description.empty()) out_ << " (" << H(root.root.description) << ")";
    }
    if (!root.os.hostname.empty()) out_ << ", host " << H(root.os.hostname);
    out_ << "</h2>\n";
    LoginTable(root);
    Findings(root);
    Inventory(root);
    Errors("Errors", root.errors);
  }

  void LoginTable(const RootReport& root) {
    std::vector<LoginRow> rows = LoginRows(root, catalog_);
    out_ << "<h3>Who can log in</h3>\n";
    if (rows.empty()) {
      out_ << "<p>No authorized keys and no account with a usable password were found.</p>\n";
      return;
    }
    out_ << "<table class=\"logins\">\n<tr><th>user</th><th>with</th><th>key type</th>"
            "<th>fingerprint</th><th>from</th><th>sudo</th><th>note</th></tr>\n";
    for (const LoginRow& row : rows) {
      out_ << "<tr><td>" << H(row.user) << "</td><td>" << H(row.method) << "</td><td>"
           << H(row.key_type) << "</td><td class=\"mono\">" << H(row.fingerprint) << "</td><td>"
           << H(row.source) << "</td><td>" << H(row.sudo) << "</td><td class=\"caveat\">"
           << H(row.caveat) << "</td></tr>\n";
    }
    out_ << "</table>\n";
  }

  void Finding1(const Finding& f) {
    std::string severity(SeverityName(f.severity));
    out_ << "<article class=\"finding b-" << severity << "\"><h4><span class=\"badge bg-"
         << severity << "\">" << SeverityLabel(f.severity) << "</span>"
         << H(f.title.empty() ? f.rule_id : f.title) << "</h4>\n<dl>";
    out_ << "<dt>rule</dt><dd class=\"mono\">" << H(f.rule_id) << "</dd>";
    if (f.default_severity && *f.default_severity != f.severity) {
      out_ << "<dt>profile</dt><dd>" << SeverityName(f.severity) << " here; the rule's default is "
           << SeverityName(*f.default_severity) << "</dd>";
    }
    if (std::string where = LocationText(f); !where.empty()) {
      out_ << "<dt>where</dt><dd class=\"mono\">" << H(where) << "</dd>";
    }
    if (!f.user.empty()) out_ << "<dt>user</dt><dd>" << H(f.user) << "</dd>";
    if (!f.evidence.empty())
      out_ << "<dt>evidence</dt><dd class=\"mono\">" << H(f.evidence) << "</dd>";
    if (!f.remediation.empty()) out_ << "<dt>remediation</dt><dd>" << H(f.remediation) << "</dd>";
    if (f.suppressed) {
      const Suppression& s = *f.suppressed;
      out_ << "<dt>suppressed</dt><dd>by " << H(s.by.empty() ? "(unknown)" : s.by);
      if (!s.reason.empty()) out_ << ": " << H(s.reason);
      if (!s.expires.empty()) out_ << " (expires " << H(s.expires) << ")";
      out_ << "</dd>";
    }
    out_ << "</dl></article>\n";
  }

  void Findings(const RootReport& root) {
    std::vector<const Finding*> active = ActiveFindings(root);
    out_ << "<h3>Findings (" << active.size() << ")</h3>\n";
    if (active.empty()) out_ << "<p>No findings.</p>\n";
    for (const Finding* f : active) Finding1(*f);
    std::vector<const Finding*> suppressed = SuppressedFindings(root);
    if (!suppressed.empty()) {
      out_ << "<details class=\"suppressed\"><summary>Suppressed findings (" << suppressed.size()
           << ", not counted)</summary>\n";
      for (const Finding* f : suppressed) Finding1(*f);
      out_ << "</details>\n";
    }
  }

  void Inventory(const RootReport& root) {
    if (root.facts.empty()) return;
    std::map<std::string, size_t> per_kind;
    for (const Fact& f : root.facts) ++per_kind[f.kind];
    out_ << "<details><summary>Inventory (" << root.facts.size() << " facts)</summary>\n"
         << "<table><tr><th>kind</th><th>count</th></tr>\n";
    for (const auto& [kind, n] : per_kind) {
      out_ << "<tr><td class=\"mono\">" << H(kind) << "</td><td>" << n << "</td></tr>\n";
    }
    out_ << "</table>\n</details>\n";
    if (!root.probes.empty()) {
      out_ << "<details><summary>Probes (" << root.probes.size() << ")</summary>\n"
           << "<table><tr><th>probe</th><th>status</th><th>reason</th></tr>\n";
      for (const ProbeRun& run : root.probes) {
        out_ << "<tr><td class=\"mono\">" << H(run.name) << "</td><td>"
             << ProbeStatusName(run.status) << "</td><td>" << H(run.reason) << "</td></tr>\n";
      }
      out_ << "</table>\n</details>\n";
    }
  }

  void Errors(std::string_view title, const std::vector<Diagnostic>& errors) {
    if (errors.empty()) return;
    out_ << "<h3>" << title << " (" << errors.size() << ")</h3>\n<ul class=\"errors\">\n";
    for (const Diagnostic& d : errors) {
      out_ << "<li><span class=\"mono\">" << H(d.source.empty() ? "image" : d.source);
      if (!d.path.empty()) out_ << ": " << H(d.path);
      out_ << "</span>: " << H(d.message) << "</li>\n";
    }
    out_ << "</ul>\n";
  }

  std::ostream& out_;
  const RecordCatalog& catalog_;
};

}  // namespace

void RenderHtml(std::span<const Report> reports, const RecordCatalog& catalog, std::ostream& out) {
  std::string title = "imageprobe report";
  if (reports.size() == 1) title += ": " + EscapeHtml(reports[0].input.path);
  HtmlPageStart(out, title);
  HtmlWriter writer(out, catalog);
  for (const Report& r : reports) writer.Report1(r);
  HtmlPageEnd(out);
}

}  // namespace imageprobe::report
