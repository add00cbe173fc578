// SPDX-License-Identifier: Apache-2.0
// `imageprobe diff OLD NEW`: compare two versions of an image. Each side is an image in any
// supported format (scanned exactly as `scan` would, both at once: each is its own appliance)
// or a saved JSON report (recognised by content: an object whose "schema" is
// "imageprobe/report/v1"). The comparison itself is DiffReports (scanner/core/diff.h).
//
// Exit codes: 0 ok; 1 when gating (--fail-on-regression, or --fail-on given) and the diff has
// a regression headline (gating on regressions only) or a finding added or raised at or above
// --fail-on (default high); 2 usage error or an input that cannot be read.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "scanner/cli/cli.h"
#include "scanner/cli/gate_flags.h"

namespace imageprobe::cli {

struct DiffCommand {
  std::string old_input;
  std::string new_input;
  std::string format = "text";  // text | json | markdown | html
  std::string output;           // empty: stdout
  bool quiet = false;
  bool fail_on_regression = false;
  std::string fail_on;          // empty: "high" when --fail-on-regression is given
  std::string engine = "auto";  // --engine auto | native | guestfs
  GateFlags gate;  // --profile only: applied to both sides, so NEW's findings gate under it
};

CLI::App* AddDiffCommand(CLI::App& app, DiffCommand& command);

int RunDiff(const DiffCommand& command, const CliEnvironment& env);

}  // namespace imageprobe::cli
