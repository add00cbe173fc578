// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "scanner/probe.h"

namespace imageprobe::probes::users {

// "users": accounts, password state (never the hash), groups, sudo rights, who can log in.
const Probe& UsersProbe();

}  // namespace imageprobe::probes::users
