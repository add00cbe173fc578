// SPDX-License-Identifier: Apache-2.0
// Filesystem over a launched libguestfs appliance with a root mounted at "/".
//
// Every call into the appliance is a round trip (about a millisecond with KVM, several under
// TCG), so:
//  - Prefetch() streams a directory holding many homes (/home) whole in one tar_out when it
//    fits the stream budget, so 5,000 homes cost one call, not several each; on a raw drive
//    with ext2/3/4 it reads that tree from the image file instead (ext4_tree.h), which under
//    TCG is ~100 times faster than the appliance walking it;
//  - it pulls all the other small trees it is given (/etc/ssh, /home/*/.ssh, "~/.ssh" …) in
//    ONE tar_out of their common ancestor with everything else excluded, streamed through a
//    pipe into an ArchiveIndex (the archive backend's index), and answers everything under
//    them from there. (The excludes need the listings of the directories on the way: one
//    readdir + lstatnslist per home when /home could not be streamed whole. lstatnslist cannot
//    take "home/name" to list every home at once: libguestfs refuses names with a "/".)
//  - List() fetches a directory with readdir + one lstatnslist call, and remembers the stats so
//    the resolver's per-component Lstat calls cost nothing afterwards;
//  - ReadAt() uses pread, bounded and in chunks under the protocol's message limit.
// Nothing is written anywhere: tar_out streams into a pipe read by a thread of ours, which stops
// reading (the transfer is cancelled) once the stream passes its budget.
//
// The primitives never follow symlinks: Lstat/List/ReadLink use lstat semantics and ReadAt only
// reads what Lstat says is a regular file. Following links is the core resolver's job. Tar
// members are data: a symlink member is an index entry, never followed on the host.
// A GuestfsFs is invalid once its Image mounts another root (one mount namespace per appliance).
//
// IMAGEPROBE_TRACE=1 in the environment prints every appliance call (name, path, duration) and
// a summary per call name to stderr.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "images/archive_index.h"
#include "images/guestfs_handle.h"
#include "scanner/filesystem.h"

namespace imageprobe::images {

class GuestfsFs final : public Filesystem {
 public:
  GuestfsFs(std::shared_ptr<GuestfsHandle> handle, std::string description);
  ~GuestfsFs() override;

  // What was mounted where, for reading trees from the image file itself (ext4_tree.h) instead
  // of a tar_out: given only when the drive is a raw file. Mounts on LVM or md devices, and
  // filesystems other than ext2/3/4, are always streamed by the appliance.
  struct MountedFilesystem {
    std::string mountpoint;  // "/", "/home"
    std::string device;      // "/dev/sda", "/dev/sda2"
    std::string type;        // "ext4"
  };
  void ReadTreesFromRawImage(std::string image_path, std::vector<MountedFilesystem> mounts);

  // Fetches the trees named by `patterns`: guest paths or globs ("/etc/ssh", "/home/*/.ssh"),
  // or "~/REST" for REST under every home /etc/passwd names. A pattern that matches nothing, or
  // a match under a symlinked parent, is skipped: those paths are then served by ordinary
  // calls, as is a tree over the budgets. Returns the problems met (never fatal).
  std::vector<std::string> Prefetch(std::span<const std::string> patterns);
  uint64_t prefetched_bytes() const { return prefetched_bytes_; }
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
  static constexpr size_t kMaxEntries = 100000;
  // One tar_out stream longer than this is cancelled and its tree served by ordinary calls.
  static constexpr uint64_t kMaxTreeStreamBytes = 64ull << 20;
  // Prefetched file contents kept in memory: per file, and for all trees together. A larger
  // file keeps its metadata and is read from the appliance when asked for.
  static constexpr uint64_t kMaxInlineFileBytes = 4ull << 20;
  static constexpr uint64_t kMaxInlineTotalBytes = 128ull << 20;
  // A directory directly holding at least this many /etc/passwd homes is streamed whole.
  static constexpr size_t kBulkMinHomes = 16;

