// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/rules_command.h"

namespace imageprobe::cli {

std::vector<report::RuleGroup> RuleGroups(std::span<const Probe* const> probes) {
  std::vector<report::RuleGroup> groups;
  for (const Probe* p : probes) groups.push_back({p->name(), p->description(), p->rules()});
  return groups;
}

CLI::App* AddRulesCommand(CLI::App& app, RulesCommand& c) {
  CLI::App* rules = app.add_subcommand(
      "rules",
      "List every rule each probe can raise: id, severity, title, rationale, remediation.");
  rules->add_option("-f,--format", c.format, "Output format. markdown is what docs/rules.md holds.")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  return rules;
}

int RunRules(const RulesCommand& c, const CliEnvironment& env) {
  std::vector<report::RuleGroup> groups = RuleGroups(env.probes);
  if (c.format == "json") {
    report::RenderRulesJson(groups, env.out);
  } else if (c.format == "markdown") {
    report::RenderRulesMarkdown(groups, env.out);
  } else {
    report::RenderRulesText(groups, env.out);
  }
  return kExitOk;
}

}  // namespace imageprobe::cli
