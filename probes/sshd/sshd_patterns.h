// SPDX-License-Identifier: Apache-2.0
// OpenSSH pattern matching (match.c) and algorithm-list assembly (kex.c kex_assemble_names),
// pure and iterative so that hostile patterns cannot blow the stack or run for ever.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

// match_pattern: "*" matches any run, "?" one character; case-sensitive.
bool MatchSshPattern(std::string_view text, std::string_view pattern);

// match_pattern_list: a comma-separated list of patterns, "!" negates. 1 for a positive match,
// -1 when a negated pattern matches (which wins), 0 when nothing matches.
int MatchSshPatternList(std::string_view text, std::string_view list);

// Match Group semantics (groupaccess.c ga_match_pattern_list): true when some group matches
// positively and no group matches a negated pattern.
bool MatchSshGroupList(const std::vector<std::string>& groups, std::string_view list);

struct AlgorithmList {
  std::vector<std::string> names;    // the effective list, in sshd's order
  std::vector<std::string> unknown;  // names in the setting this build does not support
};

// The effective algorithm list for `spec` ("+a,b", "-a*", "^a", or an explicit list): the
// default list with names appended, removed or prepended, wildcards expanded against
// `supported`, duplicates dropped.
AlgorithmList AssembleAlgorithms(std::string_view spec, std::string_view default_list,
                                 std::string_view supported);

}  // namespace imageprobe::probes
