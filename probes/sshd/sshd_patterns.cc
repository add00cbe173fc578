// SPDX-License-Identifier: Apache-2.0
// References: openssh-portable match.c (match_pattern, match_pattern_list,
// match_filter_denylist, match_filter_allowlist), groupaccess.c (ga_match_pattern_list),
// kex.c (kex_assemble_names, kex_names_cat), ssh_config(5) PATTERNS.
#include "probes/sshd/sshd_patterns.h"

#include <algorithm>

#include "scanner/parse/text.h"

namespace imageprobe::probes {

bool MatchSshPattern(std::string_view text, std::string_view pattern) {
  // Greedy wildcard matching with a single backtrack point: linear in practice, no recursion.
  size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

int MatchSshPatternList(std::string_view text, std::string_view list) {
  int result = 0;
  for (std::string_view item : parse::SplitFields(list, ',')) {
    bool negated = !item.empty() && item[0] == '!';
    if (negated) item.remove_prefix(1);
    if (item.empty()) continue;
    if (MatchSshPattern(text, item)) {
      if (negated) return -1;
      result = 1;
    }
  }
  return result;
}

bool MatchSshGroupList(const std::vector<std::string>& groups, std::string_view list) {
  bool found = false;
  for (const std::string& group : groups) {
    int match = MatchSshPatternList(group, list);
    if (match == -1) return false;
    if (match == 1) found = true;
  }
  return found;
}

namespace {

bool HasWildcard(std::string_view name) {
  return name.find_first_of("*?") != std::string_view::npos;
}

void AppendUnique(std::vector<std::string>& names, std::string_view name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
}

}  // namespace

AlgorithmList AssembleAlgorithms(std::string_view spec, std::string_view default_list,
                                 std::string_view supported) {
  AlgorithmList out;
  std::vector<std::string_view> all = parse::SplitFields(supported, ',');
  std::vector<std::string_view> defaults = parse::SplitFields(default_list, ',');
  if (spec.empty()) {
    for (std::string_view name : defaults) AppendUnique(out.names, name);
    return out;
  }
  char mode = spec[0];
  if (mode == '+' || mode == '-' || mode == '^') spec.remove_prefix(1);
  std::vector<std::string_view> patterns = parse::SplitFields(spec, ',');
  for (std::string_view pattern : patterns) {
    if (pattern.empty() || HasWildcard(pattern)) continue;
    if (std::find(all.begin(), all.end(), pattern) == all.end()) {
      out.unknown.emplace_back(pattern);
    }
  }
  if (mode == '-') {
    for (std::string_view name : defaults) {
      bool removed = std::any_of(patterns.begin(), patterns.end(), [&](std::string_view p) {
        return !p.empty() && MatchSshPattern(name, p);
      });
      if (!removed) AppendUnique(out.names, name);
    }
    return out;
  }
  std::vector<std::string_view> list;
  if (mode == '+') list = defaults;
  list.insert(list.end(), patterns.begin(), patterns.end());
  if (mode == '^') list.insert(list.end(), defaults.begin(), defaults.end());
  // Each pattern in turn picks the supported names it matches, in the supported order.
  for (std::string_view pattern : list) {
    if (pattern.empty()) continue;
    for (std::string_view name : all) {
      if (MatchSshPattern(name, pattern)) AppendUnique(out.names, name);
    }
  }
  return out;
}

}  // namespace imageprobe::probes
