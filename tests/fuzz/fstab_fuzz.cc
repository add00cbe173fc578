// SPDX-License-Identifier: Apache-2.0
// /etc/fstab, read once by the shared parser and used twice: by the lift-and-shift probe
// (Nitro device names, network mounts) and by the libguestfs backend's light inspection (which
// filesystems to mount where, and the appliance's name for each device).
#include <cstddef>
#include <cstdint>

#include "images/guestfs_fstab.h"
#include "probes/migration/fstab.h"
#include "scanner/parse/fstab.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  imageprobe::parse::ParsedFstab fstab = imageprobe::parse::ParseFstab(text);
  for (const auto& entry : fstab.entries) {
    imageprobe::probes::AssessFstabEntryForNitro(entry);
    imageprobe::probes::FstabEntryFact(entry);
    imageprobe::images::ClassifyFstabSpec(entry.spec);
    imageprobe::images::ApplianceDeviceName(entry.spec);
  }
  imageprobe::images::MountableEntries(fstab);
  return 0;
}
