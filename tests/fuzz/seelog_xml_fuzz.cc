// SPDX-License-Identifier: Apache-2.0
// seelog.xml: the level attributes of the root <seelog> element, comments skipped.
#include <cstddef>
#include <cstdint>

#include "probes/aws/ssm_parsers.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  SeelogLevels levels = ParseSeelogLevels(imageprobe::fuzz::AsText(data, size));
  levels.VerboseLogging();
  nlohmann::json j;
  to_json(j, levels);
  return 0;
}
