// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>
#include <span>
#include <tuple>

#include "probes/aws/cloudwatch_agent_probe.h"
#include "probes/aws/ec2_instance_connect_probe.h"
#include "probes/aws/imagebuilder_cleanup_probe.h"
#include "probes/aws/ssm_agent_probe.h"
#include "probes/cloudinit/cloudinit_probe.h"
#include "probes/expect/path_presence_probe.h"
#include "probes/files/config_files_probe.h"
#include "probes/migration/lift_and_shift_probe.h"
#include "probes/os/os_probe.h"
#include "probes/secrets/secrets_probe.h"
#include "probes/ssh/authorized_keys_probe.h"
#include "probes/ssh/keys_probe.h"
#include "probes/ssh/trusted_user_ca_probe.h"
#include "probes/sshd/sshd_config_probe.h"
#include "probes/users/users_probe.h"

namespace imageprobe::probes {

namespace {

// One instance of each probe type, built on first use, in the order given.
template <typename... Probes>
std::span<const Probe* const> Registry() {
  static const std::tuple<Probes...> kInstances;
  static const std::array<const Probe*, sizeof...(Probes)> kProbes = std::apply(
      [](const Probes&... probe) { return std::array<const Probe*, sizeof...(Probes)>{&probe...}; },
      kInstances);
  return kProbes;
}

}  // namespace

std::span<const Probe* const> AllProbes() {
  // The only list of probes; its order is the run order. Each probe is a stateless class:
  // adding one is its include above and its line here (docs/contributing.md).
  // clang-format off
  return Registry<
      os::OsProbe,
      users::UsersProbe,
      SshdConfigProbe,
      ssh::AuthorizedKeysProbe,
      ssh::KeysProbe,
      ssh::TrustedUserCaProbe,
      // agents
      SsmAgentProbe,
      CloudInitProbe,
      Ec2InstanceConnectProbe,
      CloudWatchAgentProbe,
      ImageBuilderCleanupProbe,
      // secrets, then lift-and-shift leftovers last
      SecretsProbe,
      LiftAndShiftProbe,
      // last: inventories the config files every probe above read
      ConfigFilesProbe>();
  // clang-format on
}

const RecordCatalog& AllRecordKinds() {
  static const RecordCatalog kCatalog = [] {
    static const PathPresenceProbe kPaths({});
    std::vector<const Probe*> probes(AllProbes().begin(), AllProbes().end());
    probes.push_back(&kPaths);
    return RecordCatalog(probes);
  }();
  return kCatalog;
}

}  // namespace imageprobe::probes
