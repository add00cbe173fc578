// SPDX-License-Identifier: Apache-2.0
#include "probes/access/access_settings.h"

#include "scanner/parse/text.h"

namespace imageprobe::probes::access {

const SshdSetting* AccessSettings::Find(std::string_view keyword) const {
  auto it = settings_.find(keyword);
  return it == settings_.end() || it->second.values.empty() ? nullptr : &it->second;
}

std::string AccessSettings::Value(std::string_view keyword) const {
  const SshdSetting* setting = Find(keyword);
  return setting ? parse::ToLower(setting->First()) : std::string();
}

std::string AccessSettings::Source(std::string_view keyword) const {
  const SshdSetting* setting = Find(keyword);
  return setting ? setting->values.front().origin.Describe() : std::string();
}

std::string AccessSettings::Cite(std::string_view keyword) const {
  const SshdSetting* setting = Find(keyword);
  if (setting == nullptr) return std::string(keyword) + " unset";
  std::string text = std::string(keyword) + " " + setting->Joined();
  std::string source = Source(keyword);
  return source == "default" ? text + " (default)" : text;
}

std::vector<SettingLine> AccessSettings::Lines(std::string_view keyword) const {
  std::vector<SettingLine> out;
  const SshdSetting* setting = Find(keyword);
  if (setting == nullptr) return out;
  for (const SshdValue& value : setting->values) {
    for (const std::string& arg : value.args) out.push_back({arg, value.origin.Describe()});
  }
  return out;
}

}  // namespace imageprobe::probes::access
