// SPDX-License-Identifier: Apache-2.0
// INI files: AWS shared credentials and config files, the SSM agent's credentials file, and the
// CloudWatch agent's flat TOML (common-config.toml) with proxy URLs.
#include <cstddef>
#include <cstdint>

#include "probes/aws/cloudwatch_agent_probe.h"
#include "probes/secrets/aws_credentials.h"
#include "scanner/parse/ini.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  imageprobe::parse::IniFile ini = imageprobe::parse::ParseIni(text);
  for (const imageprobe::parse::IniSection& section : ini.sections) {
    section.Find("aws_access_key_id");
    for (const imageprobe::parse::IniEntry& entry : section.entries) {
      imageprobe::parse::UnquoteIniValue(entry.value);
    }
  }
  nlohmann::json j;
  for (const AwsProfileCredentials& profile : ExtractAwsCredentials(ini)) to_json(j, profile);
  CloudWatchCommonConfig cloudwatch = ParseCloudWatchCommonConfig(text);
  to_json(j, cloudwatch);
  bool had_password = false;
  RedactUrlPassword(text, &had_password);
  return 0;
}
