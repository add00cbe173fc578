// SPDX-License-Identifier: Apache-2.0
// `imageprobe version`: the version (the CMake project version, the one place it is set), the
// build's commit (git describe when CMake configured the build; "unknown" outside a git
// checkout), and what this machine offers (images/host_report.h), as text or JSON.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "scanner/cli/cli.h"

namespace imageprobe::cli {

struct VersionCommand {
  std::string format = "text";
};

// The commit this binary was built from.
const char* BuildCommit();

CLI::App* AddVersionCommand(CLI::App& app, VersionCommand& command);

int RunVersion(const VersionCommand& command, const CliEnvironment& env);

}  // namespace imageprobe::cli
