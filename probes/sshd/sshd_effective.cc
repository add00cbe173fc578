// SPDX-License-Identifier: Apache-2.0
// References: sshd_config(5) (OpenSSH 9.x) Match; openssh-portable servconf.c
// (fill_default_server_options, parse_server_match_config, copy_set_server_options,
// match_cfg_line), servconf.h (COPY_MATCH_STRING_OPTS), groupaccess.c; the per-version
// defaults of openssh_defaults.h.
#include "probes/sshd/sshd_effective.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>

#include "probes/sshd/openssh_defaults.h"
#include "probes/sshd/sshd_patterns.h"
#include "probes/sshd/sshd_tokenize.h"
#include "scanner/parse/text.h"

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

SharedSshdSettings::SharedSshdSettings() {
  static const auto* const kEmpty = new std::shared_ptr<const SshdSettings>(
      std::make_shared<const SshdSettings>());  // never destroyed
  settings_ = *kEmpty;
}

SharedSshdSettings::SharedSshdSettings(SshdSettings settings)
    : settings_(std::make_shared<const SshdSettings>(std::move(settings))) {}

const SshdSetting& SharedSshdSettings::at(std::string_view keyword) const {
  auto it = settings_->find(keyword);
  if (it == settings_->end()) throw std::out_of_range("no sshd setting " + std::string(keyword));
  return it->second;
}

namespace {

// Applies one directive with sshd's combination rule: first line wins, or every line adds.
void Apply(SshdSettings& settings, const SshdDirective& directive) {
  std::string name(directive.keyword->name);
  auto it = settings.find(name);
  if (it == settings.end()) {
    settings.emplace(name, SshdSetting{directive.keyword, {{directive.args, directive.origin}}});
    return;
  }
  if (directive.keyword->combine == SshdCombine::kAccumulate) {
    it->second.values.push_back({directive.args, directive.origin});
  }
}

// The version's default where openssh_defaults.h has a row for it (none at all for a keyword
// that version lacks), else the 9.x keyword table's.
SshdSettings DefaultsFor(int table_version) {
  SshdSettings settings;
  for (const SshdKeyword& keyword : AllSshdKeywords()) {
    std::string_view value = keyword.default_value;
    if (const OpensshDefaultRow* row = FindOpensshDefaultAt(keyword.name, table_version)) {
      value = row->value;
    }
    if (value.empty()) continue;
    SshdSetting setting{&keyword, {}};
    std::vector<std::string> args;
    SplitSshdArgs(value, args);
    if (keyword.combine == SshdCombine::kAccumulate) {
      for (std::string& arg : args) setting.values.push_back({{std::move(arg)}, {}});
    } else {
      setting.values.push_back({std::move(args), {}});
    }
    settings.emplace(std::string(keyword.name), std::move(setting));
  }
  return settings;
}

// The defaults depend only on the table version, so they are built once per version (a few
// per process) instead of for every evaluation: building them was the bulk of an
// sshd_config evaluation (issue 13: the sshd_config fuzz target ran at ~150 inputs/s).
void FillDefaults(SshdSettings& settings, const OpensshBuild& build) {
  static std::mutex mutex;
  static auto* const cache = new std::map<int, SshdSettings>;  // never destroyed
  constexpr size_t kMaxCached = 16;  // versions read from hostile binaries: keep it bounded
  int version = OpensshTableVersion(build);
  std::unique_lock lock(mutex);
  auto it = cache->find(version);
  if (it == cache->end()) {
    SshdSettings defaults = DefaultsFor(version);
    if (cache->size() >= kMaxCached) {
      lock.unlock();
      for (auto& [name, setting] : defaults) settings.try_emplace(name, std::move(setting));
      return;
    }
    it = cache->emplace(version, std::move(defaults)).first;
  }
  for (const auto& [name, setting] : it->second) settings.try_emplace(name, setting);
}

}  // namespace

SshdSettings EvaluateSshdGlobal(const SshdParsedConfig& config, const OpensshBuild& build) {
  // Startup pass: lines outside Match blocks, and "Match All" blocks (which match even
  // without a connection).
  SshdSettings settings;
  auto only_match_all = [&](const SshdDirective& directive) {
    return std::all_of(directive.conditions.begin(), directive.conditions.end(),
                       [&](uint32_t block) { return config.match_blocks[block].all; });
  };
  for (const SshdDirective& directive : config.directives) {
    if (only_match_all(directive)) Apply(settings, directive);
  }
  // Every connection then re-applies the "Match All" blocks over the global values
  // (parse_server_match_config), so what they set wins over earlier global lines; this is
  // also what `sshd -T` prints.
  SshdSettings match_all;
  for (const SshdDirective& directive : config.directives) {
    if (!directive.conditions.empty() && only_match_all(directive)) Apply(match_all, directive);
  }
  for (auto& [name, setting] : match_all) settings[name] = std::move(setting);
  FillDefaults(settings, build);
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

SshdUserSettings EvaluateSshdForUser(const SshdParsedConfig& config,
                                     const SharedSshdSettings& global, std::string_view user,
                                     const std::vector<std::string>& groups,
                                     const std::vector<uint32_t>& assume_matching) {
  SshdUserSettings out;
  std::vector<SshdMatchResult> results;
  results.reserve(config.match_blocks.size());
  for (size_t i = 0; i < config.match_blocks.size(); ++i) {
    SshdMatchResult result = MatchSshdBlock(config.match_blocks[i], user, groups);
    if (result == SshdMatchResult::kConditional &&
        std::ranges::find(assume_matching, static_cast<uint32_t>(i)) != assume_matching.end()) {
      result = SshdMatchResult::kYes;
    }
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
    bool active =
        std::all_of(directive.conditions.begin(), directive.conditions.end(),
                    [&](uint32_t block) { return results[block] == SshdMatchResult::kYes; });
    if (active) Apply(matched, directive);
  }
  if (matched.empty()) {
    out.settings = global;  // shared: nothing of this user's differs
    return out;
  }
  SshdSettings mine = global.map();
  for (auto& [name, setting] : matched) mine[name] = std::move(setting);
  out.settings = std::move(mine);
  return out;
}

}  // namespace imageprobe::probes
