// SPDX-License-Identifier: Apache-2.0
// IMAGEPROBE_TRACE=1: diagnostics for whoever tunes a scan, on stderr: every appliance call
// (images/guestfs/call_trace.h), which probe made it (scanner/core/runner.cc), and the process's
// own peak memory at exit (scanner/cli/main.cc). Off by default and never part of a report.
#pragma once

#include <cstdint>
#include <optional>

namespace imageprobe {

// Set and neither empty nor "0".
bool TraceEnabled();

// This process's peak resident set size (VmHWM in /proc/self/status), without its children
// (QEMU): /usr/bin/time -v reports the larger of the two.
std::optional<uint64_t> PeakResidentKiB();

}  // namespace imageprobe
