// SPDX-License-Identifier: Apache-2.0
// Runs one probe on a Filesystem the way the runner does (a fresh Context and OsInfo, default
// limits unless given) and offers lookups over what it produced, for probe tests.
//
//   auto run = testing::RunProbe(SsmAgentProbe(), fs);
//   const Fact* agent = run.FindFact(probes::kSsmAgentRecord.name, "agent");
//   EXPECT_EQ(run.Findings("ssm.registration.present").size(), 1u);
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "scanner/core/probe.h"

namespace imageprobe::testing {

struct ProbeResult {
  mutable Output out;  // Output has no const accessors

  // Every finding of `rule_id`, in the order raised.
  std::vector<const Finding*> Findings(std::string_view rule_id) const;
  // The first finding of `rule_id`; nullptr when there is none.
  const Finding* FirstFinding(std::string_view rule_id) const;
  // Every fact of `kind`, in the order added.
  std::vector<const Fact*> Facts(std::string_view kind) const;
  // The fact of `kind` with natural key `key`; nullptr when there is none.
  const Fact* FindFact(std::string_view kind, std::string_view key) const;
  std::vector<Diagnostic>& errors() const { return out.errors(); }
};

// Both check every fact recorded against its kind's declared members (ExpectDeclaredPayloads).
ProbeResult RunProbe(const Probe& probe, const Filesystem& fs, const ScanLimits& limits = {});
// `context` may be shared to run several probes over one root, as the runner does.
ProbeResult RunProbe(const Probe& probe, const Filesystem& fs, Context& context,
                     const ScanLimits& limits = {});

// A test failure for each fact of `facts` whose kind `probe` does not declare, or whose payload
// departs from its kind's members (scanner/core/record_members.h).
void ExpectDeclaredPayloads(const Probe& probe, std::span<const Fact> facts);

}  // namespace imageprobe::testing
