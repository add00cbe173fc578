// SPDX-License-Identifier: Apache-2.0
// Leftovers of a VMware (or other on-premises) machine that was lifted into an image for EC2:
// VMware Tools, MAC-bound interface names, static addressing, /etc/fstab entries that fail on
// Nitro, and kernels without ENA or NVMe drivers. The end-of-life OS is the os probe's.
#pragma once

#include "scanner/core/probe.h"

namespace imageprobe::probes {

class LiftAndShiftProbe final : public Probe {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override;
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
