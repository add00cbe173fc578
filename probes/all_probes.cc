// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>

#include "probes/sshd/sshd_config_probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes() {
  // Each probe is a stateless constant; add a line here (and its .cc to CMakeLists.txt).
  // Order: os, users, sshd.config, ssh keys, agents… (see all_probes.h).
  static const SshdConfigProbe sshd_config;
  static const std::array<const Probe*, 1> kProbes = {&sshd_config};
  return kProbes;
}

}  // namespace imageprobe::probes
