// SPDX-License-Identifier: Apache-2.0
#include "tests/support/probe_run.h"

#include <gtest/gtest.h>

#include "scanner/core/record_members.h"

namespace imageprobe::testing {

std::vector<const Finding*> ProbeResult::Findings(std::string_view rule_id) const {
  std::vector<const Finding*> found;
  for (const auto& f : out.findings()) {
    if (f.rule_id == rule_id) found.push_back(&f);
  }
  return found;
}

const Finding* ProbeResult::FirstFinding(std::string_view rule_id) const {
  for (const auto& f : out.findings()) {
    if (f.rule_id == rule_id) return &f;
  }
  return nullptr;
}

std::vector<const Fact*> ProbeResult::Facts(std::string_view kind) const {
  std::vector<const Fact*> found;
  for (const auto& f : out.facts()) {
    if (f.kind == kind) found.push_back(&f);
  }
  return found;
}

const Fact* ProbeResult::FindFact(std::string_view kind, std::string_view key) const {
  for (const auto& f : out.facts()) {
    if (f.kind == kind && f.key == key) return &f;
  }
  return nullptr;
}

void ExpectDeclaredPayloads(const Probe& probe, std::span<const Fact> facts) {
  for (const Fact& fact : facts) {
    const RecordKind* kind = nullptr;
    for (const RecordKind* declared : probe.records()) {
      if (declared->name == fact.kind) kind = declared;
    }
    if (kind == nullptr) {
      ADD_FAILURE() << probe.name() << " records " << fact.kind << ", a kind it does not declare";
      continue;
    }
    for (const std::string& mismatch : PayloadMismatches(fact.data, kind->members)) {
      ADD_FAILURE() << fact.kind << " " << fact.key << ": " << mismatch << "\n  in "
                    << fact.data.dump();
    }
  }
}

ProbeResult RunProbe(const Probe& probe, const Filesystem& fs, const ScanLimits& limits) {
  Context context;
  return RunProbe(probe, fs, context, limits);
}

ProbeResult RunProbe(const Probe& probe, const Filesystem& fs, Context& context,
                     const ScanLimits& limits) {
  static const OsInfo kOs;
  ProbeResult result;
  probe.Run(Target{fs, kOs, limits, context}, result.out);
  ExpectDeclaredPayloads(probe, result.out.facts());
  return result;
}

}  // namespace imageprobe::testing
