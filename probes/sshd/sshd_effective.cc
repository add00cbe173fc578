// SPDX-License-Identifier: Apache-2.0
// References: sshd_config(5) (OpenSSH 9.x) Match; openssh-portable servconf.c
// (fill_default_server_options, parse_server_match_config, copy_set_server_options,
// match_cfg_line), servconf.h (COPY_MATCH_STRING_OPTS), groupaccess.c.
#include "probes/sshd/sshd_effective.h"

#include <algorithm>

#include "probes/common/text.h"
#include "probes/sshd/sshd_patterns.h"
#include "probes/sshd/sshd_tokenize.h"

namespace imageprobe::probes {

std::string_view SshdSetting::First() const {
  for (const SshdValue& value : values) {
    if (!value.args.empty()) return value.args.front();
  }
  return {};
}

std::vector<std::string> SshdSetting::AllArgs() const {
  std::vector<std::string> out;
  for (const SshdValue& value : values) out.insert(out.end(), value.args.begin(), value.args.end());
  return out;
}

std::string SshdSetting::Joined() const {
  std::string out;
  for (const std::string& arg : AllArgs()) {
    if (!out.empty()) out += ' ';
    out += arg;
  }
  return out;
}

namespace {

// Applies one directive with sshd's combination rule: first line wins, or every line adds.
void Apply(SshdSettings& settings, const SshdDirective& directive) {
  std::string name(directive.keyword->name);
  auto it = settings.find(name);
  if (it == settings.end()) {
    settings.emplace(name,
                     SshdSetting{directive.keyword, {{directive.args, directive.origin}}});
    return;
  }
  if (directive.keyword->combine == SshdCombine::kAccumulate) {
    it->second.values.push_back({directive.args, directive.origin});
  }
}

void FillDefaults(SshdSettings& settings) {
  for (const SshdKeyword& keyword : AllSshdKeywords()) {
    if (keyword.default_value.empty() || settings.contains(keyword.name)) continue;
    SshdSetting setting{&keyword, {}};
    std::vector<std::string> args;
    SplitSshdArgs(keyword.default_value, args);
    if (keyword.combine == SshdCombine::kAccumulate) {
      for (std::string& arg : args) setting.values.push_back({{std::move(arg)}, {}});
    } else {
      setting.values.push_back({std::move(args), {}});
    }
    settings.emplace(std::string(keyword.name), std::move(setting));
  }
}

}  // namespace

SshdSettings EvaluateSshdGlobal(const SshdParsedConfig& config) {
  SshdSettings settings;
  for (const SshdDirective& directive : config.directives) {
    bool active = std::all_of(directive.conditions.begin(), directive.conditions.end(),
                              [&](uint32_t block) { return config.match_blocks[block].all; });
    if (active) Apply(settings, directive);
  }
  FillDefaults(settings);
  return settings;
}

SshdMatchResult MatchSshdBlock(const SshdMatchBlock& block, std::string_view user,
                               const std::vector<std::string>& groups) {
  if (block.all) return SshdMatchResult::kYes;
  SshdMatchResult result = SshdMatchResult::kYes;
  for (const SshdMatchBlock::Criterion& criterion : block.criteria) {
    if (criterion.attribute == "user") {
      if (MatchSshPatternList(user, criterion.patterns) != 1) return SshdMatchResult::kNo;
    } else if (criterion.attribute == "group") {
      if (!MatchSshGroupList(groups, criterion.patterns)) return SshdMatchResult::kNo;
    } else if (criterion.attribute == "invalid") {
      return SshdMatchResult::kNo;
    } else {
      result = SshdMatchResult::kConditional;
    }
  }
  return result;
}

SshdUserSettings EvaluateSshdForUser(const SshdParsedConfig& config, const SshdSettings& global,
                                     std::string_view user,
                                     const std::vector<std::string>& groups) {
  SshdUserSettings out;
  std::vector<SshdMatchResult> results;
  results.reserve(config.match_blocks.size());
  for (size_t i = 0; i < config.match_blocks.size(); ++i) {
    SshdMatchResult result = MatchSshdBlock(config.match_blocks[i], user, groups);
    results.push_back(result);
    if (result == SshdMatchResult::kYes) out.applied_blocks.push_back(static_cast<uint32_t>(i));
    if (result == SshdMatchResult::kConditional) {
      out.conditional_blocks.push_back(static_cast<uint32_t>(i));
    }
  }
  // sshd re-parses the files into fresh options with only matching blocks active (global lines
  // and `-o` options are not part of this pass), then copies whatever that pass set over the
  // global options: a matching block wins even over an earlier global line.
  SshdSettings matched;
  for (const SshdDirective& directive : config.directives) {
    if (directive.conditions.empty()) continue;
    bool active = std::all_of(directive.conditions.begin(), directive.conditions.end(),
                              [&](uint32_t block) {
                                return results[block] == SshdMatchResult::kYes;
                              });
    if (active) Apply(matched, directive);
  }
  out.settings = global;
  for (auto& [name, setting] : matched) out.settings[name] = std::move(setting);
  return out;
}

}  // namespace imageprobe::probes
