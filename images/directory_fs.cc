// SPDX-License-Identifier: Apache-2.0
#include "images/directory_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "scanner/core/guest_path.h"

namespace imageprobe::images {
namespace {

constexpr int kWalkFlags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

std::unexpected<FsError> ErrnoFail(int err, std::string_view path) {
  switch (err) {
    case ENOENT:
      return FsFail(FsErrc::kNotFound, path);
    // ELOOP: O_NOFOLLOW met a symlink where a directory was needed. The contract says a
    // symlinked parent is the caller's bug and answers kNotDirectory.
    case ENOTDIR:
    case ELOOP:
      return FsFail(FsErrc::kNotDirectory, path);
    case EACCES:
    case EPERM:
      return FsFail(FsErrc::kPermission, path);
    case ENAMETOOLONG:
      return FsFail(FsErrc::kNotFound, path, "name too long");
    default:
      return FsFail(FsErrc::kIo, path, std::strerror(err));
  }
}

FileType TypeFromMode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return FileType::kRegular;
    case S_IFDIR:
      return FileType::kDirectory;
    case S_IFLNK:
      return FileType::kSymlink;
    case S_IFCHR:
      return FileType::kCharDevice;
    case S_IFBLK:
      return FileType::kBlockDevice;
    case S_IFIFO:
      return FileType::kFifo;
    case S_IFSOCK:
      return FileType::kSocket;
    default:
      return FileType::kUnknown;
  }
}

}  // namespace

FileStat FileStatFromPosix(const struct stat& st) {
  FileStat out;
  out.type = TypeFromMode(st.st_mode);
  out.mode = st.st_mode & 07777;
  out.uid = st.st_uid;
  out.gid = st.st_gid;
  out.size = static_cast<uint64_t>(st.st_size);
  out.mtime = st.st_mtim.tv_sec;
  return out;
}

FsResult<std::unique_ptr<DirectoryFs>> DirectoryFs::Open(const std::string& host_root,
                                                         uint32_t max_entries) {
  UniqueFd root(::open(host_root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) return ErrnoFail(errno, "/");
  return std::make_unique<DirectoryFs>(std::move(root), host_root, max_entries);
}

DirectoryFs::DirectoryFs(UniqueFd root, std::string host_root, uint32_t max_entries)
    : root_(std::move(root)), host_root_(std::move(host_root)), max_entries_(max_entries) {}

FsResult<DirectoryFs::Located> DirectoryFs::Locate(std::string_view path) const {
  if (path.empty() || path.front() != '/') {
    return FsFail(FsErrc::kNotFound, path, "not an absolute guest path");
  }
  std::vector<std::string> parts = SplitGuestPath(path);
  for (const auto& part : parts) {
    if (part == "." || part == "..") {
      return FsFail(FsErrc::kEscapesRoot, path, "unnormalised path component");
    }
  }
  UniqueFd dir(::openat(root_.get(), ".", kWalkFlags));
  if (!dir.valid()) return ErrnoFail(errno, "/");
  if (parts.empty()) return Located{std::move(dir), "."};
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    UniqueFd next(::openat(dir.get(), parts[i].c_str(), kWalkFlags));
    if (!next.valid()) return ErrnoFail(errno, path);
    dir = std::move(next);
  }
  return Located{std::move(dir), parts.back()};
}

