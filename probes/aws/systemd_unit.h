// SPDX-License-Identifier: Apache-2.0
// Whether a systemd unit is enabled in an offline image: `systemctl enable` leaves a symlink
// /etc/systemd/system/<target>.wants/<unit>; `systemctl mask` points /etc/systemd/system/<unit>
// at /dev/null. References: systemctl(1) enable/mask, systemd.unit(5) ".wants/ directories".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/probe.h"

namespace imageprobe::probes {

struct UnitEnablement {
  std::vector<std::string> wanted_by;  // the .wants symlinks found, full paths
  bool masked = false;
  bool Enabled() const { return !wanted_by.empty() && !masked; }
};

UnitEnablement CheckUnitEnablement(const Target& target, std::string_view unit, Output& out);

}  // namespace imageprobe::probes
