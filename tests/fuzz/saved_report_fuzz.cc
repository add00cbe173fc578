// SPDX-License-Identifier: Apache-2.0
// The saved-report reader behind `imageprobe diff OLD.json NEW.json` and `scan --baseline`:
// the shared JSON reader, then the report model's from_json. Whatever the bytes, the result is a
// Report or an error in our words, never an exception and never library text.
#include <cstddef>
#include <cstdint>

#include "scanner/report/json_model.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe;
  std::string_view text = fuzz::AsText(data, size);
  auto report = report::ParseReportJson(text);
  if (!report) {
    // The message may quote the input, which can hold the same words.
    fuzz::Require(report.error().find("json.exception") == std::string::npos ||
                      text.find("json.exception") != std::string_view::npos,
                  report.error());
    return 0;
  }
  // What diff does next with a report it read: counts and a round trip through the writer.
  report->CountBySeverity();
  nlohmann::json j = *report;
  (void)report::ReportFromJson(j);
  return 0;
}
