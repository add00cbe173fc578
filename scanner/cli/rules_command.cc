// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/rules_command.h"

#include <nlohmann/json.hpp>

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

int RunRules(const RulesCommand& c, const CliEnvironment& env) {
  if (c.format == "json") {
    nlohmann::json probes = nlohmann::json::array();
    for (const Probe* p : env.probes) {
      nlohmann::json rules = nlohmann::json::array();
      for (const RuleInfo& r : p->rules()) {
        rules.push_back({{"id", r.id},
                         {"severity", SeverityName(r.severity)},
                         {"title", r.title},
                         {"rationale", r.rationale},
                         {"remediation", r.remediation}});
      }
      probes.push_back({{"name", p->name()}, {"description", p->description()}, {"rules", rules}});
    }
    env.out << nlohmann::json{{"probes", probes}}.dump(2) << '\n';
    return kExitOk;
  }
  for (const Probe* p : env.probes) {
    env.out << "probe " << p->name() << ": " << p->description() << '\n';
    if (p->rules().empty()) env.out << "  (no rules: inventory only)\n";
    for (const RuleInfo& r : p->rules()) {
      env.out << "  " << r.id << "  [" << SeverityName(r.severity) << "]  " << r.title << '\n'
              << "      why: " << r.rationale << '\n'
              << "      fix: " << r.remediation << '\n';
    }
    env.out << '\n';
  }
  return kExitOk;
}

}  // namespace imageprobe::cli
