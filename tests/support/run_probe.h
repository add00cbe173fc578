// SPDX-License-Identifier: Apache-2.0
// Runs one probe on a Filesystem the way the runner does (fresh Context, default limits) and
// offers lookups over its output, for probe tests.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/probe.h"

namespace imageprobe::testing {

struct ProbeResult {
  mutable Output out;  // Output has no const accessors

  const Fact* FindFact(std::string_view kind, std::string_view key) const {
    for (const auto& f : out.facts()) {
      if (f.kind == kind && f.key == key) return &f;
    }
    return nullptr;
  }
  size_t CountFacts(std::string_view kind) const {
    auto& facts = out.facts();
    return std::ranges::count_if(facts, [&](const Fact& f) { return f.kind == kind; });
  }
  std::vector<const Finding*> FindingsOf(std::string_view rule_id) const {
    std::vector<const Finding*> found;
    for (const auto& f : out.findings()) {
      if (f.rule_id == rule_id) found.push_back(&f);
    }
    return found;
  }
  const Finding* FindingOf(std::string_view rule_id) const {
    auto all = FindingsOf(rule_id);
    return all.empty() ? nullptr : all.front();
  }
  std::vector<Diagnostic>& errors() { return out.errors(); }
};

inline ProbeResult RunProbe(const Probe& probe, const Filesystem& fs,
                            const ScanLimits& limits = {}) {
  OsInfo os;
  Context context;
  Target target{fs, os, limits, context};
  ProbeResult result;
  probe.Run(target, result.out);
  return result;
}

}  // namespace imageprobe::testing
