// SPDX-License-Identifier: Apache-2.0
// /var/lib/dpkg/status stanzas, and the kernel module lists (modules.dep, modules.builtin)
// read next to it to tell which drivers an installed kernel has.
#include <cstddef>
#include <cstdint>

#include "probes/common/dpkg_status.h"
#include "probes/migration/kernel_drivers.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  for (const DpkgPackage& package : ParseDpkgStatus(text)) package.installed();
  InstalledDpkgVersion(text, "openssh-server");
  KernelDrivers drivers;
  NoteModuleList(text, "modules.dep", drivers);
  return 0;
}
