// SPDX-License-Identifier: Apache-2.0
// The native engine's Image: the container read in-process (raw) or through a qemu-nbd child
// (qcow2, VMDK, VHD, VHDX, VDI), inspected by native_inspect.h, roots assembled from the
// guest's fstab by MountTreeFs. No VM, no mount, nothing written.
#pragma once

#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "images/format.h"
#include "images/native/block_device.h"
#include "images/open.h"
#include "scanner/core/image.h"

namespace imageprobe::images::native {

// A disk read in place inside a larger file: `range` of it, named `member` in messages.
struct DiskMember {
  ByteRange range;
  std::string member;
};

// The Image, or the one-line reason this engine does not read the input (the caller falls
// back to libguestfs, or fails with it under --engine native). `info` is what the report says
// about the input; its backend becomes "native". With `member`, the disk is those bytes of
// `disk_path` (an OVA's disk member), and `detection` is theirs.
std::expected<std::unique_ptr<Image>, std::string> OpenNativeImage(
    const std::string& disk_path, const Detection& detection, ImageInfo info,
    const OpenOptions& options, const std::optional<DiskMember>& member = std::nullopt);

}  // namespace imageprobe::images::native
