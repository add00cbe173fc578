// SPDX-License-Identifier: Apache-2.0
// `imageprobe rules`: every rule of every probe (id, severity, title, rationale, remediation),
// in registry order, as text, JSON or Markdown (scanner/report/rules_renderer.h).
#pragma once

#include <CLI/CLI.hpp>

#include "scanner/cli/cli.h"
#include "scanner/report/rules_renderer.h"

namespace imageprobe::cli {

struct RulesCommand {
  std::string format = "text";
};

// The rule registry as the renderers take it: one group per probe, in registry order.
std::vector<report::RuleGroup> RuleGroups(std::span<const Probe* const> probes);

CLI::App* AddRulesCommand(CLI::App& app, RulesCommand& command);

int RunRules(const RulesCommand& command, const CliEnvironment& env);

}  // namespace imageprobe::cli
