// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/sarif_renderer.h"

#include <cstdio>
#include <map>

#include "scanner/core/json_text.h"
#include "scanner/core/runner.h"
#include "scanner/report/json_model.h"

namespace imageprobe::report {

namespace {

using nlohmann::json;

std::string_view Level(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    case Severity::kLow:
    case Severity::kInfo:
      return "note";
  }
  return "note";
}

std::string_view SecuritySeverity(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "3.0";
    case Severity::kInfo:
      return "0.0";
  }
  return "0.0";
}

// SARIF §3.11.6: in a plain-text message, "[text](n)" is an embedded link to a related
// location; literal brackets are escaped with a backslash (and so is the backslash).
std::string SarifText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// A nonempty message text (SARIF requires text).
json Message(std::string text) { return {{"text", text.empty() ? "(no text)" : text}}; }

json RuleJson(const RuleInfo& rule) {
  std::string remediation(rule.remediation);
  json j = {{"id", rule.id},
            {"shortDescription", Message(SarifText(rule.title))},
            {"fullDescription", Message(SarifText(rule.rationale))},
            {"help",
             {{"text", remediation.empty() ? std::string("(no remediation)") : remediation},
              {"markdown", "**Why it matters:** " + std::string(rule.rationale) +
                               "\n\n**Remediation:** " + remediation}}},
            {"defaultConfiguration", {{"level", Level(rule.severity)}}},
            {"properties",
             {{"security-severity", SecuritySeverity(rule.severity)},
              {"severity", SeverityName(rule.severity)},
              {"tags", json::array({"security"})}}}};
  return j;
}

// The rule a finding names when the registry does not know it: what the finding says of it.
json UnknownRuleJson(const Finding& f) {
  return {{"id", f.rule_id},
          {"shortDescription", Message(SarifText(f.rule_id))},
          {"defaultConfiguration", {{"level", Level(f.severity)}}},
          {"properties",
           {{"security-severity", SecuritySeverity(f.severity)},
            {"severity", SeverityName(f.severity)},
            {"tags", json::array({"security"})}}}};
}

std::string BaseId(size_t root_index) { return "ROOT" + std::to_string(root_index); }

class RunBuilder {
 public:
  RunBuilder(const Report& report, std::span<const RuleInfo> rules) : report_(report) {
    for (const RuleInfo& rule : rules) {
      if (index_.contains(std::string(rule.id))) continue;
      index_[std::string(rule.id)] = rules_.size();
      rules_.push_back(RuleJson(rule));
    }
  }

  json Build() {
    json results = json::array();
    json bases = json::object();
    json roots = json::array();
    for (size_t i = 0; i < report_.roots.size(); ++i) {
      RootReport root = report_.roots[i];
      Canonicalize(root);
      std::string description = "root " + root.root.name;
      if (!root.root.description.empty()) description += " (" + root.root.description + ")";
      description += " of " + report_.input.path;
      bases[BaseId(i)] = {{"description", Message(SarifText(description))}};
      roots.push_back({{"uri_base_id", BaseId(i)},
                       {"name", root.root.name},
                       {"description", root.root.description},
                       {"os", root.os.pretty_name},
                       {"partial", root.partial}});
      for (const Finding& f : root.findings) results.push_back(Result(f, root, i));
    }
    json run = {
        {"tool",
         {{"driver",
           {{"name", "imageprobe"}, {"version", report_.tool_version}, {"rules", rules_}}}}},
        {"invocations", json::array({Invocation()})},
        {"results", results},
        {"columnKind", "unicodeCodePoints"},
        {"properties",
         {{"input", report_.input},
          {"backend", report_.backend},
          {"profile", report_.profile},
          {"partial", report_.partial},
          {"roots", roots}}}};
    if (!bases.empty()) run["originalUriBaseIds"] = bases;
    return run;
  }

 private:
  size_t RuleIndex(const Finding& f) {
    auto it = index_.find(f.rule_id);
    if (it != index_.end()) return it->second;
    index_[f.rule_id] = rules_.size();
    rules_.push_back(UnknownRuleJson(f));
    return rules_.size() - 1;
  }

