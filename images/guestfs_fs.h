// SPDX-License-Identifier: Apache-2.0
// Filesystem over a launched libguestfs appliance with a root mounted at "/".
//
// Every call into the appliance is a round trip (about a millisecond with KVM, several under
// TCG), so:
//  - Prefetch() pulls whole small trees (/etc/ssh, /home/*/.ssh, …) with one tar_out each into
//    memory and answers everything under them from there;
//  - List() fetches a directory with readdir + one lstatnslist call, and remembers the stats so
//    the resolver's per-component Lstat calls cost nothing afterwards;
//  - ReadAt() uses pread, bounded and in chunks under the protocol's message limit.
// Nothing is written anywhere: tar_out streams into an anonymous memfd.
//
// The primitives never follow symlinks: Lstat/List/ReadLink use lstat semantics and ReadAt only
// reads what Lstat says is a regular file. Following links is the core resolver's job.
// A GuestfsFs is invalid once its Image mounts another root (one mount namespace per appliance).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "images/guestfs_handle.h"
#include "scanner/filesystem.h"

namespace imageprobe::images {

class GuestfsFs final : public Filesystem {
 public:
  GuestfsFs(std::shared_ptr<GuestfsHandle> handle, std::string description);

  // Fetches the trees named by `patterns` (guest paths or globs: "/etc/ssh", "/home/*/.ssh").
  // A pattern that matches nothing, or a match under a symlinked parent, is skipped: those
  // paths are then served by ordinary calls. Returns the problems met (never fatal).
  std::vector<std::string> Prefetch(std::span<const std::string> patterns);
  size_t prefetched_bytes() const { return prefetched_bytes_; }
  std::vector<std::string> prefetched_prefixes() const;

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return description_; }

  // Most entries List() returns for one directory.
  static constexpr size_t kMaxEntries = 100000;
  // A prefetched tree larger than this is dropped (served by ordinary calls instead).
  static constexpr uint64_t kMaxPrefetchBytes = 256ull << 20;

 private:
  struct Node {
    FileStat stat;
    std::string data;  // file content or symlink target
  };
  // The prefetched prefix covering `path`, or nullptr.
  const std::string* CoveringPrefix(std::string_view path) const;
  FsResult<FileStat> LstatRemote(const std::string& path) const;
  // readdir + lstatnslist of `dir` (already known to be a directory) into stat_cache_.
  FsResult<std::vector<DirEntry>> ListRemote(const std::string& dir) const;
  bool AncestorsAreDirectories(const std::string& path) const;
  bool FetchTree(const std::string& dir, std::vector<std::string>& problems);

  std::shared_ptr<GuestfsHandle> handle_;
  std::string description_;
  mutable std::mutex mutex_;  // the handle allows one call at a time
  mutable std::map<std::string, FileStat, std::less<>> stat_cache_;
  // Directories whose every entry is in stat_cache_ (so a name not there does not exist), and
  // paths known not to exist: both save round trips for the many lookups probes make of files
  // an image may not have.
  mutable std::set<std::string, std::less<>> listed_dirs_;
  mutable std::set<std::string, std::less<>> missing_;
  std::vector<std::string> prefixes_;              // prefetched trees, sorted
  std::map<std::string, Node, std::less<>> tree_;  // guest path -> node, under prefixes_
  size_t prefetched_bytes_ = 0;
};

}  // namespace imageprobe::images
