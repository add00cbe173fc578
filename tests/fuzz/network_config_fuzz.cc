// SPDX-License-Identifier: Apache-2.0
// Network configuration of lifted images: RHEL ifcfg files, Debian /etc/network/interfaces,
// netplan YAML and udev persistent-net rules. One input is read as each.
#include <cstddef>
#include <cstdint>

#include "probes/migration/network_config.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  nlohmann::json j;
  for (const ParsedNetworkConfig& parsed :
       {ParseIfcfg(text, "ifcfg-eth0"), ParseDebianInterfaces(text), ParseNetplan(text)}) {
    for (const InterfaceConfig& config : parsed.interfaces) to_json(j, config);
  }
  for (const UdevNetRule& rule : ParseUdevNetRules(text)) to_json(j, rule);
  return 0;
}
