// SPDX-License-Identifier: Apache-2.0
// Test-only: renders an imageprobe setting the way `sshd -T` prints it (servconf.c
// dump_config), so the oracle test can compare line for line. Every transformation here is a
// printing convention of sshd -T, not a semantic change; each is named in the .cc.
#pragma once

#include <string>
#include <vector>

#include "probes/sshd/sshd_effective.h"

namespace imageprobe::probes::testing {

// "permitrootlogin without-password", one string per line sshd -T would print (several for
// Port, HostKey, AllowUsers…). Empty when sshd -T does not print the keyword.
// `build` is the sshd the settings were evaluated for (its defaults and algorithms).
std::vector<std::string> SshdTLines(const SshdSetting& setting, const SshdSettings& all,
                                    const OpensshBuild& build);

}  // namespace imageprobe::probes::testing
