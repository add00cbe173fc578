// SPDX-License-Identifier: Apache-2.0
// Image format detection over a byte buffer standing for a whole input file: DetectFormat on
// its head and tail (as DetectPath reads them), then the structural checks that catch
// truncated containers, plus the VMDK descriptor, tar and OVF parsers detection relies on.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "images/byte_source.h"
#include "images/container_checks.h"
#include "images/format.h"
#include "images/ova.h"
#include "images/tar_peek.h"
#include "images/vmdk_descriptor.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::images;
  std::string_view bytes = imageprobe::fuzz::AsText(data, size);
  std::string_view head = bytes.substr(0, kHeadBytes);
  std::string_view tail = bytes.substr(bytes.size() - std::min(bytes.size(), kTailBytes));
  auto detection = DetectFormat(head, tail, bytes.size());
  if (detection) CheckStructure(*detection, MemorySource(bytes));
  ParseVmdkDescriptor(head);
  PeekTar(head);
  ParseOvfFileRefs(head);
  return 0;
}
