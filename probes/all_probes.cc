// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>

#include "probes/ssh/authorized_keys_probe.h"
#include "probes/ssh/keys_probe.h"
#include "probes/users/users_probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes() {
  // Each probe is a stateless constant; add a line here (and its .cc to CMakeLists.txt).
  // os → users → sshd_config → ssh keys → agents …
  static const std::array<const Probe*, 3> kProbes = {
      &users::UsersProbe(),
      &ssh::AuthorizedKeysProbe(),
      &ssh::KeysProbe(),
  };
  return kProbes;
}

}  // namespace imageprobe::probes
