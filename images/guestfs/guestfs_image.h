// SPDX-License-Identifier: Apache-2.0
// The libguestfs backend: disk images of every format qemu reads (raw, VMDK, qcow2, VHD, VHDX,
// VDI), with partitions, LVM, ext4/XFS/btrfs. One appliance per Image; drives added read-only.
#pragma once

#include <memory>
#include <string>

#include "images/format.h"
#include "images/open.h"
#include "scanner/core/image.h"

namespace imageprobe::images {

// `disk_path` is what qemu opens (the input itself, or an OVA's extracted member); `info` is
// what the report says about the input. Throws ImageError.
std::unique_ptr<Image> OpenGuestfsImage(const std::string& disk_path, const Detection& detection,
                                        ImageInfo info, const OpenOptions& options);

}  // namespace imageprobe::images
