// SPDX-License-Identifier: Apache-2.0
#include "images/archive_fs.h"

#include "scanner/core/guest_path.h"

namespace imageprobe::images {

FsResult<FileStat> ArchiveFs::Lstat(std::string_view path) const {
  const auto* node = index_->Find(path);
  if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
  return node->stat;
}

FsResult<std::vector<DirEntry>> ArchiveFs::List(std::string_view dir) const {
  const auto* node = index_->Find(dir);
  if (node == nullptr) return FsFail(FsErrc::kNotFound, dir);
  if (!node->stat.IsDirectory()) return FsFail(FsErrc::kNotDirectory, dir);
  if (node->children.size() > max_entries_) {
    return FsFail(
        FsErrc::kLimit, dir,
        std::to_string(node->children.size()) + " entries > limit " + std::to_string(max_entries_));
  }
  std::vector<DirEntry> entries;
  entries.reserve(node->children.size());
  for (const auto& name : node->children) {  // std::set: already sorted
    const auto* child = index_->Find(JoinGuestPath(dir, name));
    if (child != nullptr) entries.push_back({name, child->stat});
  }
  return entries;
}

FsResult<std::string> ArchiveFs::ReadLink(std::string_view path) const {
  const auto* node = index_->Find(path);
  if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
  if (!node->stat.IsSymlink()) return FsFail(FsErrc::kIo, path, "not a symlink");
  return node->symlink_target;
}

FsResult<std::string> ArchiveFs::ReadAt(std::string_view path, uint64_t offset,
                                        uint64_t length) const {
  return index_->Read(path, offset, length);
}

}  // namespace imageprobe::images
