// SPDX-License-Identifier: Apache-2.0
// `scan --probe NAME...`: which probes of the registry a scan runs.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "scanner/cli/cli.h"

namespace imageprobe::cli {

// The probes named in `names` (all when empty), in registry order, plus the ones every scan
// needs; nullopt, having listed the valid names on env.err, when a name is not a probe's.
std::optional<std::vector<const Probe*>> SelectProbes(std::span<const std::string> names,
                                                      const CliEnvironment& env);

}  // namespace imageprobe::cli
