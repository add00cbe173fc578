// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/diff_text.h"

#include <array>
#include <map>
#include <set>

#include "scanner/report/render_common.h"

namespace imageprobe::report {

namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";

std::string E(std::string_view text) { return EscapeForTerminal(text); }

std::string_view Sign(Change change) {
  switch (change) {
    case Change::kAdded:
      return "+";
    case Change::kRemoved:
      return "-";
    case Change::kChanged:
      return "~";
  }
  return "~";
}

std::string CountsText(const std::array<size_t, 3>& counts, std::array<std::string_view, 3> words) {
  std::string text;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    if (!text.empty()) text += ", ";
    text += std::to_string(counts[i]) + " " + std::string(words[i]);
  }
  return text.empty() ? "none" : text;
}

template <typename Changes>
std::array<size_t, 3> Count(const Changes& changes) {
  std::array<size_t, 3> counts{};
  for (const auto& c : changes) ++counts[static_cast<size_t>(c.change)];
  return counts;  // indexed by Change: added, removed, changed
}

class DiffWriter {
 public:
  DiffWriter(const DiffReport& diff, std::ostream& out, const TextOptions& options)
      : diff_(diff), out_(out), options_(options) {
    std::set<std::string> roots;
    for (const auto& c : diff.facts) roots.insert(c.root);
    for (const auto& c : diff.findings) roots.insert(c.root);
    show_roots_ = roots.size() > 1;
  }

  std::string Paint(std::string_view color, std::string_view text) const {
    if (!options_.color) return std::string(text);
    return std::string(color) + std::string(text) + std::string(kReset);
  }

  void Write() {
    out_ << Paint(kBold, "imageprobe " + E(diff_.tool_version) + " diff") << '\n';
    Input("old", diff_.old_input);
    Input("new", diff_.new_input);
    if (diff_.Empty() && diff_.headlines.empty()) {
      out_ << "\nno changes\n";
      return;
    }
    Headlines();
    Facts();
    Findings();
    Summary();
  }

 private:
  void Input(std::string_view label, const InputInfo& input) {
    out_ << "  " << label << ": " << E(input.path);
    if (!input.format.empty()) out_ << " (" << E(input.format) << ")";
    out_ << '\n';
  }

  std::string RootSuffix(const std::string& root) const {
    return show_roots_ ? "  (root " + E(root) + ")" : "";
  }

  void Headlines() {
    if (diff_.headlines.empty()) return;
    out_ << '\n';
    for (const Headline& h : diff_.headlines) {
      if (h.regression) {
        out_ << Paint(kRed, "! REGRESSION: " + E(h.text)) << '\n';
      } else {
        out_ << "* " << E(h.text) << '\n';
      }
    }
  }

  void Facts() {
    if (diff_.facts.empty()) return;
    std::map<std::string, std::vector<const FactChange*>> by_kind;
    for (const FactChange& c : diff_.facts) by_kind[c.kind].push_back(&c);
    for (const auto& [kind, changes] : by_kind) {
      std::array<size_t, 3> counts{};
      for (const FactChange* c : changes) ++counts[static_cast<size_t>(c->change)];
      out_ << '\n'
           << Paint(kBold, E(kind)) << ": " << CountsText(counts, {"added", "removed", "changed"})
           << '\n';
      for (const FactChange* c : changes) {
        out_ << "  "
             << Paint(ChangeColor(c->change), std::string(Sign(c->change)) + " " + E(c->key))
             << RootSuffix(c->root) << '\n';
        if (!c->moved_to.empty()) out_ << "      moved to: " << E(c->moved_to) << '\n';
        if (!c->moved_from.empty()) out_ << "      moved from: " << E(c->moved_from) << '\n';
        for (const std::string& field : c->changed_fields) {
          // A file's text is shown as its unified diff below, not as two whole texts.
          if (field == "text" && !c->text_diff.empty()) continue;
          out_ << "      " << E(field) << ": " << E(FieldText(c->old_data, field)) << " -> "
               << E(FieldText(c->new_data, field)) << '\n';
        }
        for (const std::string& line : c->text_diff) {
          std::string_view color = line.starts_with('+')   ? kGreen
                                   : line.starts_with('-') ? kRed
                                                           : std::string_view();
          std::string shown = "        " + E(line);
          out_ << (color.empty() ? shown : Paint(color, shown)) << '\n';
        }
      }
    }
  }

  std::string_view ChangeColor(Change change) const {
    switch (change) {
      case Change::kAdded:
        return kGreen;
      case Change::kRemoved:
        return kRed;
      case Change::kChanged:
        return kYellow;
    }
    return "";
  }

  void Findings() {
    if (diff_.findings.empty()) return;
    out_ << '\n'
         << Paint(kBold, "findings") << ": "
         << CountsText(Count(diff_.findings), {"new", "resolved", "changed"}) << '\n';
    for (const FindingChange& c : diff_.findings) {
      const Finding& f = c.new_finding ? *c.new_finding : *c.old_finding;
      std::string severity(SeverityName(f.severity));
      std::string label = c.change == Change::kAdded     ? "new"
                          : c.change == Change::kRemoved ? "resolved"
                                                         : "changed";
      if (c.change == Change::kChanged && c.old_finding->severity != f.severity) {
        severity = std::string(SeverityName(c.old_finding->severity)) + " -> " + severity;
        label = f.severity > c.old_finding->severity ? "raised" : "lowered";
      }
      out_ << "  " << Paint(ChangeColor(c.change), std::string(Sign(c.change)) + " " + label)
           << " [" << severity << "] " << E(f.title) << "  [" << E(f.rule_id) << "]"
           << RootSuffix(c.root) << '\n';
      if (!f.path.empty()) {
        out_ << "      path:     " << E(f.path);
        if (f.line) out_ << ':' << *f.line;
        out_ << '\n';
      }
      if (!f.user.empty()) out_ << "      user:     " << E(f.user) << '\n';
      if (c.change == Change::kChanged && c.old_finding->evidence != f.evidence) {
        out_ << "      evidence: " << E(c.old_finding->evidence) << " -> " << E(f.evidence) << '\n';
      } else if (!f.evidence.empty()) {
        out_ << "      evidence: " << E(f.evidence) << '\n';
      }
    }
  }

  void Summary() {
    out_ << '\n'
         << Paint(kBold, "summary:") << " facts "
         << CountsText(Count(diff_.facts), {"added", "removed", "changed"}) << "; findings "
         << CountsText(Count(diff_.findings), {"new", "resolved", "changed"});
    if (diff_.HasRegression()) out_ << "; " << Paint(kRed, "REGRESSION");
    out_ << '\n';
  }

  const DiffReport& diff_;
  std::ostream& out_;
  const TextOptions& options_;
  bool show_roots_ = false;
};

}  // namespace

void RenderDiffText(const DiffReport& diff, std::ostream& out, const TextOptions& options) {
  DiffWriter(diff, out, options).Write();
}

}  // namespace imageprobe::report
