// SPDX-License-Identifier: Apache-2.0
// What an inspection decides about a root, whichever engine inspected it: the filesystem
// mounted at "/", what its /etc/fstab mounts below it, and the fstab entries that name nothing
// in the image. The libguestfs and native engines both plan roots here, so that the same fstab
// gives the same mounts, the same problems in the same words, and the same description.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/model.h"

namespace imageprobe::images {

struct PlannedMount {
  std::string mountpoint;  // guest path, never "/"
  std::string device;      // the engine's device name ("/dev/sda2", "/dev/vg0/home")
  std::string source;  // what the guest's fstab said, for messages ("UUID=… (/etc/fstab line 4)")
};

struct GuestRoot {
  std::string device;  // mounted at "/"
  std::string type;    // filesystem type: "ext4", "xfs"
  bool has_os = false;
  std::vector<PlannedMount> mounts;  // shortest mount point first
  // fstab entries that name no filesystem of this image: reported when the root is mounted.
  std::vector<Diagnostic> problems;
};

// Which device of the image an fstab spec ("UUID=…", "/dev/xvda1") names, or nullopt.
using SpecResolverFn = std::function<std::optional<std::string>(const std::string& spec)>;

// The root on `device` with the mounts its fstab (when it has one) asks for. Entries that
// MountableEntries skips are left out; an entry naming no device becomes a problem of the root.
GuestRoot PlanRoot(const std::string& device, const std::string& type,
                   const std::optional<std::string>& fstab, const SpecResolverFn& resolve);

// "ext4, mounted /, /boot" for RootInfo::description.
std::string DescribeRoot(const GuestRoot& root);

// A root's /etc/fstab is read only up to this size; a larger one is reported, not read.
inline constexpr int64_t kMaxFstabBytes = 1 << 20;
std::string FstabTooLargeMessage(const std::string& device, int64_t size);
std::string FstabUnreadableMessage(const std::string& device, const std::string& reason);

// A diagnostic about the image as a whole (source "image").
Diagnostic ImageDiagnostic(std::string path, std::string message);

}  // namespace imageprobe::images
