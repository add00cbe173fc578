// SPDX-License-Identifier: Apache-2.0
#include "tests/support/host_tree_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace imageprobe::testing {

namespace {

FileType TypeOf(mode_t mode) {
  if (S_ISREG(mode)) return FileType::kRegular;
  if (S_ISDIR(mode)) return FileType::kDirectory;
  if (S_ISLNK(mode)) return FileType::kSymlink;
  if (S_ISCHR(mode)) return FileType::kCharDevice;
  if (S_ISBLK(mode)) return FileType::kBlockDevice;
  if (S_ISFIFO(mode)) return FileType::kFifo;
  if (S_ISSOCK(mode)) return FileType::kSocket;
  return FileType::kUnknown;
}

FsError ErrnoError(std::string_view path) {
  FsErrc code = errno == ENOENT    ? FsErrc::kNotFound
                : errno == ENOTDIR ? FsErrc::kNotDirectory
                : errno == EACCES  ? FsErrc::kPermission
                                   : FsErrc::kIo;
  return FsError{code, std::string(path), std::strerror(errno)};
}

FileStat ToStat(const struct stat& st) {
  return FileStat{TypeOf(st.st_mode), static_cast<uint32_t>(st.st_mode & 07777), st.st_uid,
                  st.st_gid,          static_cast<uint64_t>(st.st_size),         st.st_mtime};
}

}  // namespace

FsResult<FileStat> HostTreeFs::Lstat(std::string_view path) const {
  struct stat st {};
  if (::lstat(Host(path).c_str(), &st) != 0) return std::unexpected(ErrnoError(path));
  return ToStat(st);
}

FsResult<std::vector<DirEntry>> HostTreeFs::List(std::string_view dir) const {
  std::unique_ptr<DIR, decltype(&closedir)> d(opendir(Host(dir).c_str()), closedir);
  if (!d) return std::unexpected(ErrnoError(dir));
  std::vector<DirEntry> entries;
  while (dirent* e = readdir(d.get())) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string child = std::string(dir == "/" ? "" : dir) + "/" + name;
    auto st = Lstat(child);
    if (st) entries.push_back({name, *st});
  }
  std::ranges::sort(entries, {}, &DirEntry::name);
  return entries;
}

FsResult<std::string> HostTreeFs::ReadLink(std::string_view path) const {
  char buf[4096];
  ssize_t n = ::readlink(Host(path).c_str(), buf, sizeof buf);
  if (n < 0) return std::unexpected(ErrnoError(path));
  return std::string(buf, static_cast<size_t>(n));
}

FsResult<std::string> HostTreeFs::ReadAt(std::string_view path, uint64_t offset,
                                         uint64_t length) const {
  int fd = ::open(Host(path).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::unexpected(ErrnoError(path));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return FsFail(FsErrc::kNotRegular, path);
  }
  std::string data;
  char buf[65536];
  while (data.size() < length) {
    ssize_t n = ::pread(fd, buf, std::min<uint64_t>(sizeof buf, length - data.size()),
                        static_cast<off_t>(offset + data.size()));
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

}  // namespace imageprobe::testing
