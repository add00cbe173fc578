// SPDX-License-Identifier: Apache-2.0
// The one registry of probes. Its order is the run order:
// os → users → sshd_config → ssh keys → agents → secrets → lift-and-shift leftovers.
#pragma once

#include <span>

#include "scanner/probe.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes();

}  // namespace imageprobe::probes
