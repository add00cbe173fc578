// SPDX-License-Identifier: Apache-2.0
// The sshd.config probe: the effective sshd configuration as facts, and what is wrong with it.
#pragma once

#include "probes/sshd/sshd_records.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

class SshdConfigProbe final : public Probe {
 public:
  std::string_view name() const override { return "sshd.config"; }
  std::string_view description() const override {
    return "Effective sshd configuration (Include, Match, systemd -o options, defaults)";
  }
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override { return kSshdRecords; }
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
