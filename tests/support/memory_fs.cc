// SPDX-License-Identifier: Apache-2.0
#include "tests/support/memory_fs.h"

#include "scanner/core/guest_path.h"

namespace imageprobe::testing {

MemoryFs::MemoryFs() { nodes_["/"] = {{FileType::kDirectory, 0755, 0, 0, 4096, 0}, ""}; }

void MemoryFs::EnsureParents(std::string_view path) {
  std::string dir = GuestDirname(path);
  if (nodes_.contains(dir)) return;
  EnsureParents(dir);
  nodes_[dir] = {{FileType::kDirectory, 0755, 0, 0, 4096, 0}, ""};
}

MemoryFs& MemoryFs::File(std::string_view path, std::string content, Meta meta) {
  std::string p = NormalizeGuestPath(path);
  EnsureParents(p);
  uint64_t size = content.size();
  nodes_[p] = {{FileType::kRegular, meta.mode, meta.uid, meta.gid, size, meta.mtime},
               std::move(content)};
  return *this;
}

MemoryFs& MemoryFs::Dir(std::string_view path, Meta meta) {
  std::string p = NormalizeGuestPath(path);
  EnsureParents(p);
  nodes_[p] = {{FileType::kDirectory, meta.mode, meta.uid, meta.gid, 4096, meta.mtime}, ""};
  return *this;
}

MemoryFs& MemoryFs::Symlink(std::string_view path, std::string target) {
  std::string p = NormalizeGuestPath(path);
  EnsureParents(p);
  uint64_t size = target.size();
  nodes_[p] = {{FileType::kSymlink, 0777, 0, 0, size, 0}, std::move(target)};
  return *this;
}

MemoryFs& MemoryFs::Special(std::string_view path, FileType type) {
  std::string p = NormalizeGuestPath(path);
  EnsureParents(p);
  nodes_[p] = {{type, 0644, 0, 0, 0, 0}, ""};
  return *this;
}

FsResult<FileStat> MemoryFs::Lstat(std::string_view path) const {
  auto it = nodes_.find(std::string(path));
  if (it == nodes_.end()) return FsFail(FsErrc::kNotFound, path);
  return it->second.stat;
}

FsResult<std::vector<DirEntry>> MemoryFs::List(std::string_view dir) const {
  auto it = nodes_.find(std::string(dir));
  if (it == nodes_.end()) return FsFail(FsErrc::kNotFound, dir);
  if (!it->second.stat.IsDirectory()) return FsFail(FsErrc::kNotDirectory, dir);
  std::vector<DirEntry> entries;
  for (const auto& [p, node] : nodes_) {
    if (p != "/" && p != dir && GuestDirname(p) == dir) {
      entries.push_back({GuestBasename(p), node.stat});
    }
  }
  return entries;
}

FsResult<std::string> MemoryFs::ReadLink(std::string_view path) const {
  auto it = nodes_.find(std::string(path));
  if (it == nodes_.end()) return FsFail(FsErrc::kNotFound, path);
  if (!it->second.stat.IsSymlink()) return FsFail(FsErrc::kIo, path, "not a symlink");
  return it->second.content;
}

FsResult<std::string> MemoryFs::ReadAt(std::string_view path, uint64_t offset,
                                       uint64_t length) const {
  auto it = nodes_.find(std::string(path));
  if (it == nodes_.end()) return FsFail(FsErrc::kNotFound, path);
  if (!it->second.stat.IsRegular()) return FsFail(FsErrc::kNotRegular, path);
  const std::string& data = it->second.content;
  if (offset >= data.size()) return std::string();
  return data.substr(offset, length);
}

}  // namespace imageprobe::testing
