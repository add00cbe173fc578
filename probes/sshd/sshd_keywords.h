// SPDX-License-Identifier: Apache-2.0
// The sshd_config keyword table of OpenSSH 9.x (servconf.c `keywords[]`): canonical spelling,
// how repeated lines combine, whether the keyword may appear inside a Match block, how many
// arguments it takes, and the compiled-in default (fill_default_server_options).
//
// To support a new keyword: add one row to kSshdKeywords in sshd_keywords.cc. Vendor keywords
// (Debian/RHEL GSSAPI key exchange, DebianBanner) are listed so that stock distribution files
// are not reported as unparsable.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace imageprobe::probes {

enum class SshdCombine : uint8_t {
  kFirstWins,   // the first line that sets it wins, with all its arguments (scalars and lists)
  kAccumulate,  // every line adds (HostKey, Port, ListenAddress, AcceptEnv, AllowUsers…)
  kDeprecated,  // accepted, logged as deprecated, no effect (Protocol, UsePrivilegeSeparation…)
  kUnsupported, // accepted, logged as unsupported, no effect
  kInclude,     // Include: handled by the evaluator
  kMatch,       // Match: handled by the evaluator
};

// How the value is checked; sshd refuses to start on a value it cannot parse.
enum class SshdValueType : uint8_t {
  kAny,        // paths, lists, command lines: not checked
  kFlag,       // yes / no
  kChoice,     // one of `choices` (case-insensitive)
  kInteger,    // decimal integer
  kTime,       // sshd time format: 90, 1m30s, 1h (convtime)
};

struct SshdKeyword {
  std::string_view name;            // canonical spelling, "PermitRootLogin"
  SshdCombine combine;
  bool allowed_in_match;            // SSHCFG_ALL rather than SSHCFG_GLOBAL
  uint8_t min_args;
  uint8_t max_args;                 // 0: unlimited
  SshdValueType type;
  std::string_view choices;         // kChoice: "yes|no|prohibit-password|…"
  std::string_view default_value;   // config syntax; empty: no default printed by sshd
};

// Case-insensitive lookup by keyword or alias ("ChallengeResponseAuthentication" gives the
// KbdInteractiveAuthentication row); nullptr for an unknown keyword.
const SshdKeyword* FindSshdKeyword(std::string_view word);

// Every canonical keyword (aliases excluded), in table order.
std::span<const SshdKeyword> AllSshdKeywords();

// All algorithms this OpenSSH build supports (`ssh -Q cipher|mac|kex|key-sig` on 9.x), used to
// expand wildcards and +/-/^ modifiers the way kex_assemble_names does.
std::string_view SupportedAlgorithms(std::string_view keyword);

}  // namespace imageprobe::probes
