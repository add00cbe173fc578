// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/trace.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace imageprobe {

bool TraceEnabled() {
  const char* trace = std::getenv("IMAGEPROBE_TRACE");
  return trace != nullptr && *trace != '\0' && std::string_view(trace) != "0";
}

std::optional<uint64_t> PeakResidentKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  constexpr std::string_view kField = "VmHWM:";
  while (std::getline(status, line)) {
    if (!line.starts_with(kField)) continue;
    char* end = nullptr;
    unsigned long long kib = std::strtoull(line.c_str() + kField.size(), &end, 10);
    if (end == line.c_str() + kField.size()) return std::nullopt;
    return kib;
  }
  return std::nullopt;
}

}  // namespace imageprobe
