// SPDX-License-Identifier: Apache-2.0
// An in-memory Filesystem for probe and parser tests: build a tree from inline strings.
//
//   MemoryFs fs;
//   fs.File("/etc/passwd", "root:x:0:0::/root:/bin/bash\n");
//   fs.File("/home/a/.ssh/authorized_keys", keys, {.mode = 0664, .uid = 1000});
//   fs.Symlink("/etc/localtime", "/usr/share/zoneinfo/UTC");
//   fs.Dir("/var/empty", {.mode = 0711});
// Parent directories are created as needed (mode 0755, root).
#pragma once

#include <map>
#include <string>

#include "scanner/core/filesystem.h"

namespace imageprobe::testing {

struct Meta {
  uint32_t mode = 0644;
  uint32_t uid = 0;
  uint32_t gid = 0;
  int64_t mtime = 1700000000;
};

class MemoryFs final : public Filesystem {
 public:
  MemoryFs();
  MemoryFs& File(std::string_view path, std::string content, Meta meta = {});
  MemoryFs& Dir(std::string_view path, Meta meta = {.mode = 0755});
  MemoryFs& Symlink(std::string_view path, std::string target);
  // A node of another type (fifo, device) for "never read a device" tests.
  MemoryFs& Special(std::string_view path, FileType type);

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return "memory"; }

 private:
  struct Node {
    FileStat stat;
    std::string content;  // file data or symlink target
  };
  void EnsureParents(std::string_view path);
  std::map<std::string, Node> nodes_;
};

}  // namespace imageprobe::testing
