// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/text_renderer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

#include "scanner/core/runner.h"

namespace imageprobe::report {

namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kWarn = "\x1b[1;33m";

std::string_view SeverityColor(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "\x1b[1;31m";
    case Severity::kHigh:
      return "\x1b[31m";
    case Severity::kMedium:
      return "\x1b[33m";
    case Severity::kLow:
      return "\x1b[36m";
    case Severity::kInfo:
      return "\x1b[2m";
  }
  return "";
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Plural(size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

class Writer {
 public:
  Writer(std::ostream& out, const TextOptions& options) : out_(out), options_(options) {}

  // Escaped image text.
  static std::string E(std::string_view text) { return EscapeForTerminal(text); }

  std::string Paint(std::string_view color, std::string_view text) const {
    if (!options_.color) return std::string(text);
    return std::string(color) + std::string(text) + std::string(kReset);
  }

  void Header(const Report& r) {
    out_ << Paint(kBold, "imageprobe " + E(r.tool_version) + ": " + E(r.input.path)) << '\n';
    std::string format = E(r.input.format.empty() ? "unknown" : r.input.format);
    if (!r.input.format_detail.empty()) format += " (" + E(r.input.format_detail) + ")";
    out_ << "  format:   " << format << '\n';
    if (r.input.size > 0) {
      out_ << "  size:     " << HumanSize(r.input.size) << " (" << r.input.size << " bytes)\n";
    }
    if (r.input.sha256) out_ << "  sha256:   " << E(*r.input.sha256) << '\n';
    out_ << "  backend:  " << E(r.backend) << '\n';
    if (!r.profile.empty() && r.profile != "default")
      out_ << "  profile:  " << E(r.profile) << '\n';
    if (r.partial) {
      out_ << "  " << Paint(kWarn, "WARNING: partial report") << ": some data could not be "
           << "read or understood; see the errors below\n";
    }
  }

  void Root(const RootReport& root) {
    out_ << '\n' << Paint(kBold, "root " + E(root.root.name));
    if (!root.root.description.empty()) out_ << " (" << E(root.root.description) << ")";
    out_ << '\n';
    OsLine(root);
    Inventory(root);
    Coverage(root);
    Findings(root);
    Suppressed(root);
    Errors("  ", "errors", root.errors);
  }

  void OsLine(const RootReport& root) {
    const OsInfo& os = root.os;
    out_ << "  os:        ";
    if (!os.detected) {
      out_ << "not detected";
      for (const ProbeRun& run : root.probes) {
        if (run.name == "os" && !run.reason.empty()) out_ << " (" << E(run.reason) << ")";
      }
      out_ << '\n';
      if (!os.hostname.empty()) out_ << "             host " << E(os.hostname) << '\n';
      return;
    }
    std::string label = !os.pretty_name.empty() ? os.pretty_name : os.name + " " + os.version_id;
    std::string details = os.id + (os.version_id.empty() ? "" : " " + os.version_id);
    for (const std::string* extra : {&os.arch, &os.package_format}) {
      if (!extra->empty()) details += ", " + *extra;
    }
    out_ << E(label) << " [" << E(details) << "]";
    if (!os.hostname.empty()) out_ << " host " << E(os.hostname);
    out_ << '\n';
  }

  void Inventory(const RootReport& root) {
    if (root.facts.empty()) return;
    std::map<std::string, size_t> per_kind;
    for (const Fact& f : root.facts) ++per_kind[f.kind];
    std::string line;
    for (const auto& [kind, n] : per_kind) {
      if (!line.empty()) line += ", ";
      line += E(kind) + " " + std::to_string(n);
    }
    out_ << "  inventory: " << line << '\n';
  }

  void Coverage(const RootReport& root) {
    if (root.probes.empty()) return;
    std::array<size_t, 3> counts{};
    for (const ProbeRun& run : root.probes) ++counts[static_cast<size_t>(run.status)];
    out_ << "  probes:    " << counts[0] << " ran, " << counts[1] << " not applicable, "
         << counts[2] << " failed\n";
    for (const ProbeRun& run : root.probes) {
      if (run.status == ProbeStatus::kRan) continue;
      out_ << "             "
           << (run.status == ProbeStatus::kFailed ? "failed: " : "not applicable: ") << E(run.name);
      if (!run.reason.empty()) out_ << " (" << E(run.reason) << ")";
      out_ << '\n';
    }
  }

  // Suppressed findings are not in the main list; Suppressed() lists them briefly after it.
  void Findings(const RootReport& root) {
    if (std::ranges::all_of(root.findings,
                            [](const Finding& f) { return f.suppressed.has_value(); })) {
      out_ << "\n  no findings" << (root.findings.empty() ? "" : " (all suppressed)") << "\n";
      return;
    }
    for (int s = static_cast<int>(Severity::kCritical); s >= 0; --s) {
      auto severity = static_cast<Severity>(s);
      std::vector<const Finding*> group;
      for (const Finding& f : root.findings) {
        if (f.severity == severity && !f.suppressed) group.push_back(&f);
      }
      if (group.empty()) continue;
      out_ << '\n'
           << "  "
           << Paint(SeverityColor(severity),
                    Upper(SeverityName(severity)) + " (" + std::to_string(group.size()) + ")")
           << '\n';
      for (const Finding* f : group) Finding1(*f);
    }
  }

  // One line per suppressed finding: what, and who accepted it why.
  void Suppressed(const RootReport& root) {
    std::vector<const Finding*> suppressed;
    for (const Finding& f : root.findings) {
      if (f.suppressed) suppressed.push_back(&f);
    }
    if (suppressed.empty()) return;
    out_ << "\n  " << Paint(kBold, "suppressed (" + std::to_string(suppressed.size()) + ")")
         << '\n';
    for (const Finding* f : suppressed) {
      const Suppression& s = *f->suppressed;
      out_ << "    " << SeverityName(f->severity) << "  " << E(f->title) << "  [" << E(f->rule_id)
           << "]  " << E(s.by) << ": " << E(s.reason);
      if (!s.expires.empty()) out_ << " (until " << E(s.expires) << ")";
      out_ << '\n';
    }
  }

  void Finding1(const Finding& f) {
    out_ << "    " << Paint(kBold, E(f.title)) << "  [" << E(f.rule_id) << "]\n";
    if (f.default_severity) {
      out_ << "      severity:    " << SeverityName(f.severity) << " under this profile (rule "
           << "default " << SeverityName(*f.default_severity) << ")\n";
    }
    if (!f.path.empty()) {
      out_ << "      path:        " << E(f.path);
      if (f.line) out_ << ':' << *f.line;
      out_ << '\n';
    }
    if (!f.user.empty()) out_ << "      user:        " << E(f.user) << '\n';
    if (!f.evidence.empty()) out_ << "      evidence:    " << E(f.evidence) << '\n';
    if (!f.remediation.empty()) out_ << "      remediation: " << E(f.remediation) << '\n';
  }

  void Errors(std::string_view indent, std::string_view title,
              const std::vector<Diagnostic>& errors) {
    if (errors.empty()) return;
    out_ << '\n' << indent << Paint(kWarn, std::string(title)) << " (" << errors.size() << ")\n";
    for (const Diagnostic& d : errors) {
      out_ << indent << "  " << E(d.source.empty() ? "?" : d.source) << ": ";
      if (!d.path.empty()) out_ << E(d.path) << ": ";
      out_ << E(d.message) << '\n';
    }
  }

  void Summary(const Report& r) {
    auto counts = r.CountBySeverity();
    size_t total = 0;
    std::string parts;
    for (int s = static_cast<int>(Severity::kCritical); s >= 0; --s) {
      size_t n = counts[static_cast<size_t>(s)];
      total += n;
      if (!parts.empty()) parts += ", ";
      std::string part =
          std::to_string(n) + " " + std::string(SeverityName(static_cast<Severity>(s)));
      parts += n > 0 ? Paint(SeverityColor(static_cast<Severity>(s)), part) : part;
    }
    out_ << '\n'
         << Paint(kBold, "summary:") << ' ' << Plural(total, "finding") << " (" << parts << ")";
    if (auto max = r.MaxSeverity()) out_ << ", max severity " << SeverityName(*max);
    if (size_t suppressed = r.SuppressedCount(); suppressed > 0)
      out_ << ", " << suppressed << " suppressed";
    out_ << ", " << Plural(r.roots.size(), "root");
    if (r.partial) out_ << ", " << Paint(kWarn, "PARTIAL");
    out_ << '\n';
  }

 private:
  std::ostream& out_;
  const TextOptions& options_;
};

}  // namespace

std::string HumanSize(uint64_t bytes) {
  static constexpr std::array<const char*, 5> kUnits = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  if (unit == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", value, kUnits[unit]);
  }
  return buf;
}

void RenderText(const Report& report, std::ostream& out, const TextOptions& options) {
  Writer w(out, options);
  w.Header(report);
  for (const RootReport& root : report.roots) {
    RootReport sorted = root;
    Canonicalize(sorted);
    w.Root(sorted);
  }
  w.Errors("", "image errors", report.errors);
  w.Summary(report);
}

}  // namespace imageprobe::report
