// SPDX-License-Identifier: Apache-2.0
// The CloudWatch agent's common-config.toml: where the agent takes its credentials from, its
// proxy (with any password in the URL redacted) and its CA bundle. Text in, data out (no I/O).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/parse/ini.h"

namespace imageprobe::probes {

// common-config.toml, read with the INI reader (the file is flat TOML: [section] key = "v").
struct CloudWatchCommonConfig {
  std::string shared_credential_profile;
  std::string shared_credential_file;
  std::string http_proxy;  // user:password in a proxy URL is redacted here already
  std::string https_proxy;
  std::string no_proxy;
  std::string ca_bundle_path;
  bool proxy_has_credentials = false;
  std::vector<parse::IniProblem> problems;
};
void to_json(nlohmann::json& j, const CloudWatchCommonConfig& c);
CloudWatchCommonConfig ParseCloudWatchCommonConfig(std::string_view text);

// "http://user:secret@proxy:3128" -> "http://user:****@proxy:3128"; *had_password says so.
std::string RedactUrlPassword(std::string_view url, bool* had_password);

}  // namespace imageprobe::probes
