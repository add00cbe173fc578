// SPDX-License-Identifier: Apache-2.0
// The SSM agent probe's judgements: the rules it raises, and Evaluate (the state that
// CollectSsmState read -> findings), kept apart from the reading so each is tested on its own.
#pragma once

#include <span>

#include "probes/aws/ssm_agent_probe.h"

namespace imageprobe::probes {

// Every rule EvaluateSsmState can raise, in the order `imageprobe rules` lists them.
std::span<const RuleInfo> SsmAgentRules();

// Judges the collected state: one group of findings per part of the agent's state.
void EvaluateSsmState(const SsmState& state, Output& out);

}  // namespace imageprobe::probes
