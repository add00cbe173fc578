// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/rules_command.h"

#include <nlohmann/json.hpp>

#include "scanner/gate/expectations.h"
#include "scanner/gate/suppressions.h"

namespace imageprobe::cli {

CLI::App* AddRulesCommand(CLI::App& app, RulesCommand& c) {
  CLI::App* rules = app.add_subcommand(
      "rules",
      "List every rule each probe can raise: id, severity, title, rationale, remediation.");
  rules->add_option("-f,--format", c.format, "Output format.")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  return rules;
}

namespace {

// Rules raised by the gate rather than by a probe, listed like a probe's.
struct RuleGroup {
  std::string_view source;  // "probe" or "gate"
  std::string_view name;
  std::string_view description;
  std::span<const RuleInfo> rules;
};

std::vector<RuleGroup> RuleGroups(const CliEnvironment& env) {
  std::vector<RuleGroup> groups;
  for (const Probe* p : env.probes) groups.push_back({"probe", p->name(), p->description(), p->rules()});
  groups.push_back({"gate", "expect", "Expectations not met (scan --expect FILE)",
                    gate::ExpectationRules()});
  groups.push_back({"gate", "ignore", "Suppressions expired or unused (scan --ignore FILE)",
                    gate::SuppressionRules()});
  return groups;
}

}  // namespace

int RunRules(const RulesCommand& c, const CliEnvironment& env) {
  const std::vector<RuleGroup> groups = RuleGroups(env);
  if (c.format == "json") {
    nlohmann::json probes = nlohmann::json::array();
    for (const RuleGroup& g : groups) {
      nlohmann::json rules = nlohmann::json::array();
      for (const RuleInfo& r : g.rules) {
        rules.push_back({{"id", r.id},
                         {"severity", SeverityName(r.severity)},
                         {"title", r.title},
                         {"rationale", r.rationale},
                         {"remediation", r.remediation}});
      }
      probes.push_back({{"name", g.name},
                        {"source", g.source},
                        {"description", g.description},
                        {"rules", rules}});
    }
    env.out << nlohmann::json{{"probes", probes}}.dump(2) << '\n';
    return kExitOk;
  }
  for (const RuleGroup& g : groups) {
    env.out << g.source << ' ' << g.name << ": " << g.description << '\n';
    if (g.rules.empty()) env.out << "  (no rules: inventory only)\n";
    for (const RuleInfo& r : g.rules) {
      env.out << "  " << r.id << "  [" << SeverityName(r.severity) << "]  " << r.title << '\n'
              << "      why: " << r.rationale << '\n'
              << "      fix: " << r.remediation << '\n';
    }
    env.out << '\n';
  }
  return kExitOk;
}

}  // namespace imageprobe::cli
