// SPDX-License-Identifier: Apache-2.0
// `imageprobe rules`: every rule of every probe (id, severity, title, rationale, remediation),
// in registry order, as text or JSON.
#pragma once

#include <CLI/CLI.hpp>

#include "scanner/cli/cli.h"

namespace imageprobe::cli {

struct RulesCommand {
  std::string format = "text";
};

CLI::App* AddRulesCommand(CLI::App& app, RulesCommand& command);

int RunRules(const RulesCommand& command, const CliEnvironment& env);

}  // namespace imageprobe::cli
