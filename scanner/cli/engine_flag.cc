// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/engine_flag.h"

namespace imageprobe::cli {

void AddEngineOption(CLI::App& command, std::string& engine) {
  command
      .add_option("--engine", engine,
                  "How disk images are read. native: in this process (raw by pread; qcow2, "
                  "VMDK, VHD, VHDX and VDI through a qemu-nbd child), no VM; it reads "
                  "partitioned and bare ext2/3/4 and fails with the reason on anything else. "
                  "guestfs: a libguestfs appliance (a small VM; XFS, btrfs, LVM, LUKS...). "
                  "auto: native where it reads the image completely, else guestfs, with the "
                  "native engine's reason in the report's backend.")
      ->check(CLI::IsMember({"auto", "native", "guestfs"}))
      ->capture_default_str();
}

images::Engine ParseEngine(const std::string& engine) {
  if (engine == "native") return images::Engine::kNative;
  if (engine == "guestfs") return images::Engine::kGuestfs;
  return images::Engine::kAuto;
}

}  // namespace imageprobe::cli
