// SPDX-License-Identifier: Apache-2.0
#include "tests/support/probe_run.h"

namespace imageprobe::testing {

std::vector<const Finding*> ProbeOutcome::Findings(std::string_view rule_id) const {
  std::vector<const Finding*> found;
  for (const auto& f : const_cast<Output&>(out).findings()) {
    if (f.rule_id == rule_id) found.push_back(&f);
  }
  return found;
}

std::vector<const Fact*> ProbeOutcome::Facts(std::string_view kind) const {
  std::vector<const Fact*> found;
  for (const auto& f : const_cast<Output&>(out).facts()) {
    if (f.kind == kind) found.push_back(&f);
  }
  return found;
}

const Fact* ProbeOutcome::FindFact(std::string_view kind, std::string_view key) const {
  for (const auto& f : const_cast<Output&>(out).facts()) {
    if (f.kind == kind && f.key == key) return &f;
  }
  return nullptr;
}

ProbeOutcome RunProbe(const Probe& probe, const Filesystem& fs, Context& context,
                      const ScanLimits& limits) {
  static const OsInfo kOs;
  ProbeOutcome run;
  probe.Run(Target{fs, kOs, limits, context}, run.out);
  return run;
}

ProbeOutcome RunProbe(const Probe& probe, const Filesystem& fs) {
  Context context;
  return RunProbe(probe, fs, context);
}

}  // namespace imageprobe::testing
