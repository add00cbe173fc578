// SPDX-License-Identifier: Apache-2.0
// cloud-init configuration: YAML through the bounded parser (alias bombs, depth, size), the
// cloud.cfg + cloud.cfg.d merge, and the SSH-relevant settings read from the result. The input
// is /etc/cloud/cloud.cfg and, after marker lines (fuzz_files.h), cloud.cfg.d files.
#include <cstddef>
#include <cstdint>

#include "probes/cloudinit/cloud_config.h"
#include "scanner/parse/bounded_yaml.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::vector<CloudConfigSource> sources;
  for (auto& file : imageprobe::fuzz::SplitFuzzFiles(imageprobe::fuzz::AsText(data, size),
                                                     "/etc/cloud/cloud.cfg")) {
    imageprobe::parse::YamlParse parse = imageprobe::parse::ParseBoundedYaml(file.content);
    imageprobe::fuzz::Require(parse.root.has_value() != parse.problem.has_value(),
                              "a YAML parse gives a tree or a problem");
    if (parse.root && parse.root->IsMap()) {
      sources.push_back({file.path, std::move(*parse.root)});
    } else if (parse.root) {
      imageprobe::parse::YamlBool(*parse.root);
    }
  }
  imageprobe::parse::YamlNode merged = MergeCloudConfigs(sources);
  SourceOfSetting(sources, "users");
  SourceOfSetting(sources, "ssh_pwauth");
  CloudInitSettings settings = ReadCloudInitSettings(merged);
  nlohmann::json j;
  for (const CloudInitUser& user : settings.users) to_json(j, user);
  return 0;
}
