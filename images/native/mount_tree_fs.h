// SPDX-License-Identifier: Apache-2.0
// A root filesystem with others mounted below it, as the guest's fstab would assemble them:
// each path is answered by the filesystem mounted deepest above it, and a mount point reads as
// the root of what is mounted there (as lstat of a mount point does on Linux).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/filesystem.h"

namespace imageprobe::images::native {

class MountTreeFs final : public Filesystem {
 public:
  MountTreeFs(std::unique_ptr<Filesystem> root, std::string description);

  // Why `mountpoint` cannot take a filesystem (a component that is missing, a symlink or not a
  // directory, as seen through what is mounted so far), or nullopt. mount(2) would follow a
  // symlink; a scanner must not, so such an entry is reported and left unmounted.
  std::optional<std::string> MountPointProblem(const std::string& mountpoint) const;
  // `mountpoint` is normalised and not "/"; callers mount parents before children.
  void Mount(const std::string& mountpoint, std::unique_ptr<Filesystem> fs);

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return description_; }

 private:
  struct Mounted {
    std::string point;  // "/" or "/home"
    std::unique_ptr<Filesystem> fs;
  };
  // The mount answering `path`, and the path inside it.
  std::pair<const Mounted*, std::string> Owner(std::string_view path) const;

  std::vector<Mounted> mounts_;  // in mount order; later (deeper or same) mounts win
  std::string description_;
};

}  // namespace imageprobe::images::native
