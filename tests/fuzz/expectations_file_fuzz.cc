// SPDX-License-Identifier: Apache-2.0
// The `scan --expect FILE` document (scanner/gate/expectations_file.cc): JSON through the shared
// reader, then a strict schema. The result is Expectations or one error line in our words.
#include <cstddef>
#include <cstdint>

#include "probes/all_probes.h"
#include "scanner/gate/expectations.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe;
  std::string_view text = fuzz::AsText(data, size);
  auto parsed = gate::ParseExpectations(text);
  if (!parsed) {
    // The message may quote the input, which can hold the same words.
    fuzz::Require(parsed.error().find("json.exception") == std::string::npos ||
                      text.find("json.exception") != std::string_view::npos,
                  parsed.error());
    return 0;
  }
  parsed->Paths();
  // Evaluated against an empty report, as a scan of an empty image would.
  Report report;
  report.roots.emplace_back();
  gate::ApplyExpectations(*parsed, probes::AllRecordKinds(), report);
  return 0;
}
