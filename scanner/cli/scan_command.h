// SPDX-License-Identifier: Apache-2.0
// `imageprobe scan IMAGE...`: open each image read-only, run the probes, render one report per
// image, and turn the findings into an exit code with --fail-on.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scanner/cli/cli.h"
#include "scanner/cli/gate_flags.h"

namespace imageprobe::cli {

struct ScanCommand {
  std::vector<std::string> images;
  std::string format = "text";  // text | json | sarif | markdown | html
  std::string output;           // empty: stdout
  bool quiet = false;
  bool hash = false;                // --hash: record the input's SHA-256
  std::vector<std::string> probes;  // empty: all
  std::string fail_on;              // empty: never fail the gate
  GateFlags gate;                   // --profile, --expect, --ignore, --baseline
  ScanLimits limits;
  double probe_time_budget_seconds = 60;
  std::string as_of;            // --as-of YYYY-MM-DD; empty: today
  std::string engine = "auto";  // --engine auto | native | guestfs
};

// Declares the subcommand and its options, bound to `command`.
CLI::App* AddScanCommand(CLI::App& app, ScanCommand& command);

int RunScan(const ScanCommand& command, const CliEnvironment& env);

}  // namespace imageprobe::cli
