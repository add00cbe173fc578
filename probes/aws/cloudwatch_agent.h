// SPDX-License-Identifier: Apache-2.0
// The CloudWatch agent probe ("aws.cloudwatch_agent"): which configuration files the image
// carries, and the shared credentials file that common-config.toml points the agent at.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/aws/cloudwatch_records.h"
#include "scanner/parse/ini.h"
#include "scanner/probe.h"

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

class CloudWatchAgentProbe final : public Probe {
 public:
  std::string_view name() const override { return "aws.cloudwatch_agent"; }
  std::string_view description() const override {
    return "Amazon CloudWatch agent: configuration files and the credentials file they name";
  }
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override { return kCloudwatchRecords; }
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
