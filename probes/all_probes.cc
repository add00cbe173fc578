// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>

#include "probes/aws/ec2_instance_connect_probe.h"
#include "probes/cloudinit/cloudinit_probe.h"
#include "probes/migration/lift_and_shift_probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes() {
  // Each probe is a stateless constant; add a line here (and its .cc to CMakeLists.txt).
  static const std::array<const Probe*, 3> kProbes = {
      // agents (after ssh keys)
      &CloudInitProbe(),
      &Ec2InstanceConnectProbe(),
      // lift-and-shift leftovers: last
      &LiftAndShiftProbe(),
  };
  return kProbes;
}

}  // namespace imageprobe::probes
