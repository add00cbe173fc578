// SPDX-License-Identifier: Apache-2.0
// References: sshd_config(5) (OpenSSH 9.x); formats.md §6a (origins, Match semantics);
// servconf.c dump_config (the printed form of `value`, see sshd_canonical.h).
#include "probes/sshd/sshd_facts.h"

#include <algorithm>

#include "probes/sshd/sshd_canonical.h"
#include "probes/sshd/sshd_records.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

void to_json(nlohmann::json& json, const SshdSettingFact& fact) {
  // Member by member rather than from an initializer list, which builds every pair as a
  // temporary array first: this runs for each of the ~200 settings of every root.
  json = nlohmann::json::object();
  json["keyword"] = fact.keyword;
  json["value"] = fact.value;
  json["origins"] = fact.origins;
  json["is_default"] = fact.is_default;
  if (!fact.configured.empty()) json["configured"] = fact.configured;
  if (!fact.user.empty()) {
    json["user"] = fact.user;
    json["match_blocks"] = fact.match_blocks;
  }
}

SshdOpensshFact OpensshFactOf(const OpensshBuild& build) {
  return {build.version, build.package_version, build.source, std::string(FamilyName(build.family)),
          build.defaults};
}

void to_json(nlohmann::json& json, const SshdOpensshFact& fact) {
  json = {{"version", fact.version},
          {"package_version", fact.package_version},
          {"source", fact.source},
          {"family", fact.family},
          {"defaults", fact.defaults}};
}

void to_json(nlohmann::json& json, const SshdConditionalMatchFact& fact) {
  json = {{"file", fact.file},
          {"line", fact.line},
          {"criteria", fact.criteria},
          {"settings", fact.settings}};
}

void to_json(nlohmann::json& json, const SshdConfigFileFact& fact) {
  json = {{"path", fact.path},
          {"mode", parse::OctalMode(fact.mode)},
          {"uid", fact.uid},
          {"gid", fact.gid},
          {"size", fact.size}};
}

void to_json(nlohmann::json& json, const SshdServiceFact& fact) {
  json = {{"exec_start", fact.exec_start},
          {"file", fact.file},
          {"options", fact.options},
          {"config_file", fact.config_file},
          {"unit_files", fact.unit_files}};
}

namespace {

SshdSettingFact SettingFact(const SshdSetting& setting, const OpensshBuild& build) {
  SshdSettingFact fact;
  fact.keyword = std::string(setting.keyword->name);
  fact.value = SshdEffectiveValue(setting, build);
  if (std::string written = setting.Joined(); written != fact.value && !setting.is_default()) {
    fact.configured = std::move(written);
  }
  fact.is_default = setting.is_default();
  for (const SshdValue& value : setting.values) {
    std::string origin = value.origin.Describe();
    if (std::find(fact.origins.begin(), fact.origins.end(), origin) == fact.origins.end()) {
      fact.origins.push_back(std::move(origin));
    }
  }
  return fact;
}

bool SameValue(const SshdSetting& a, const SshdSetting& b) {
  if (a.values.size() != b.values.size()) return false;
  for (size_t i = 0; i < a.values.size(); ++i) {
    if (a.values[i].args != b.values[i].args) return false;
    if (a.values[i].origin.Describe() != b.values[i].origin.Describe()) return false;
  }
  return true;
}

std::string BlockLabel(const SshdMatchBlock& block) {
  return block.origin.Describe() + " Match " + block.text;
}

}  // namespace

void CollectSshdFacts(const SshdConfig& config, const std::vector<SshdUserOverride>& overrides,
                      const Filesystem& fs, Output& out) {
  out.AddFact(kSshdOpensshRecord, "sshd", OpensshFactOf(config.build));
  for (const auto& [name, setting] : config.global) {
    out.AddFact(kSshdSettingRecord, name, SettingFact(setting, config.build));
  }
  for (const auto& [user, mine] : overrides) {
    std::vector<std::string> blocks;
    for (uint32_t index : mine.applied_blocks) {
      blocks.push_back(BlockLabel(config.parsed.match_blocks[index]));
    }
    for (const auto& [name, setting] : mine.settings) {
      auto global = config.global.find(name);
      if (global != config.global.end() && SameValue(global->second, setting)) continue;
      SshdSettingFact fact = SettingFact(setting, config.build);
      fact.user = user->passwd.name;
      fact.match_blocks = blocks;
      out.AddFact(kSshdUserSettingRecord, user->passwd.name + "|" + name, std::move(fact));
    }
  }
  for (size_t i = 0; i < config.parsed.match_blocks.size(); ++i) {
    const SshdMatchBlock& block = config.parsed.match_blocks[i];
    bool conditional = std::any_of(block.criteria.begin(), block.criteria.end(),
                                   [](const SshdMatchBlock::Criterion& c) {
                                     return c.attribute != "user" && c.attribute != "group";
                                   });
    if (!conditional) continue;
    SshdConditionalMatchFact fact{block.origin.file, block.origin.line, block.text, {}};
    for (const SshdDirective& directive : config.parsed.directives) {
      if (directive.conditions.empty() || directive.conditions.back() != i) continue;
      std::string line(directive.keyword->name);
      for (const std::string& arg : directive.args) line += " " + arg;
      fact.settings.push_back(std::move(line));
    }
    out.AddFact(kSshdConditionalMatchRecord, block.origin.file + "|" + block.text, std::move(fact));
  }
  for (const std::string& path : config.files_read()) {
    FsResult<FileStat> stat = fs.Stat(path);
    if (!stat) continue;
    out.AddFact(kSshdConfigFileRecord, path,
                SshdConfigFileFact{path, stat->mode, stat->uid, stat->gid, stat->size});
  }
  if (!config.service.exec_start.empty()) {
    SshdServiceFact fact{config.service.exec_start,
                         config.service.exec_start_file,
                         {},
                         config.service.config_file,
                         config.unit_files};
    for (const SshdCommandLineOption& option : config.service.options) {
      fact.options.push_back(option.text);
    }
    out.AddFact(kSshdServiceRecord, "command", std::move(fact));
  }
}

}  // namespace imageprobe::probes
