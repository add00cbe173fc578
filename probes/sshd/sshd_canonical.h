// SPDX-License-Identifier: Apache-2.0
// The effective value of a setting as `sshd -T` prints it (servconf.c dump_config), for the
// keywords whose printed form is computed from what was written rather than copied:
//   - time values in seconds (misc.c convtime: "2m" -> "120", "1h30m" -> "5400"):
//     LoginGraceTime, ClientAliveInterval, UnusedConnectionTimeout ("none" stays "none");
//   - algorithm lists after kex.c kex_assemble_names: "+a", "-a*", "^a" and wildcards applied
//     to the compiled-in default list (Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms,
//     PubkeyAcceptedAlgorithms, HostbasedAcceptedAlgorithms, CASignatureAlgorithms).
// Every other keyword's value is its arguments joined with " ", as configured. Pure.
//
// To canonicalise another keyword: add a branch to CanonicalSshdValue (sshd_canonical.cc),
// citing the dump_cfg_* call sshd uses for it, and drop its conversion from the sshd -T oracle's
// formatter (tests/probes/sshd/sshd_t_format.cc) so the oracle checks the product.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "probes/sshd/openssh_build.h"
#include "probes/sshd/sshd_effective.h"

namespace imageprobe::probes {

// misc.c convtime: a sequence of NUMBER[s|m|h|d|w] (case-insensitive, no unit = seconds) summed
// to seconds; nullopt where sshd refuses the value ("", "1x", "m", "-1", over INT_MAX).
std::optional<int64_t> SshdConvTime(std::string_view text);

// True for the seven keywords whose value is an algorithm list assembled by kex_assemble_names.
bool IsSshdAlgorithmList(std::string_view keyword);

// The value of `keyword` (any spelling) written as `configured` (the arguments joined with " ")
// the way the sshd of `build` prints it with -T: an algorithm keyword's "+", "-" and "^" apply
// to that version's compiled-in list and wildcards expand against what it supports
// (openssh_defaults.h; an unknown version is the newest table). A value sshd would refuse (an
// unparsable time) is returned unchanged.
std::string CanonicalSshdValue(std::string_view keyword, std::string_view configured,
                               const OpensshBuild& build);

// CanonicalSshdValue of one evaluated setting. A defaulted algorithm list is the default list
// itself, assembled (wildcards expanded against the supported algorithms).
std::string SshdEffectiveValue(const SshdSetting& setting, const OpensshBuild& build);

}  // namespace imageprobe::probes
