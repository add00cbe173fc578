// SPDX-License-Identifier: Apache-2.0
// An opened evidence image: one or more roots, each mountable as a read-only Filesystem.
// Implemented in images/ (directory, archive, libguestfs); the runner only sees this interface.
//
// Lifetime: an Image is opened once (one libguestfs appliance, whatever the number of probes).
// Roots are mounted one at a time, because a libguestfs appliance has one mount namespace:
// Mount(i) invalidates the Filesystem returned by the previous Mount().
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/filesystem.h"
#include "scanner/core/model.h"

namespace imageprobe {

// Progress messages for long steps ("starting the libguestfs appliance (TCG)…").
using ProgressFn = std::function<void(std::string_view)>;

struct StageTiming {
  std::string stage;  // "detect", "launch", "inspect", "mount", "prefetch", "probes"
  double seconds = 0;
};

struct ImageInfo {
  std::string path;           // as given on the command line
  std::string format;         // detected from content: "qcow2", "vmdk-stream-optimized", …
  std::string format_detail;  // e.g. "GPT partition table", "OVA member disk1.vmdk"
  uint64_t size = 0;          // bytes of the input (a directory: 0)
  std::string backend;        // "directory", "archive", "guestfs (kvm)", "guestfs (tcg)"
};

struct RootInfo {
  std::string name;         // "/" for a directory, "/dev/sda1" for a guestfs root
  std::string description;  // "ext4, mounted /, /boot"
};

struct MountedRoot {
  std::unique_ptr<Filesystem> fs;
  std::vector<Diagnostic> diagnostics;  // e.g. an fstab entry that would not mount: partial
};

class Image {
 public:
  virtual ~Image() = default;
  virtual const ImageInfo& info() const = 0;
  virtual const std::vector<RootInfo>& roots() const = 0;
  // Problems met while opening that did not stop it (a filesystem that would not mount…).
  virtual const std::vector<Diagnostic>& diagnostics() const = 0;
  virtual const std::vector<StageTiming>& timings() const = 0;
  // Mounts root `index` read-only. `prefetch` lists guest paths/globs worth fetching in bulk.
  virtual std::expected<MountedRoot, std::string> Mount(size_t index,
                                                        std::span<const std::string> prefetch) = 0;
};

// A fatal problem with the input as a whole (unknown format, truncated, appliance failure).
// The CLI prints what() as one line and exits 2.
class ImageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace imageprobe
