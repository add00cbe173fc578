// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/rules_command.h"

#include "scanner/cli/output.h"
#include "scanner/cli/renderers.h"
#include "scanner/gate/expectations.h"
#include "scanner/gate/suppressions.h"

namespace imageprobe::cli {

std::vector<report::RuleGroup> RuleGroups(std::span<const Probe* const> probes) {
  std::vector<report::RuleGroup> groups;
  for (const Probe* p : probes) {
    groups.push_back({"probe", p->name(), p->description(), p->rules()});
  }
  // Rules the gate raises rather than a probe, listed (and given to SARIF) like a probe's.
  groups.push_back(
      {"gate", "expect", "Expectations not met (scan --expect FILE)", gate::ExpectationRules()});
  groups.push_back({"gate", "ignore", "Suppressions expired or unused (scan --ignore FILE)",
                    gate::SuppressionRules()});
  return groups;
}

CLI::App* AddRulesCommand(CLI::App& app, RulesCommand& c) {
  CLI::App* rules = app.add_subcommand(
      "rules",
      "List every rule each probe can raise: id, severity, title, rationale, remediation.");
  rules
      ->add_option(
          "-f,--format", c.format,
          "Output format. markdown is what docs/rules.md holds; probe-table the README's table "
          "of probes.")
      ->check(CLI::IsMember(FormatNames(RulesRenderers())))
      ->capture_default_str();
  return rules;
}

int RunRules(const RulesCommand& c, const CliEnvironment& env) {
  std::vector<report::RuleGroup> groups = RuleGroups(env.probes);
  std::string rendered = Render(RulesRenderers(), c.format, RuleCatalogue(groups), {});
  return WriteOutput(rendered, "", env) ? kExitOk : kExitUsage;
}

}  // namespace imageprobe::cli
