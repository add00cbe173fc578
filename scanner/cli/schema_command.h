// SPDX-License-Identifier: Apache-2.0
// `imageprobe schema`: the JSON Schema of the JSON report (scanner/report/report_schema.h),
// with each record kind's payload as this build's probes declare it. docs/report.schema.json
// is its output.
#pragma once

#include <CLI/CLI.hpp>

#include "scanner/cli/cli.h"

namespace imageprobe::cli {

CLI::App* AddSchemaCommand(CLI::App& app);

int RunSchema(const CliEnvironment& env);

}  // namespace imageprobe::cli
