// SPDX-License-Identifier: Apache-2.0
// A Filesystem decorator that enforces the per-root limits every backend shares: the total bytes
// read, the entries one listing may return, and the symlink hop limit. Wrapping here means a
// backend cannot forget them.
#pragma once

#include <atomic>
#include <cstdint>

#include "scanner/filesystem.h"

namespace imageprobe {

class BudgetedFilesystem final : public Filesystem {
 public:
  BudgetedFilesystem(const Filesystem& inner, uint64_t max_total_bytes, uint32_t max_dir_entries,
                     uint32_t max_symlink_hops);

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return inner_.Describe(); }

  uint64_t bytes_read() const { return bytes_read_; }

 private:
  const Filesystem& inner_;
  uint64_t max_total_bytes_;
  uint32_t max_dir_entries_;
  mutable std::atomic<uint64_t> bytes_read_{0};
};

}  // namespace imageprobe
