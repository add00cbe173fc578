// SPDX-License-Identifier: Apache-2.0
// Filesystem over a launched libguestfs appliance with a root mounted at "/".
//
// The view answers each primitive from a prefetched tree when one covers the path
// (prefetched_trees.h), else by appliance calls (appliance_view.h), under one lock: the handle
// allows one call at a time. Its parts, each with one job:
//  - ApplianceView: the primitives as appliance calls, batched and remembered;
//  - PrefetchPlanner: which trees to fetch in bulk before the probes run (the homes /etc/passwd
//    names, a crowded /home whole, every other tree in one tar_out);
//  - TreeFetcher: where a tree's bytes come from (the raw image file through the native ext4
//    layer, host_ext4_trees.h, else a tar_out streamed into an index, tar_stream.h);
//  - CallTrace: the count and time of every call (IMAGEPROBE_TRACE=1 prints them).
// Nothing is written anywhere.
//
// The primitives never follow symlinks: Lstat/List/ReadLink use lstat semantics and ReadAt only
// reads what Lstat says is a regular file. Following links is the core resolver's job. Tree
// members are data: a symlink member is an index entry, never followed on the host.
// A GuestfsFs is invalid once its Image mounts another root (one mount namespace per appliance).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "images/guestfs/appliance_view.h"
#include "images/guestfs/call_trace.h"
#include "images/guestfs/guestfs_handle.h"
#include "images/guestfs/host_ext4_trees.h"
#include "images/guestfs/prefetch_planner.h"
#include "images/guestfs/prefetched_trees.h"
#include "images/guestfs/tree_fetcher.h"
#include "scanner/core/filesystem.h"

namespace imageprobe::images {

class GuestfsFs final : public Filesystem {
 public:
  GuestfsFs(std::shared_ptr<GuestfsHandle> handle, std::string description);

  // What was mounted where, for reading trees from the image file itself (host_ext4_trees.h)
  // instead of a tar_out: given only when the drive is a raw file. Mounts on LVM or md
  // devices, and filesystems other than ext2/3/4, are always streamed by the appliance.
  using MountedFilesystem = images::MountedFilesystem;
  void ReadTreesFromRawImage(std::string image_path, std::vector<MountedFilesystem> mounts);

  // Fetches the trees named by `patterns` (prefetch_planner.h): guest paths or globs
  // ("/etc/ssh", "/home/*/.ssh"), or "~/REST" for REST under every home /etc/passwd names.
  // What is not fetched is served by ordinary calls. Returns the problems met (never fatal).
  std::vector<std::string> Prefetch(std::span<const std::string> patterns);
  uint64_t prefetched_bytes() const;
  std::vector<std::string> prefetched_prefixes() const;
  // Appliance calls made through this view so far, by call name.
  std::map<std::string, uint64_t> call_counts() const;

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return description_; }

  // Most entries List() returns for one directory.
  static constexpr size_t kMaxEntries = ApplianceView::kMaxEntries;

 private:
  std::shared_ptr<GuestfsHandle> handle_;
  std::string description_;
  // Everything below is guarded by mutex_; the primitives are const to callers but fill caches.
  mutable std::mutex mutex_;
  mutable CallTrace trace_;
  mutable InlineBudget budget_;
  mutable ApplianceView appliance_;
  PrefetchedTrees trees_;
  TreeFetcher fetcher_;
  PrefetchPlanner planner_;
};

}  // namespace imageprobe::images
