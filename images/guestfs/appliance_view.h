// SPDX-License-Identifier: Apache-2.0
// The Filesystem primitives answered by calls into a launched libguestfs appliance, with as few
// round trips as the answers allow (each is about a millisecond with KVM, several under TCG):
//  - List() fetches a directory with readdir + one lstatnslist call (and one readlinklist for
//    its symlinks), and remembers the stats, so the resolver's per-component Lstat calls cost
//    nothing afterwards;
//  - Lstat() of a name in a small directory not listed yet lists that directory, so that every
//    later lookup there, present or not, is answered without a call; names known not to exist
//    are remembered too (probes look up many files an image may not have);
//  - Read() uses pread, bounded and in chunks under the protocol's message limit, and keeps
//    small whole files (several probes read /etc/passwd, dpkg's status) within the view's
//    memory budget.
// The calls never follow symlinks: lstat semantics everywhere, and Read() only reads what Lstat
// says is a regular file. Paths are normalised and absolute. Not synchronised: GuestfsFs
// serialises every call (the handle allows one at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "images/guestfs/call_trace.h"
#include "images/guestfs/guestfs_handle.h"
#include "images/guestfs/prefetched_trees.h"
#include "scanner/core/filesystem.h"

namespace imageprobe::images {

class ApplianceView {
 public:
  ApplianceView(GuestfsHandle& handle, CallTrace& trace, InlineBudget& budget)
      : handle_(handle), trace_(trace), budget_(budget) {}

  FsResult<FileStat> Lstat(const std::string& path);
  FsResult<std::vector<DirEntry>> List(const std::string& dir);
  FsResult<std::string> ReadLink(const std::string& path);
  // Up to `length` bytes from `offset` of the regular file `path`.
  FsResult<std::string> Read(const std::string& path, uint64_t offset, uint64_t length);
  // The same for a file whose size is known (a prefetched tree's entry without its content).
  FsResult<std::string> ReadSized(const std::string& path, uint64_t size, uint64_t offset,
                                  uint64_t length);
  // Every component of `path` but the last is a real directory (not a symlink to one).
  bool AncestorsAreDirectories(const std::string& path);
  // glob_expand: follows symlinks in the appliance, so callers check the matches' ancestors.
  std::vector<std::string> Glob(const std::string& pattern);

  // Most entries List() returns for one directory.
  static constexpr size_t kMaxEntries = 100000;

 private:
  // readdir + lstatnslist of `dir` (already known to be a directory) into stat_cache_.
  FsResult<std::vector<DirEntry>> ListRemote(const std::string& dir);
  // lstatnslist of `names` relative to `dir`, into stat_cache_. Names that do not exist are
  // left out.
  bool StatNames(const std::string& dir, const std::vector<std::string>& names);

  GuestfsHandle& handle_;
  CallTrace& trace_;
  InlineBudget& budget_;
  std::map<std::string, FileStat, std::less<>> stat_cache_;
  // Directories whose every entry is in stat_cache_ (so a name not there does not exist), and
  // paths known not to exist.
  std::set<std::string, std::less<>> listed_dirs_;
  std::set<std::string, std::less<>> missing_;
  std::map<std::string, std::string, std::less<>> link_cache_;     // symlink -> target
  std::map<std::string, std::string, std::less<>> content_cache_;  // small whole files
};

}  // namespace imageprobe::images
