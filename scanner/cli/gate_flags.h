// SPDX-License-Identifier: Apache-2.0
// The gate's command-line flags (--profile, --expect, --ignore, --baseline) and loading the
// files they name into a gate::Policy. A file that cannot be read or parsed is a usage error:
// one line naming the flag, the file and the reason, exit 2.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <expected>
#include <string>

#include "scanner/gate/policy.h"

namespace imageprobe::cli {

struct GateFlags {
  std::string profile = "default";
  std::string expect;    // empty: none
  std::string ignore;    // empty: none
  std::string baseline;  // empty: none
};

inline constexpr const char* kProfileHelp =
    "Severities for the job at hand. default: the rules' own. release: an image about to be "
    "published (baked host keys, registrations, credentials, build keys, shell histories, "
    "cloud-init and Image Builder leftovers are high or critical). forensic: the rules' own "
    "severities and no gate: --fail-on (and diff's --fail-on-regression) never fail.";

// --profile only (diff); `flags.profile` is checked against the profile names.
void AddProfileFlag(CLI::App& command, GateFlags& flags);
// --profile, --expect, --ignore, --baseline (scan).
void AddGateFlags(CLI::App& command, GateFlags& flags);

// The policy, with every named file read and parsed; or "--expect FILE: reason".
std::expected<gate::Policy, std::string> LoadPolicy(const GateFlags& flags,
                                                    std::chrono::year_month_day today);

}  // namespace imageprobe::cli
