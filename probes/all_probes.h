// SPDX-License-Identifier: Apache-2.0
// The one registry of probes. Its order is the run order:
// os → users → sshd_config → ssh keys → agents → secrets → lift-and-shift leftovers.
#pragma once

#include <span>

#include "scanner/core/probe.h"
#include "scanner/core/record_catalog.h"

namespace imageprobe::probes {

std::span<const Probe* const> AllProbes();

// The record kinds of every probe above, and of the path probe `scan --expect` adds: what the
// diff, the gate and the login table read facts through.
const RecordCatalog& AllRecordKinds();

}  // namespace imageprobe::probes
