// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/appliance_view.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "scanner/core/guest_path.h"

namespace imageprobe::images {
namespace {

constexpr int kReadChunk = 1 << 20;   // well under libguestfs' 4 MiB message limit
constexpr size_t kLstatBatch = 1000;  // names per lstatnslist call
// A directory up to this size (a few hundred entries) is listed whole to answer one lookup.
constexpr uint64_t kListParentMaxBytes = 32 * 1024;

FileType TypeFromMode(uint32_t mode) {
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

FileStat FromStatns(const struct guestfs_statns& st) {
  FileStat out;
  out.type = TypeFromMode(static_cast<uint32_t>(st.st_mode));
  out.mode = static_cast<uint32_t>(st.st_mode) & 07777;
  out.uid = static_cast<uint32_t>(st.st_uid);
  out.gid = static_cast<uint32_t>(st.st_gid);
  out.size = st.st_size < 0 ? 0 : static_cast<uint64_t>(st.st_size);
  out.mtime = st.st_mtime_sec;
  return out;
}

FsErrc ErrcFromErrno(int error_number) {
  switch (error_number) {
    case ENOENT:
      return FsErrc::kNotFound;
    case ENOTDIR:
      return FsErrc::kNotDirectory;
    case EACCES:
    case EPERM:
      return FsErrc::kPermission;
    case ELOOP:
      return FsErrc::kSymlinkLoop;
    default:
      return FsErrc::kIo;
  }
}

}  // namespace

FsResult<FileStat> ApplianceView::Lstat(const std::string& path) {
  if (auto it = stat_cache_.find(path); it != stat_cache_.end()) return it->second;
  if (missing_.contains(path)) return FsFail(FsErrc::kNotFound, path);
  if (path != "/") {
    // Answer from a listing of the parent: one readdir + lstatnslist serves every later lookup
    // in that directory, present or not. Large directories (/usr/bin) are asked per name.
    std::string parent = GuestDirname(path);
    if (!listed_dirs_.contains(parent)) {
      auto parent_stat = Lstat(parent);
      if (!parent_stat) {
        if (parent_stat.error().code != FsErrc::kNotFound &&
            parent_stat.error().code != FsErrc::kNotDirectory) {
          return std::unexpected(parent_stat.error());
        }
        missing_.insert(path);
        return FsFail(parent_stat.error().code, path);
      }
      // Contract: no component is a symlink; the appliance would follow it.
      if (!parent_stat->IsDirectory()) return FsFail(FsErrc::kNotDirectory, path);
      if (parent_stat->size <= kListParentMaxBytes) (void)ListRemote(parent);
    }
    if (listed_dirs_.contains(parent)) {
      if (auto it = stat_cache_.find(path); it != stat_cache_.end()) return it->second;
      missing_.insert(path);
      return FsFail(FsErrc::kNotFound, path);
    }
  }
  struct guestfs_statns* st;
  {
    CallTrace::Scope call(trace_, "lstatns", path);
    st = guestfs_lstatns(handle_.get(), path.c_str());
  }
  if (st == nullptr) {
    FsErrc code = ErrcFromErrno(handle_.LastErrno());
    if (code == FsErrc::kNotFound) missing_.insert(path);
    return FsFail(code, path, handle_.LastError());
  }
  FileStat out = FromStatns(*st);
  guestfs_free_statns(st);
  stat_cache_.emplace(path, out);
  return out;
}

FsResult<std::vector<DirEntry>> ApplianceView::List(const std::string& dir) {
  auto self = Lstat(dir);
  if (!self) return std::unexpected(self.error());
  if (!self->IsDirectory()) return FsFail(FsErrc::kNotDirectory, dir);
  if (listed_dirs_.contains(dir)) {
    // Listed before (or in bulk): the stat cache holds every entry.
    std::vector<DirEntry> entries;
    std::string lower = dir == "/" ? "/" : dir + "/";
    for (auto it = stat_cache_.lower_bound(lower);
         it != stat_cache_.end() && it->first.starts_with(lower); ++it) {
      std::string_view rest = std::string_view(it->first).substr(lower.size());
      if (rest.empty() || rest.find('/') != std::string_view::npos) continue;
      entries.push_back({std::string(rest), it->second});
    }
    std::sort(entries.begin(), entries.end(),
              [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return entries;
  }
  return ListRemote(dir);
}

FsResult<std::vector<DirEntry>> ApplianceView::ListRemote(const std::string& dir) {
  guestfs_dirent_list* dirents;
  {
    CallTrace::Scope call(trace_, "readdir", dir);
    dirents = guestfs_readdir(handle_.get(), dir.c_str());
  }
  if (dirents == nullptr) {
    return FsFail(ErrcFromErrno(handle_.LastErrno()), dir, handle_.LastError());
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < dirents->len; ++i) {
    std::string name = dirents->val[i].name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  guestfs_free_dirent_list(dirents);
  if (names.size() > kMaxEntries) {
    return FsFail(FsErrc::kLimit, dir,
                  std::to_string(names.size()) + " entries > limit " + std::to_string(kMaxEntries));
  }
  std::sort(names.begin(), names.end());
  if (!StatNames(dir, names)) {
    return FsFail(ErrcFromErrno(handle_.LastErrno()), dir, handle_.LastError());
  }
  std::vector<DirEntry> entries;
  entries.reserve(names.size());
  std::vector<std::string> links;
  for (const auto& name : names) {
    // A name that vanished between readdir and lstat cannot happen read-only; left out.
    if (auto it = stat_cache_.find(JoinGuestPath(dir, name)); it != stat_cache_.end()) {
      entries.push_back({name, it->second});
      if (it->second.IsSymlink()) links.push_back(name);
    }
  }
  listed_dirs_.insert(dir);
  // The resolver reads the links it meets (/bin, /lib, /etc/os-release…): one call for all of
  // this directory's, not one per link and lookup.
  if (!links.empty() && links.size() <= kLstatBatch) {
    std::vector<char*> argv;
    for (auto& name : links) argv.push_back(name.data());
    argv.push_back(nullptr);
    char** targets;
    {
      CallTrace::Scope call(trace_, "readlinklist", dir);
      targets = guestfs_readlinklist(handle_.get(), dir.c_str(), argv.data());
    }
    auto list = TakeStringList(targets);
    for (size_t i = 0; i < list.size() && i < links.size(); ++i) {
      if (!list[i].empty()) link_cache_.emplace(JoinGuestPath(dir, links[i]), list[i]);
    }
  }
  return entries;
}

bool ApplianceView::StatNames(const std::string& dir, const std::vector<std::string>& names) {
  for (size_t start = 0; start < names.size(); start += kLstatBatch) {
    size_t end = std::min(names.size(), start + kLstatBatch);
    std::vector<char*> argv;
    for (size_t i = start; i < end; ++i) argv.push_back(const_cast<char*>(names[i].c_str()));
    argv.push_back(nullptr);
    guestfs_statns_list* stats;
    {
      CallTrace::Scope call(trace_, "lstatnslist", dir);
      stats = guestfs_lstatnslist(handle_.get(), dir.c_str(), argv.data());
    }
    if (stats == nullptr) return false;
    for (size_t i = start; i < end && i - start < stats->len; ++i) {
      const struct guestfs_statns& st = stats->val[i - start];
      if (st.st_ino == -1) continue;
      stat_cache_.insert_or_assign(JoinGuestPath(dir, names[i]), FromStatns(st));
    }
    guestfs_free_statns_list(stats);
  }
  return true;
}

FsResult<std::string> ApplianceView::ReadLink(const std::string& path) {
  auto st = Lstat(path);
  if (!st) return std::unexpected(st.error());
  if (!st->IsSymlink()) return FsFail(FsErrc::kIo, path, "not a symlink");
  if (auto it = link_cache_.find(path); it != link_cache_.end()) return it->second;
  char* target;
  {
    CallTrace::Scope call(trace_, "readlink", path);
    target = guestfs_readlink(handle_.get(), path.c_str());
  }
  if (target == nullptr) {
    return FsFail(ErrcFromErrno(handle_.LastErrno()), path, handle_.LastError());
  }
  std::string out = TakeString(target);
  link_cache_.emplace(path, out);
  return out;
}

FsResult<std::string> ApplianceView::Read(const std::string& path, uint64_t offset,
                                          uint64_t length) {
  auto st = Lstat(path);
  if (!st) return std::unexpected(st.error());
  if (!st->IsRegular()) return FsFail(FsErrc::kNotRegular, path);
  return ReadSized(path, st->size, offset, length);
}

FsResult<std::string> ApplianceView::ReadSized(const std::string& path, uint64_t size,
                                               uint64_t offset, uint64_t length) {
  const bool whole = offset == 0 && length >= size && size <= kMaxInlineFileBytes;
  if (whole) {
    if (auto it = content_cache_.find(path); it != content_cache_.end()) return it->second;
  }
  std::string out;
  uint64_t end = std::min(size, offset + std::min(length, size));
  while (offset < end) {
    int count = static_cast<int>(std::min<uint64_t>(kReadChunk, end - offset));
    size_t got = 0;
    char* data;
    {
      CallTrace::Scope call(trace_, "pread", path);
      data = guestfs_pread(handle_.get(), path.c_str(), count, static_cast<int64_t>(offset), &got);
    }
    if (data == nullptr) {
      return FsFail(ErrcFromErrno(handle_.LastErrno()), path, handle_.LastError());
    }
    out.append(data, got);
    free(data);
    if (got == 0) break;  // the file shrank; read-only, so only on a corrupt filesystem
    offset += got;
  }
  if (whole && budget_.Fits(out.size())) {
    budget_.Take(out.size());
    content_cache_.emplace(path, out);
  }
  return out;
}

bool ApplianceView::AncestorsAreDirectories(const std::string& path) {
  std::string current;
  auto parts = SplitGuestPath(path);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    current += "/" + parts[i];
    auto st = Lstat(current);
    if (!st || !st->IsDirectory()) return false;
  }
  return true;
}

std::vector<std::string> ApplianceView::Glob(const std::string& pattern) {
  CallTrace::Scope call(trace_, "glob_expand", pattern);
  return TakeStringList(guestfs_glob_expand(handle_.get(), pattern.c_str()));
}

}  // namespace imageprobe::images
