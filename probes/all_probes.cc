// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>

#include "probes/aws/cloudwatch_agent.h"
#include "probes/aws/imagebuilder_cleanup.h"
#include "probes/aws/ssm_agent.h"
#include "probes/os/os_probe.h"
#include "probes/secrets/secrets_probe.h"
#include "probes/sshd/sshd_config_probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes() {
  // Each probe is a stateless constant; add a line here (and its .cc to CMakeLists.txt).
  // Order: os, users, sshd.config, ssh keys, agents, secrets, lift-and-shift (see all_probes.h).
  static const os::OsProbe kOs;
  static const SshdConfigProbe kSshdConfig;
  static const SsmAgentProbe kSsmAgent;
  static const CloudWatchAgentProbe kCloudWatchAgent;
  static const ImageBuilderCleanupProbe kImageBuilderCleanup;
  static const SecretsProbe kSecrets;
  static const std::array<const Probe*, 6> kProbes = {
      &kOs, &kSshdConfig, &kSsmAgent, &kCloudWatchAgent, &kImageBuilderCleanup, &kSecrets};
  return kProbes;
}

}  // namespace imageprobe::probes
