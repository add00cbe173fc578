// SPDX-License-Identifier: Apache-2.0
// Every command's parsed values in one struct, for DefineCli (cli.h).
#pragma once

#include "scanner/cli/diff_command.h"
#include "scanner/cli/rules_command.h"
#include "scanner/cli/scan_command.h"
#include "scanner/cli/version_command.h"

namespace imageprobe::cli {

struct CliCommands {
  ScanCommand scan;
  DiffCommand diff;
  RulesCommand rules;
  VersionCommand version;
};

}  // namespace imageprobe::cli
