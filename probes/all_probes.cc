// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>

#include "probes/aws/cloudwatch_agent.h"
#include "probes/aws/ec2_instance_connect_probe.h"
#include "probes/aws/imagebuilder_cleanup.h"
#include "probes/aws/ssm_agent.h"
#include "probes/cloudinit/cloudinit_probe.h"
#include "probes/files/config_files_probe.h"
#include "probes/fs/path_presence_probe.h"
#include "probes/migration/lift_and_shift_probe.h"
#include "probes/os/os_probe.h"
#include "probes/secrets/secrets_probe.h"
#include "probes/ssh/authorized_keys_probe.h"
#include "probes/ssh/keys_probe.h"
#include "probes/ssh/trusted_user_ca_probe.h"
#include "probes/sshd/sshd_config_probe.h"
#include "probes/users/users_probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes() {
  // The only list of probes; its order is the run order. Each probe is a stateless constant:
  // add a line here and its sources to CMakeLists.txt.
  static const os::OsProbe kOs;
  static const SshdConfigProbe kSshdConfig;
  static const SsmAgentProbe kSsmAgent;
  static const CloudWatchAgentProbe kCloudWatchAgent;
  static const ImageBuilderCleanupProbe kImageBuilderCleanup;
  static const SecretsProbe kSecrets;
  static const ConfigFilesProbe kConfigFiles;
  static const std::array<const Probe*, 14> kProbes = {
      &kOs,
      &users::UsersProbe(),
      &kSshdConfig,
      &ssh::AuthorizedKeysProbe(),
      &ssh::KeysProbe(),
      &ssh::TrustedUserCaProbe(),
      // agents
      &kSsmAgent,
      &CloudInitProbe(),
      &Ec2InstanceConnectProbe(),
      &kCloudWatchAgent,
      &kImageBuilderCleanup,
      // secrets, then lift-and-shift leftovers last
      &kSecrets,
      &LiftAndShiftProbe(),
      // last: inventories the config files every probe above read
      &kConfigFiles,
  };
  return kProbes;
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
