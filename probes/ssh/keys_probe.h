// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "scanner/probe.h"

namespace imageprobe::probes::ssh {

// "ssh.keys": host keys in /etc/ssh, private keys in homes, known_hosts counts.
const Probe& KeysProbe();

}  // namespace imageprobe::probes::ssh
