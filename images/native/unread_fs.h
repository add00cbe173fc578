// SPDX-License-Identifier: Apache-2.0
// A filesystem the native engine recognises but does not read (an EFI system partition's vfat),
// mounted where the guest's fstab puts it so that the tree has the same shape as the
// appliance's. Its root answers lstat with the mount point's own stat; every other access fails
// with the reason, so a probe that ever reads there reports an error instead of an empty
// directory.
#pragma once

#include <string>

#include "scanner/core/filesystem.h"

namespace imageprobe::images::native {

class UnreadFs final : public Filesystem {
 public:
  UnreadFs(FileStat root, std::string reason, std::string description)
      : root_(root), reason_(std::move(reason)), description_(std::move(description)) {}

  FsResult<FileStat> Lstat(std::string_view path) const override {
    if (path == "/") return root_;
    return FsFail(FsErrc::kIo, path, reason_);
  }
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override {
    return FsFail(FsErrc::kIo, dir, reason_);
  }
  FsResult<std::string> ReadLink(std::string_view path) const override {
    return FsFail(FsErrc::kIo, path, reason_);
  }
  FsResult<std::string> ReadAt(std::string_view path, uint64_t, uint64_t) const override {
    return FsFail(FsErrc::kIo, path, reason_);
  }
  std::string Describe() const override { return description_; }

 private:
  FileStat root_;
  std::string reason_;
  std::string description_;
};

}  // namespace imageprobe::images::native
