// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>

#include "probes/os/os_probe.h"
#include "probes/sshd/sshd_config_probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes() {
  // Each probe is a stateless constant; add a line here (and its .cc to CMakeLists.txt).
  // Order: os, users, sshd.config, ssh keys, agents, secrets, lift-and-shift (see all_probes.h).
  static const os::OsProbe kOs;
  static const SshdConfigProbe kSshdConfig;
  static const std::array<const Probe*, 2> kProbes = {&kOs, &kSshdConfig};
  return kProbes;
}

}  // namespace imageprobe::probes
