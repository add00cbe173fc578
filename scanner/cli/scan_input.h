// SPDX-License-Identifier: Apache-2.0
// The one way the CLI turns an input path into a Report: check the path, open it read-only
// with the environment's opener, run the probes. `scan` and `diff` both go through here, so a
// diff of two images sees exactly what two scans would.
#pragma once

#include <expected>
#include <span>
#include <string>

#include "scanner/cli/cli.h"
#include "scanner/core/runner.h"

namespace imageprobe::cli {

// The report, or the reason the input could not be scanned (one line, unescaped).
std::expected<Report, std::string> ScanInput(const std::string& input,
                                             std::span<const Probe* const> probes,
                                             const ScanOptions& options,
                                             const images::OpenOptions& open_options,
                                             const OpenImageFn& open_image);

// "imageprobe: <input>: <reason>", naming the input once even when the reason already does.
void PrintInputError(const CliEnvironment& env, const std::string& input,
                     const std::string& reason);

}  // namespace imageprobe::cli
