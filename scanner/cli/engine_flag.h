// SPDX-License-Identifier: Apache-2.0
// --engine auto|native|guestfs, shared by scan and diff: which engine reads disk images.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "images/open.h"

namespace imageprobe::cli {

void AddEngineOption(CLI::App& command, std::string& engine);

// The value AddEngineOption accepted ("auto" when it was not given).
images::Engine ParseEngine(const std::string& engine);

}  // namespace imageprobe::cli