  json Result(const Finding& f, const RootReport& root, size_t root_index) {
    std::string text = f.title.empty() ? f.rule_id : f.title;
    if (!f.evidence.empty()) text += ": " + f.evidence;
    json location = json::object();
    if (!f.path.empty()) {
      json physical = {
          {"artifactLocation", {{"uri", GuestPathUri(f.path)}, {"uriBaseId", BaseId(root_index)}}}};
      if (f.line && *f.line > 0) physical["region"] = {{"startLine", *f.line}};
      location["physicalLocation"] = physical;
    }
    json logical = json::array();
    logical.push_back({{"name", root.root.name}, {"kind", "module"}});
    if (!f.user.empty()) logical.push_back({{"name", f.user}, {"kind", "user"}});
    location["logicalLocations"] = logical;

    json properties = {{"severity", SeverityName(f.severity)}, {"root", root.root.name}};
    if (!f.user.empty()) properties["user"] = f.user;
    if (!f.evidence.empty()) properties["evidence"] = f.evidence;
    if (!f.remediation.empty()) properties["remediation"] = f.remediation;
    if (f.default_severity) properties["default_severity"] = SeverityName(*f.default_severity);

    // One image may hold several roots with the same finding; the root then tells them apart.
    std::string fingerprint =
        report_.roots.size() > 1 ? root.root.name + "|" + f.identity : f.identity;
    json result = {{"ruleId", f.rule_id},
                   {"ruleIndex", RuleIndex(f)},
                   {"level", Level(f.severity)},
                   {"kind", "fail"},
                   {"message", Message(SarifText(text))},
                   {"locations", json::array({location})},
                   {"partialFingerprints", {{"imageprobe/identity/v1", fingerprint}}},
                   {"properties", properties}};
    if (f.suppressed) {
      // SARIF §3.35: an external suppression (ours lives in an ignore file or a baseline, not
      // in the image), accepted; the justification says why.
      json suppression = {
          {"kind", "external"},
          {"status", "accepted"},
          {"justification", f.suppressed->reason.empty() ? "suppressed by " + f.suppressed->by
                                                         : f.suppressed->reason},
          {"properties", {{"by", f.suppressed->by}}}};
      if (!f.suppressed->expires.empty()) {
        suppression["properties"]["expires"] = f.suppressed->expires;
      }
      result["suppressions"] = json::array({suppression});
    }
    return result;
  }

  json Invocation() const {
    json notifications = json::array();
    auto add = [&](const Diagnostic& d, const std::string& root) {
      std::string text = (d.source.empty() ? std::string("image") : d.source) + ": ";
      if (!d.path.empty()) text += d.path + ": ";
      text += d.message;
      json n = {{"level", "error"}, {"message", Message(SarifText(text))}};
      n["properties"] = {{"source", d.source}, {"path", d.path}};
      if (!root.empty()) n["properties"]["root"] = root;
      notifications.push_back(std::move(n));
    };
    for (const Diagnostic& d : report_.errors) add(d, "");
    for (const RootReport& root : report_.roots) {
      for (const Diagnostic& d : root.errors) add(d, root.root.name);
    }
    // The scan ran to the end; what it could not read is in the notifications and "partial".
    json invocation = {{"executionSuccessful", true},
                       {"toolExecutionNotifications", notifications}};
    if (!report_.generated_at.empty()) invocation["endTimeUtc"] = report_.generated_at;
    return invocation;
  }

  const Report& report_;
  json rules_ = json::array();
  std::map<std::string, size_t, std::less<>> index_;
};

}  // namespace

std::string GuestPathUri(std::string_view path) {
  while (path.starts_with('/')) path.remove_prefix(1);
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

json SarifLog(std::span<const Report> reports, std::span<const RuleInfo> rules) {
  json runs = json::array();
  for (const Report& r : reports) runs.push_back(RunBuilder(r, rules).Build());
  return {{"$schema", kSarifSchemaUri}, {"version", "2.1.0"}, {"runs", runs}};
}

void RenderSarif(std::span<const Report> reports, std::span<const RuleInfo> rules,
                 std::ostream& out) {
  // Image strings need not be valid UTF-8; invalid bytes become U+FFFD, as in the JSON report.
  out << JsonText(SarifLog(reports, rules), 2) << '\n';
}

}  // namespace imageprobe::report
