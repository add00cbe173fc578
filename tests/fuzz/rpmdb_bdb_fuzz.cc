// SPDX-License-Identifier: Apache-2.0
// A Berkeley DB hash "Packages" file: pages, overflow chains, then each header blob found.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/common/rpm_packages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  ParseRpmDatabase("/var/lib/rpm/Packages", "bdb", {reinterpret_cast<const char*>(data), size});
  return 0;
}
