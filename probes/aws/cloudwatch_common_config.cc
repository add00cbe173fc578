// SPDX-License-Identifier: Apache-2.0
// References (github.com/aws/amazon-cloudwatch-agent @ab55b8d; details in formats.md §5):
//   cfg/commonconfig/commonconfig.go and the shipped common-config.toml template
//     ([credentials] shared_credential_profile / shared_credential_file, [proxy], [ssl]).
#include "probes/aws/cloudwatch_common_config.h"

#include "scanner/core/model.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

std::string RedactUrlPassword(std::string_view url, bool* had_password) {
  *had_password = false;
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t at = url.find('@', start);
  size_t slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  size_t colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  *had_password = true;
  return std::string(url.substr(0, colon + 1)) +
         RedactSecret(url.substr(colon + 1, at - colon - 1)) + std::string(url.substr(at));
}

void to_json(nlohmann::json& j, const CloudWatchCommonConfig& c) {
  j = {{"shared_credential_profile", c.shared_credential_profile},
       {"shared_credential_file", c.shared_credential_file},
       {"http_proxy", c.http_proxy},
       {"https_proxy", c.https_proxy},
       {"no_proxy", c.no_proxy},
       {"ca_bundle_path", c.ca_bundle_path},
       {"proxy_has_credentials", c.proxy_has_credentials}};
}

CloudWatchCommonConfig ParseCloudWatchCommonConfig(std::string_view text) {
  CloudWatchCommonConfig c;
  parse::IniFile ini = parse::ParseIni(text);
  c.problems = ini.problems;
  auto value = [&](const parse::IniSection& section, std::string_view key, uint32_t* line) {
    const parse::IniEntry* entry = section.Find(key);
    if (!entry) return std::string();
    *line = entry->line;
    auto unquoted = parse::UnquoteIniValue(entry->value);
    if (!unquoted) {
      c.problems.push_back({entry->line, "unterminated quoted value for " + std::string(key)});
      return std::string();
    }
    return *unquoted;
  };
  for (const auto& section : ini.sections) {
    uint32_t line = 0;
    std::string name = parse::ToLower(section.name);
    if (name == "credentials") {
      c.shared_credential_profile = value(section, "shared_credential_profile", &line);
      c.shared_credential_file = value(section, "shared_credential_file", &line);
    } else if (name == "proxy") {
      bool secret = false;
      c.http_proxy = RedactUrlPassword(value(section, "http_proxy", &line), &secret);
      c.proxy_has_credentials |= secret;
      c.https_proxy = RedactUrlPassword(value(section, "https_proxy", &line), &secret);
      c.proxy_has_credentials |= secret;
      c.no_proxy = value(section, "no_proxy", &line);
    } else if (name == "ssl") {
      c.ca_bundle_path = value(section, "ca_bundle_path", &line);
    }
  }
  return c;
}

}  // namespace imageprobe::probes