 private:
  struct CallStat {
    uint64_t count = 0;
    double seconds = 0;
  };
  class CallScope;

  // The index of the prefetched tree covering `path`, or nullptr.
  const ArchiveIndex* CoveringIndex(std::string_view path) const;
  FsResult<FileStat> LstatRemote(const std::string& path) const;
  FsResult<std::vector<DirEntry>> ListLocked(const std::string& dir) const;
  // readdir + lstatnslist of `dir` (already known to be a directory) into stat_cache_.
  FsResult<std::vector<DirEntry>> ListRemote(const std::string& dir) const;
  // lstatnslist of `names` relative to `dir` (each "a" or "a/b" below a real directory), into
  // stat_cache_. Names that do not exist are left out.
  bool StatNames(const std::string& dir, const std::vector<std::string>& names) const;
  FsResult<std::string> ReadRemote(const std::string& path, uint64_t offset, uint64_t length) const;
  bool AncestorsAreDirectories(const std::string& path) const;
  std::vector<std::string> Glob(const std::string& pattern) const;
  // One tar_out of `dir` minus `excludes` (literal member names "./a/b") into a new index.
  std::expected<std::shared_ptr<ArchiveIndex>, std::string> StreamTree(
      const std::string& dir, const std::vector<std::string>& excludes);
  // `dir` whole: from the raw image file when ReadFromImageFile can, else by StreamTree.
  std::expected<std::shared_ptr<ArchiveIndex>, std::string> WholeTree(
      const std::string& dir, std::vector<std::string>& problems);
  ArchiveLimits TreeLimits() const;
  // `dir` read with libext2fs from the image file; nullptr (and why, unless it was not
  // applicable) when it could not be.
  std::shared_ptr<ArchiveIndex> ReadFromImageFile(const std::string& dir, std::string& why);
  // Byte offset of `device` in the raw image (part_list, asked once), or nullopt.
  std::optional<uint64_t> DeviceOffset(const std::string& device);
  bool FetchTree(const std::string& dir, std::vector<std::string>& problems);
  // `dir` (a real directory holding many homes) whole, when its stream fits the budget.
  void FetchWhole(const std::string& dir, std::vector<std::string>& problems);
  // The trees `dirs` (real directories), all in ONE tar_out of their common ancestor with
  // everything else excluded; one by one if that fails.
  bool FetchTrees(std::vector<std::string> dirs, std::vector<std::string>& problems);
  std::vector<std::string> PasswdHomes();

  std::shared_ptr<GuestfsHandle> handle_;
  std::string description_;
  bool trace_ = false;
  mutable std::mutex mutex_;  // the handle allows one call at a time
  mutable std::map<std::string, CallStat> calls_;
  mutable std::map<std::string, FileStat, std::less<>> stat_cache_;
  // Directories whose every entry is in stat_cache_ (so a name not there does not exist), and
  // paths known not to exist: both save round trips for the many lookups probes make of files
  // an image may not have.
  mutable std::set<std::string, std::less<>> listed_dirs_;
  mutable std::set<std::string, std::less<>> missing_;
  mutable std::map<std::string, std::string, std::less<>> link_cache_;     // symlink -> target
  mutable std::map<std::string, std::string, std::less<>> content_cache_;  // small whole files
  // Prefetched trees: prefix -> the index holding it (several prefixes may share one index).
  std::map<std::string, std::shared_ptr<const ArchiveIndex>, std::less<>> covered_;
  std::string raw_image_path_;  // empty: every tree goes through tar_out
  std::vector<MountedFilesystem> mounts_;
  std::optional<std::map<int, uint64_t>> partition_starts_;  // part_list of /dev/sda
  uint64_t prefetched_bytes_ = 0;
  mutable uint64_t inline_bytes_ = 0;  // prefetched and cached contents together
};

}  // namespace imageprobe::images
