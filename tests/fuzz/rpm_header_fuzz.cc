// SPDX-License-Identifier: Apache-2.0
// An RPM header blob as stored in the rpmdb (index entries, data store).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/common/rpm_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  auto package = ParseRpmHeaderBlob({reinterpret_cast<const char*>(data), size});
  if (package) package->Evr();
  return 0;
}
