// SPDX-License-Identifier: Apache-2.0
// The SSM agent's JSON files: registration, Vault manifest, instance info (RegistrationKey),
// InstanceFingerprint and amazon-ssm-agent.json. One input is tried as each of them.
#include <cstddef>
#include <cstdint>

#include "probes/aws/ssm_parsers.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  nlohmann::json j;
  if (auto r = ParseSsmRegistration(text)) to_json(j, *r);
  ParseSsmVaultManifest(text);
  if (auto info = ParseSsmInstanceInfo(text)) to_json(j, *info);
  if (auto f = ParseSsmFingerprint(text)) {
    f->MachineId();
    to_json(j, *f);
  }
  if (auto config = ParseSsmAgentConfig(text)) to_json(j, *config);
  return 0;
}
