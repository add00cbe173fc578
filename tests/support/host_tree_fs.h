// SPDX-License-Identifier: Apache-2.0
// Test-only: a Filesystem over a host directory, built on lstat/opendir/readlink/pread with
// O_NOFOLLOW, so that probe tests can run on real files with real modes and owners. The
// product backend for directories is images/ DirectoryFs (branch images-local); this exists
// so these tests do not depend on it.
#pragma once

#include <string>

#include "scanner/filesystem.h"

namespace imageprobe::testing {

class HostTreeFs final : public Filesystem {
 public:
  explicit HostTreeFs(std::string root) : root_(std::move(root)) {}

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return "host tree " + root_; }

 private:
  std::string Host(std::string_view path) const { return root_ + std::string(path); }
  std::string root_;
};

}  // namespace imageprobe::testing
