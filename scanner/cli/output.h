// SPDX-License-Identifier: Apache-2.0
// Where a command's rendered output goes, decided in one place for every command: stdout, or
// the file --output names. That file may never be an input or lie inside an input directory
// (read-only means the evidence is never written), is checked before anything is opened, and
// is written whole once the output is rendered.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "scanner/cli/cli.h"

namespace imageprobe::cli {

// True when `output_path` (empty: stdout) may be written without touching any of `inputs`;
// otherwise says why on env.err.
bool OutputPathAllowed(const std::string& output_path, std::span<const std::string> inputs,
                       const CliEnvironment& env);

// Whether the text format may colour its output: on a terminal only, and never with NO_COLOR.
bool UseColor(const std::string& output_path, const CliEnvironment& env);

// Writes `rendered` to env.out when `output_path` is empty, else replaces the file's content.
// False, having said why on env.err, when the file cannot be written.
bool WriteOutput(std::string_view rendered, const std::string& output_path,
                 const CliEnvironment& env);

}  // namespace imageprobe::cli
