// SPDX-License-Identifier: Apache-2.0
// /etc/fstab, read twice in the scanner: by the lift-and-shift probe (Nitro device names,
// network mounts) and by the libguestfs backend's light inspection (which filesystems to
// mount where, and the appliance's name for each device).
#include <cstddef>
#include <cstdint>

#include "images/guestfs_fstab.h"
#include "probes/migration/fstab.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  nlohmann::json j;
  for (const auto& entry : imageprobe::probes::ParseFstab(text).entries) {
    imageprobe::probes::AssessFstabEntryForNitro(entry);
    to_json(j, entry);
  }
  using namespace imageprobe::images;
  Fstab fstab = ParseFstab(text);
  MountableEntries(fstab);
  for (const auto& entry : fstab.entries) {
    ClassifyFstabSpec(entry.spec);
    ApplianceDeviceName(entry.spec);
  }
  return 0;
}
