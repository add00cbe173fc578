// SPDX-License-Identifier: Apache-2.0
// Runs one probe on a Filesystem the way the runner does (fresh Context per root) and gives
// tests easy access to what it produced.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scanner/probe.h"

namespace imageprobe::testing {

struct ProbeOutcome {
  Output out;

  std::vector<const Finding*> Findings(std::string_view rule_id) const;
  std::vector<const Fact*> Facts(std::string_view kind) const;
  const Fact* FindFact(std::string_view kind, std::string_view key) const;
};

// `context` may be shared to run several probes over one root.
ProbeOutcome RunProbe(const Probe& probe, const Filesystem& fs, Context& context,
                      const ScanLimits& limits = {});
ProbeOutcome RunProbe(const Probe& probe, const Filesystem& fs);

}  // namespace imageprobe::testing
