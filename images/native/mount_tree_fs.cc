// SPDX-License-Identifier: Apache-2.0
#include "images/native/mount_tree_fs.h"

#include "scanner/core/guest_path.h"

namespace imageprobe::images::native {

MountTreeFs::MountTreeFs(std::unique_ptr<Filesystem> root, std::string description)
    : description_(std::move(description)) {
  mounts_.push_back({"/", std::move(root)});
}

std::optional<std::string> MountTreeFs::MountPointProblem(const std::string& mountpoint) const {
  std::string current;
  for (const auto& part : SplitGuestPath(mountpoint)) {
    current += "/" + part;
    auto st = Lstat(current);
    if (!st) return current + " does not exist in the root filesystem";
    if (st->IsSymlink()) return current + " is a symlink";
    if (!st->IsDirectory()) return current + " is not a directory";
  }
  return std::nullopt;
}

void MountTreeFs::Mount(const std::string& mountpoint, std::unique_ptr<Filesystem> fs) {
  mounts_.push_back({mountpoint, std::move(fs)});
}

std::pair<const MountTreeFs::Mounted*, std::string> MountTreeFs::Owner(
    std::string_view path) const {
  const Mounted* best = &mounts_.front();
  for (const auto& m : mounts_) {
    bool below =
        m.point == "/" || path == m.point ||
        (path.starts_with(m.point) && path.size() > m.point.size() && path[m.point.size()] == '/');
    if (below && m.point.size() >= best->point.size()) best = &m;
  }
  if (best->point == "/") return {best, std::string(path)};
  std::string inner(path.substr(best->point.size()));
  return {best, inner.empty() ? std::string("/") : inner};
}

FsResult<FileStat> MountTreeFs::Lstat(std::string_view path) const {
  auto [m, inner] = Owner(path);
  auto st = m->fs->Lstat(inner);
  if (!st) return std::unexpected(FsError{st.error().code, std::string(path), st.error().detail});
  return st;
}

FsResult<std::vector<DirEntry>> MountTreeFs::List(std::string_view dir) const {
  auto [m, inner] = Owner(dir);
  auto entries = m->fs->List(inner);
  if (!entries) {
    return std::unexpected(FsError{entries.error().code, std::string(dir), entries.error().detail});
  }
  for (auto& entry : *entries) {
    std::string full = JoinGuestPath(dir, entry.name);
    for (const auto& other : mounts_) {
      if (other.point == full) {
        if (auto st = other.fs->Lstat("/")) entry.stat = *st;
      }
    }
  }
  return entries;
}

FsResult<std::string> MountTreeFs::ReadLink(std::string_view path) const {
  auto [m, inner] = Owner(path);
  auto target = m->fs->ReadLink(inner);
  if (!target)
    return std::unexpected(FsError{target.error().code, std::string(path), target.error().detail});
  return target;
}

FsResult<std::string> MountTreeFs::ReadAt(std::string_view path, uint64_t offset,
                                          uint64_t length) const {
  auto [m, inner] = Owner(path);
  auto data = m->fs->ReadAt(inner, offset, length);
  if (!data)
    return std::unexpected(FsError{data.error().code, std::string(path), data.error().detail});
  return data;
}

}  // namespace imageprobe::images::native
