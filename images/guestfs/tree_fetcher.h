// SPDX-License-Identifier: Apache-2.0
// Where a prefetched tree's bytes come from, and what they cost the view's memory budget: a
// tree is read from the raw image file on the host when host_ext4_trees.h can (a raw drive,
// ext2/3/4), and otherwise streamed by ONE tar_out (tar_stream.h). Every tree is an index whose
// inline contents are taken from the budget shared with the view's cache of small files.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "images/archive_index.h"
#include "images/guestfs/call_trace.h"
#include "images/guestfs/guestfs_handle.h"
#include "images/guestfs/host_ext4_trees.h"
#include "images/guestfs/prefetched_trees.h"

namespace imageprobe::images {

class TreeFetcher {
 public:
  TreeFetcher(GuestfsHandle& handle, CallTrace& trace, InlineBudget& budget)
      : handle_(handle), trace_(trace), budget_(budget) {}

  // Trees may be read from `image_path`, the drive, a raw file holding `mounts`.
  void ReadTreesFromRawImage(std::string image_path, std::vector<MountedFilesystem> mounts);

  // `dir` (a real directory) whole: from the image file when it can be, else by tar_out. A
  // failed host read is added to `problems` before the tar_out is tried.
  std::expected<std::shared_ptr<ArchiveIndex>, std::string> Whole(
      const std::string& dir, std::vector<std::string>& problems);
  // `dir` minus `excludes` (TarExclude names), by tar_out.
  std::expected<std::shared_ptr<ArchiveIndex>, std::string> Streamed(
      const std::string& dir, const std::vector<std::string>& excludes);

  uint64_t fetched_bytes() const { return fetched_bytes_; }

  // One tar_out stream longer than this is cancelled and its tree served by ordinary calls.
  static constexpr uint64_t kMaxTreeStreamBytes = 64ull << 20;

 private:
  ArchiveLimits TreeLimits() const;
  void Charge(const ArchiveIndex& index);

  GuestfsHandle& handle_;
  CallTrace& trace_;
  InlineBudget& budget_;
  std::optional<HostExt4Trees> host_ext4_;  // none: every tree goes through tar_out
  uint64_t fetched_bytes_ = 0;
};

}  // namespace imageprobe::images
