// SPDX-License-Identifier: Apache-2.0
// Every probe of the registry, run by the runner as a scan does (budgeted Filesystem, shared
// Context, run order), over a whole root tree built from the input (fuzz_files.h: marker lines
// give each file its guest path). This is what a hostile image reaches: the collection and
// evaluation layers around the parsers.
#include <cstddef>
#include <cstdint>

#include "probes/all_probes.h"
#include "scanner/core/runner.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe;
  testing::MemoryFs fs;
  fuzz::AddFuzzFiles(fs, fuzz::SplitFuzzFiles(fuzz::AsText(data, size), ""));
  ScanLimits limits;
  limits.max_file_bytes = 1 << 20;
  RootReport report = RunProbes(fs, RootInfo{}, probes::AllProbes(), limits);
  // The runner turns an exception into a failed probe so that a scan goes on; no probe throws
  // on purpose, so here one is a bug in the parser or probe that threw.
  for (const ProbeRun& run : report.probes) {
    fuzz::Require(run.status != ProbeStatus::kFailed, run.name + ": " + run.reason);
  }
  return 0;
}
