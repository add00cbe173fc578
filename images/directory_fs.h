// SPDX-License-Identifier: Apache-2.0
// DirectoryFs: the Filesystem contract over a host directory (an extracted or mounted root).
//
// Confinement does not rest on string checks of host paths. The root is opened once
// (O_PATH|O_DIRECTORY) and every lookup walks the guest path one component at a time with
// openat(O_NOFOLLOW) from that descriptor, so a host symlink is never followed by the kernel:
// symlinks are reported as symlinks and Filesystem::Resolve() follows them inside the root.
// "." and ".." components are refused outright (the contract says paths are normalised; a
// ".." handed to openat would climb out of the root).
//
// Only regular files are ever opened for reading; devices, fifos and sockets are refused from
// their lstat, before any open(2), so a fifo cannot block and a device cannot be touched.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "images/unique_fd.h"
#include "scanner/core/filesystem.h"

namespace imageprobe::images {

class DirectoryFs final : public Filesystem {
 public:
  // Entries one List() may return before it gives up with kLimit; matches ScanLimits.
  static constexpr uint32_t kDefaultMaxEntries = 100'000;

  // Opens `host_root` (following the path the user gave, which is the user's choice; nothing
  // below it is followed). Fails when it is not a directory or cannot be opened.
  static FsResult<std::unique_ptr<DirectoryFs>> Open(const std::string& host_root,
                                                     uint32_t max_entries = kDefaultMaxEntries);
  // Takes an already opened O_PATH|O_DIRECTORY descriptor of the root.
  DirectoryFs(UniqueFd root, std::string host_root, uint32_t max_entries = kDefaultMaxEntries);

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return "directory " + host_root_; }

 private:
  // The parent of `path`'s last component, opened O_PATH by walking from the root, and that
  // last component. For "/" the parent is the root itself and the name is ".".
  struct Located {
    UniqueFd parent;
    std::string name;
  };
  FsResult<Located> Locate(std::string_view path) const;
  // `path` itself opened as a directory for reading (List).
  FsResult<UniqueFd> OpenDirectory(std::string_view path) const;

  UniqueFd root_;
  std::string host_root_;
  uint32_t max_entries_;
};

// lstat(2) fields in the Filesystem's terms. Shared with tests.
FileStat FileStatFromPosix(const struct stat& st);

}  // namespace imageprobe::images
