// SPDX-License-Identifier: Apache-2.0
// Secret scanners over free text: shell histories (bash, zsh extended, fish, mysql) and the
// cloud-init leftovers (user-data, vendor-data, instance-data, pickles). Neither may return a
// secret in clear, which this target cannot check; it checks they never crash or overrun.
#include <cstddef>
#include <cstdint>

#include "probes/cloudinit/secret_hints.h"
#include "probes/secrets/shell_history.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  HistoryScan scan = ScanShellHistory(text, 50);
  imageprobe::fuzz::Require(scan.hits.size() <= 50, "hits are capped");
  nlohmann::json j;
  for (const SecretHint& hint : FindSecretHints(text)) to_json(j, hint);
  return 0;
}
