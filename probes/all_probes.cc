// SPDX-License-Identifier: Apache-2.0
#include "probes/all_probes.h"

#include <array>

#include "probes/aws/cloudwatch_agent.h"
#include "probes/aws/imagebuilder_cleanup.h"
#include "probes/aws/ssm_agent.h"
#include "probes/secrets/secrets_probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes() {
  // Each probe is a stateless constant; add a line here (and its .cc to CMakeLists.txt).
  // Agents come after the ssh keys probes; secrets after the agents.
  static const SsmAgentProbe kSsmAgent;
  static const CloudWatchAgentProbe kCloudWatchAgent;
  static const ImageBuilderCleanupProbe kImageBuilderCleanup;
  static const SecretsProbe kSecrets;
  static const std::array<const Probe*, 4> kProbes = {&kSsmAgent, &kCloudWatchAgent,
                                                      &kImageBuilderCleanup, &kSecrets};
  return kProbes;
}

}  // namespace imageprobe::probes
