// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>

#include "probes/os/os_probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes() {
  // Each probe is a stateless constant; add a line here (and its .cc to CMakeLists.txt).
  static const os::OsProbe kOs;
  static const std::array<const Probe*, 1> kProbes = {&kOs};
  return kProbes;
}

}  // namespace imageprobe::probes
