// SPDX-License-Identifier: Apache-2.0
// ArchiveFs: the Filesystem contract over an ArchiveIndex. Nothing is extracted to disk; every
// answer comes from the index, and symlinks are plain index entries that only
// Filesystem::Resolve() follows, inside the archive's tree.
#pragma once

#include <memory>
#include <string>

#include "images/archive_index.h"
#include "scanner/core/filesystem.h"

namespace imageprobe::images {

class ArchiveFs final : public Filesystem {
 public:
  static constexpr uint32_t kDefaultMaxEntries = 100'000;

  ArchiveFs(std::shared_ptr<const ArchiveIndex> index, std::string description,
            uint32_t max_entries = kDefaultMaxEntries)
      : index_(std::move(index)), description_(std::move(description)), max_entries_(max_entries) {}

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return description_; }

 private:
  std::shared_ptr<const ArchiveIndex> index_;
  std::string description_;
  uint32_t max_entries_;
};

}  // namespace imageprobe::images