FsResult<FileStat> DirectoryFs::Lstat(std::string_view path) const {
  auto loc = Locate(path);
  if (!loc) return std::unexpected(loc.error());
  struct stat st;
  if (::fstatat(loc->parent.get(), loc->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoFail(errno, path);
  }
  return FileStatFromPosix(st);
}

FsResult<UniqueFd> DirectoryFs::OpenDirectory(std::string_view path) const {
  auto loc = Locate(path);
  if (!loc) return std::unexpected(loc.error());
  UniqueFd fd(::openat(loc->parent.get(), loc->name.c_str(),
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return ErrnoFail(errno, path);
  return fd;
}

FsResult<std::vector<DirEntry>> DirectoryFs::List(std::string_view dir) const {
  auto fd = OpenDirectory(dir);
  if (!fd) return std::unexpected(fd.error());
  DIR* stream = ::fdopendir(fd->get());
  if (stream == nullptr) return ErrnoFail(errno, dir);
  int dir_fd = fd->release();  // owned by `stream` from here on
  // Names first, so a directory of ten million entries fails at the cap without a stat each.
  std::vector<std::string> names;
  errno = 0;
  while (dirent* ent = ::readdir(stream)) {
    std::string_view name = ent->d_name;
    if (name == "." || name == "..") continue;
    if (names.size() >= max_entries_) {
      ::closedir(stream);
      return FsFail(FsErrc::kLimit, dir, "more than " + std::to_string(max_entries_) + " entries");
    }
    names.emplace_back(name);
  }
  int read_errno = errno;
  std::vector<DirEntry> entries;
  entries.reserve(names.size());
  for (auto& name : names) {
    struct stat st;
    // An entry that vanished between readdir and fstatat is simply not listed.
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    entries.push_back({std::move(name), FileStatFromPosix(st)});
  }
  ::closedir(stream);
  if (read_errno != 0) return ErrnoFail(read_errno, dir);
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

FsResult<std::string> DirectoryFs::ReadLink(std::string_view path) const {
  auto loc = Locate(path);
  if (!loc) return std::unexpected(loc.error());
  // Linux caps a symlink target at PATH_MAX; a longer answer means the buffer was too small.
  std::string target(4096, '\0');
  ssize_t n = ::readlinkat(loc->parent.get(), loc->name.c_str(), target.data(), target.size());
  if (n < 0) {
    if (errno == EINVAL) return FsFail(FsErrc::kIo, path, "not a symlink");
    return ErrnoFail(errno, path);
  }
  if (static_cast<size_t>(n) >= target.size()) {
    return FsFail(FsErrc::kIo, path, "symlink target too long");
  }
  target.resize(static_cast<size_t>(n));
  return target;
}

FsResult<std::string> DirectoryFs::ReadAt(std::string_view path, uint64_t offset,
                                          uint64_t length) const {
  auto loc = Locate(path);
  if (!loc) return std::unexpected(loc.error());
  // Decide from lstat before opening anything: opening a fifo or a device can block or act.
  struct stat before;
  if (::fstatat(loc->parent.get(), loc->name.c_str(), &before, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoFail(errno, path);
  }
  if (!S_ISREG(before.st_mode)) {
    return FsFail(FsErrc::kNotRegular, path,
                  std::string(FileTypeName(TypeFromMode(before.st_mode))));
  }
  UniqueFd fd(::openat(loc->parent.get(), loc->name.c_str(),
                       O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoFail(errno, path);
  // The entry may have been swapped between the lstat and the open: check what we opened.
  struct stat opened;
  if (::fstat(fd.get(), &opened) != 0) return ErrnoFail(errno, path);
  if (!S_ISREG(opened.st_mode) || opened.st_ino != before.st_ino ||
      opened.st_dev != before.st_dev) {
    return FsFail(FsErrc::kNotRegular, path, "changed while being opened");
  }
  if (offset > static_cast<uint64_t>(INT64_MAX) - length) {
    length = offset > static_cast<uint64_t>(INT64_MAX) ? 0 : INT64_MAX - offset;
  }
  std::string data;
  uint64_t file_size = static_cast<uint64_t>(opened.st_size);
  uint64_t expected = offset < file_size ? file_size - offset : 0;
  data.reserve(std::min<uint64_t>(length, expected + 1));
  constexpr size_t kChunk = 1 << 16;
  while (data.size() < length) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, length - data.size()));
    size_t old = data.size();
    data.resize(old + want);
    ssize_t n = ::pread(fd.get(), data.data() + old, want, static_cast<off_t>(offset + old));
    if (n < 0) {
      if (errno == EINTR) {
        data.resize(old);
        continue;
      }
      return ErrnoFail(errno, path);
    }
    data.resize(old + static_cast<size_t>(n));
    if (n == 0) break;
  }
  return data;
}

}  // namespace imageprobe::images
