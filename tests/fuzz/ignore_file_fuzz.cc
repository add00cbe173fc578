// SPDX-License-Identifier: Apache-2.0
// The `scan --ignore FILE` document (scanner/gate/suppressions.cc): YAML through the bounded
// reader, entries with rule, path glob, user, reason and expiry, applied to a small report.
#include <cstddef>
#include <cstdint>

#include "scanner/gate/suppressions.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe;
  std::string_view text = fuzz::AsText(data, size);
  auto parsed = gate::ParseIgnoreFile(text, "ignore.yaml");
  if (!parsed) {
    // Library wording must not reach the message; the message may quote the input, which can
    // hold the same words.
    for (std::string_view library : {"yaml-cpp", "json.exception", "what()"}) {
      fuzz::Require(parsed.error().find(library) == std::string::npos ||
                        text.find(library) != std::string_view::npos,
                    parsed.error());
    }
    return 0;
  }
  for (const gate::IgnoreEntry& entry : parsed->entries) entry.Describe();
  Report report;
  report.roots.emplace_back();
  Finding finding;
  finding.rule_id = "ssh.host_keys.present";
  finding.path = "/etc/ssh/ssh_host_ed25519_key";
  finding.identity = "ssh.host_keys.present|/etc/ssh/ssh_host_ed25519_key";
  report.roots[0].findings.push_back(finding);
  gate::ApplyIgnoreFile(*parsed, std::chrono::year_month_day{std::chrono::year{2026} / 12 / 2},
                        report);
  return 0;
}
