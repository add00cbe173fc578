// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/guestfs_fs.h"

#include "scanner/core/guest_path.h"

namespace imageprobe::images {

GuestfsFs::GuestfsFs(std::shared_ptr<GuestfsHandle> handle, std::string description)
    : handle_(std::move(handle)),
      description_(std::move(description)),
      trace_(description_),
      appliance_(*handle_, trace_, budget_),
      fetcher_(*handle_, trace_, budget_),
      planner_(appliance_, trees_, fetcher_) {}

void GuestfsFs::ReadTreesFromRawImage(std::string image_path,
                                      std::vector<MountedFilesystem> mounts) {
  std::lock_guard lock(mutex_);
  fetcher_.ReadTreesFromRawImage(std::move(image_path), std::move(mounts));
}

std::vector<std::string> GuestfsFs::Prefetch(std::span<const std::string> patterns) {
  std::lock_guard lock(mutex_);
  return planner_.Prefetch(patterns);
}

uint64_t GuestfsFs::prefetched_bytes() const {
  std::lock_guard lock(mutex_);
  return fetcher_.fetched_bytes();
}

std::vector<std::string> GuestfsFs::prefetched_prefixes() const {
  std::lock_guard lock(mutex_);
  return trees_.prefixes();
}

std::map<std::string, uint64_t> GuestfsFs::call_counts() const {
  std::lock_guard lock(mutex_);
  return trace_.counts();
}

FsResult<FileStat> GuestfsFs::Lstat(std::string_view path) const {
  std::lock_guard lock(mutex_);
  if (const ArchiveIndex* index = trees_.Covering(path)) {
    const auto* node = index->Find(path);
    if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
    return node->stat;
  }
  return appliance_.Lstat(std::string(path));
}

FsResult<std::vector<DirEntry>> GuestfsFs::List(std::string_view dir_view) const {
  std::lock_guard lock(mutex_);
  std::string dir(dir_view);
  const ArchiveIndex* index = trees_.Covering(dir);
  if (index == nullptr) return appliance_.List(dir);
  const auto* self = index->Find(dir);
  if (self == nullptr) return FsFail(FsErrc::kNotFound, dir);
  if (!self->stat.IsDirectory()) return FsFail(FsErrc::kNotDirectory, dir);
  if (self->children.size() > kMaxEntries) {
    return FsFail(
        FsErrc::kLimit, dir,
        std::to_string(self->children.size()) + " entries > limit " + std::to_string(kMaxEntries));
  }
  std::vector<DirEntry> entries;
  entries.reserve(self->children.size());
  for (const auto& name : self->children) {  // std::set: sorted
    if (const auto* child = index->Find(JoinGuestPath(dir, name))) {
      entries.push_back({name, child->stat});
    }
  }
  return entries;
}

FsResult<std::string> GuestfsFs::ReadLink(std::string_view path_view) const {
  std::lock_guard lock(mutex_);
  std::string path(path_view);
  if (const ArchiveIndex* index = trees_.Covering(path)) {
    const auto* node = index->Find(path);
    if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
    if (!node->stat.IsSymlink()) return FsFail(FsErrc::kIo, path, "not a symlink");
    return node->symlink_target;
  }
  return appliance_.ReadLink(path);
}

FsResult<std::string> GuestfsFs::ReadAt(std::string_view path_view, uint64_t offset,
                                        uint64_t length) const {
  std::lock_guard lock(mutex_);
  std::string path(path_view);
  const ArchiveIndex* index = trees_.Covering(path);
  if (index == nullptr) return appliance_.Read(path, offset, length);
  const auto* node = index->Find(path);
  if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
  if (!node->stat.IsRegular()) return FsFail(FsErrc::kNotRegular, path);
  // Over the prefetch budget: the appliance still has it.
  if (!node->content_kept()) return appliance_.ReadSized(path, node->stat.size, offset, length);
  return index->Read(path, offset, length);
}

}  // namespace imageprobe::images
