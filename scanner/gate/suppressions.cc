// SPDX-License-Identifier: Apache-2.0
#include "scanner/gate/suppressions.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "scanner/core/guest_path.h"
#include "scanner/core/probe.h"
#include "scanner/core/runner.h"
#include "scanner/parse/bounded_yaml.h"

namespace imageprobe::gate {

namespace {

using parse::YamlNode;

constexpr RuleInfo kExpired{
    "ignore.expired", Severity::kLow, "a suppression in the ignore file has expired",
    "An accepted exception was given an end date; past it, the findings it covered are reported "
    "again, and this says why they came back.",
    "Fix what the findings report, or, if the exception still holds, renew the entry with a new "
    "reason and expiry date."};
constexpr RuleInfo kUnused{
    "ignore.unused", Severity::kInfo, "a suppression in the ignore file matches no finding",
    "A stale entry is an exception no one needs any more; left in place, it silently hides the "
    "next finding that happens to match it.",
    "Delete the entry from the ignore file (or fix its rule, path or user if it was meant to "
    "match)."};
constexpr std::array kRules = {kExpired, kUnused};

struct FileError {
  std::string message;
};

[[noreturn]] void Fail(uint32_t line, const std::string& why) {
  throw FileError{(line ? "line " + std::to_string(line) + ": " : "") + why};
}

std::string Scalar(const parse::YamlNode& entry, std::string_view key, size_t index) {
  const parse::YamlNode* node = entry.Find(key);
  if (node == nullptr || node->kind == parse::YamlNode::Kind::kNull) return "";
  if (!node->IsScalar()) {
    Fail(node->line, "entry " + std::to_string(index) + ": \"" + std::string(key) +
                         "\" must be a single value");
  }
  return node->scalar;
}

bool ValidRule(std::string_view rule) {
  std::string_view body = rule.ends_with(".*") ? rule.substr(0, rule.size() - 2) : rule;
  return !body.empty() && std::ranges::all_of(body, [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '_' || c == '.';
  });
}

IgnoreEntry ParseEntry(const parse::YamlNode& node, size_t index) {
  if (!node.IsMap()) Fail(node.line, "entry " + std::to_string(index) + " is not a mapping");
  for (const auto& [key, value] : node.entries) {
    static constexpr std::array<std::string_view, 5> kKeys = {"rule", "path", "user", "reason",
                                                              "expires"};
    if (std::ranges::find(kKeys, key) == kKeys.end()) {
      Fail(value.line, "entry " + std::to_string(index) + ": unknown key \"" + key +
                           "\" (allowed: rule, path, user, reason, expires)");
    }
  }
  IgnoreEntry entry;
  entry.line = node.line;
  entry.rule = Scalar(node, "rule", index);
  entry.path = Scalar(node, "path", index);
  entry.user = Scalar(node, "user", index);
  entry.reason = Scalar(node, "reason", index);
  std::string expires = Scalar(node, "expires", index);
  std::string at = "entry " + std::to_string(index);
  if (entry.rule.empty()) Fail(node.line, at + " has no rule");
  if (!ValidRule(entry.rule)) {
    Fail(node.line, at + ": \"" + entry.rule + "\" is not a rule id (or a prefix ending in .*)");
  }
  if (entry.reason.find_first_not_of(" \t") == std::string::npos) {
    Fail(node.line, at + " has no reason (every suppression must say why)");
  }
  if (!entry.path.empty() && !entry.path.starts_with('/')) {
    Fail(node.line, at + ": path must be absolute inside the image");
  }
  if (!expires.empty()) {
    entry.expires = ParseIsoDate(expires);
    if (!entry.expires) Fail(node.line, at + ": expires \"" + expires + "\" is not YYYY-MM-DD");
  }
  return entry;
}

IgnoreFile ParseDocument(const parse::YamlNode& root, std::string source) {
  if (!root.IsMap()) Fail(root.line, "expected a mapping with \"version\" and \"ignore\"");
  for (const auto& [key, value] : root.entries) {
    if (key != "version" && key != "ignore") {
      Fail(value.line, "unknown key \"" + key + "\" (allowed: version, ignore)");
    }
  }
  const parse::YamlNode* version = root.Find("version");
  if (version == nullptr) Fail(root.line, "no \"version\" (this imageprobe reads version 1)");
  if (!version->IsScalar() || version->scalar != std::to_string(kIgnoreFileVersion)) {
    Fail(version->line, "unsupported version (this imageprobe reads version 1)");
  }
  IgnoreFile file{std::move(source), {}};
  const parse::YamlNode* entries = root.Find("ignore");
  if (entries == nullptr || entries->kind == parse::YamlNode::Kind::kNull) return file;
  if (!entries->IsSequence()) Fail(entries->line, "\"ignore\" must be a list of entries");
  for (size_t i = 0; i < entries->items.size(); ++i) {
    file.entries.push_back(ParseEntry(entries->items[i], i + 1));
  }
  return file;
}

Finding MetaFinding(const IgnoreFile& file, const IgnoreEntry& entry, std::string title) {
  return Finding{.title = std::move(title),
                 .user = entry.user,
                 .evidence = file.source + " line " + std::to_string(entry.line) + ": " +
                             entry.Describe() + "; reason: " + entry.reason};
}

bool Exempt(const Finding& f) { return f.rule_id.starts_with("ignore."); }

}  // namespace

bool IgnoreEntry::Matches(const Finding& finding) const {
  bool rule_matches =
      rule.ends_with(".*")
          ? finding.rule_id.starts_with(std::string_view(rule).substr(0, rule.size() - 1))
          : finding.rule_id == rule;
  if (!rule_matches) return false;
  if (!path.empty() && !GuestGlobMatch(path, finding.path)) return false;
  return user.empty() || finding.user == user;
}

std::string IgnoreEntry::Describe() const {
  std::string text = "rule " + rule;
  if (!path.empty()) text += ", path " + path;
  if (!user.empty()) text += ", user " + user;
  if (expires) text += ", expires " + FormatIsoDate(*expires);
  return text;
}

std::expected<IgnoreFile, std::string> ParseIgnoreFile(std::string_view text, std::string source) {
  parse::YamlParse parsed = parse::ParseBoundedYaml(text);
  if (!parsed.root) {
    const parse::YamlProblem& p = *parsed.problem;
    return std::unexpected((p.line ? "line " + std::to_string(p.line) + ": " : "") +
                           "not valid YAML: " + p.message);
  }
  try {
    return ParseDocument(*parsed.root, std::move(source));
  } catch (const FileError& e) {
    return std::unexpected(e.message);
  }
}

std::span<const RuleInfo> SuppressionRules() { return kRules; }

void ApplyIgnoreFile(const IgnoreFile& file, std::chrono::year_month_day today, Report& report) {
  const std::chrono::sys_days now{today};
  std::vector<bool> used(file.entries.size(), false);
  for (RootReport& root : report.roots) {
    for (Finding& finding : root.findings) {
      if (Exempt(finding)) continue;
      for (size_t i = 0; i < file.entries.size(); ++i) {
        const IgnoreEntry& entry = file.entries[i];
        if (!entry.Matches(finding)) continue;
        used[i] = true;
        bool expired = entry.expires && std::chrono::sys_days{*entry.expires} < now;
        if (expired || finding.suppressed) continue;
        Suppression s{.by = "ignore_file", .reason = entry.reason};
        if (entry.expires) s.expires = FormatIsoDate(*entry.expires);
        finding.suppressed = std::move(s);
      }
    }
  }
  if (report.roots.empty()) return;
  Output out;
  for (size_t i = 0; i < file.entries.size(); ++i) {
    const IgnoreEntry& entry = file.entries[i];
    std::string key = entry.rule + "|" + entry.path + "|" + entry.user;
    if (entry.expires && std::chrono::sys_days{*entry.expires} < now) {
      out.Raise(kExpired,
                MetaFinding(file, entry,
                            "suppression of " + entry.rule + " expired on " +
                                FormatIsoDate(*entry.expires) +
                                (used[i] ? ": its findings are reported again" : "")),
                key);
    } else if (!used[i]) {
      out.Raise(kUnused,
                MetaFinding(file, entry, "suppression of " + entry.rule + " matches no finding"),
                key);
    }
  }
  RootReport& first = report.roots.front();
  std::ranges::move(out.findings(), std::back_inserter(first.findings));
  Canonicalize(first);
}

void ApplyBaseline(const Report& baseline, std::string_view baseline_source, Report& report) {
  std::set<std::string, std::less<>> known;
  for (const RootReport& root : baseline.roots) {
    for (const Finding& f : root.findings) known.insert(f.identity);
  }
  std::string reason = "already reported in baseline " + std::string(baseline_source);
  if (!baseline.generated_at.empty()) reason += " (" + baseline.generated_at + ")";
  for (RootReport& root : report.roots) {
    for (Finding& finding : root.findings) {
      if (finding.suppressed || Exempt(finding) || finding.rule_id.starts_with("expect.")) continue;
      if (!known.contains(finding.identity)) continue;
      finding.suppressed = Suppression{.by = "baseline", .reason = reason};
    }
  }
}

}  // namespace imageprobe::gate
