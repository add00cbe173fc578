// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs_fs.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "scanner/cancel.h"
#include "scanner/guest_path.h"

namespace imageprobe::images {
namespace {

constexpr int kReadChunk = 1 << 20;     // well under libguestfs' 4 MiB message limit
constexpr size_t kLstatBatch = 1000;    // names per lstatnslist call
// A directory up to this size (a few hundred entries) is listed whole to answer one lookup.
constexpr uint64_t kListParentMaxBytes = 32 * 1024;

FileType TypeFromMode(uint32_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return FileType::kRegular;
    case S_IFDIR: return FileType::kDirectory;
    case S_IFLNK: return FileType::kSymlink;
    case S_IFCHR: return FileType::kCharDevice;
    case S_IFBLK: return FileType::kBlockDevice;
    case S_IFIFO: return FileType::kFifo;
    case S_IFSOCK: return FileType::kSocket;
    default: return FileType::kUnknown;
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
    case ENOENT: return FsErrc::kNotFound;
    case ENOTDIR: return FsErrc::kNotDirectory;
    case EACCES:
    case EPERM: return FsErrc::kPermission;
    case ELOOP: return FsErrc::kSymlinkLoop;
    default: return FsErrc::kIo;
  }
}

// An anonymous in-memory file that libguestfs can write to by name (/proc/self/fd/N).
class MemFile {
 public:
  MemFile() : fd_(memfd_create("imageprobe-tar", MFD_CLOEXEC)) {}
  ~MemFile() {
    if (fd_ >= 0) close(fd_);
  }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  bool ok() const { return fd_ >= 0; }
  std::string name() const { return "/proc/self/fd/" + std::to_string(fd_); }
  uint64_t size() const {
    struct stat st {};
    return fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  }
  std::optional<std::string> ReadAll(uint64_t max_bytes) const {
    struct stat st {};
    if (fstat(fd_, &st) != 0 || static_cast<uint64_t>(st.st_size) > max_bytes) return std::nullopt;
    std::string data(static_cast<size_t>(st.st_size), '\0');
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = pread(fd_, data.data() + done, data.size() - done, static_cast<off_t>(done));
      if (n <= 0) return std::nullopt;
      done += static_cast<size_t>(n);
    }
    return data;
  }

 private:
  int fd_;
};

// "./a/b" or "a/b" under `prefix` -> "/prefix/a/b"; "./" or "." -> prefix.
std::string MemberPath(const std::string& prefix, std::string_view name) {
  return JoinGuestPath(prefix, NormalizeGuestPath(name).substr(1));
}

}  // namespace

GuestfsFs::GuestfsFs(std::shared_ptr<GuestfsHandle> handle, std::string description)
    : handle_(std::move(handle)), description_(std::move(description)) {}

std::vector<std::string> GuestfsFs::prefetched_prefixes() const { return prefixes_; }

const std::string* GuestfsFs::CoveringPrefix(std::string_view path) const {
  for (const auto& prefix : prefixes_) {
    if (GuestPathWithin(path, prefix)) return &prefix;
  }
  return nullptr;
}

FsResult<FileStat> GuestfsFs::LstatRemote(const std::string& path) const {
  if (auto it = stat_cache_.find(path); it != stat_cache_.end()) return it->second;
  if (missing_.contains(path)) return FsFail(FsErrc::kNotFound, path);
  if (path != "/") {
    // Answer from a listing of the parent: one readdir + lstatnslist serves every later lookup
    // in that directory, present or not. Large directories (/usr/bin) are asked per name.
    std::string parent = GuestDirname(path);
    if (!listed_dirs_.contains(parent)) {
      auto parent_stat = LstatRemote(parent);
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
  struct guestfs_statns* st = guestfs_lstatns(handle_->get(), path.c_str());
  if (st == nullptr) {
    FsErrc code = ErrcFromErrno(handle_->LastErrno());
    if (code == FsErrc::kNotFound) missing_.insert(path);
    return FsFail(code, path, handle_->LastError());
  }
  FileStat out = FromStatns(*st);
  guestfs_free_statns(st);
  stat_cache_.emplace(path, out);
  return out;
}

FsResult<FileStat> GuestfsFs::Lstat(std::string_view path) const {
  std::lock_guard lock(mutex_);
  if (CoveringPrefix(path) != nullptr) {
    auto it = tree_.find(path);
    if (it == tree_.end()) return FsFail(FsErrc::kNotFound, path);
    return it->second.stat;
  }
  return LstatRemote(std::string(path));
}

FsResult<std::vector<DirEntry>> GuestfsFs::List(std::string_view dir_view) const {
  std::lock_guard lock(mutex_);
  std::string dir(dir_view);
  if (CoveringPrefix(dir) != nullptr) {
    auto self = tree_.find(dir);
    if (self == tree_.end()) return FsFail(FsErrc::kNotFound, dir);
    if (!self->second.stat.IsDirectory()) return FsFail(FsErrc::kNotDirectory, dir);
    std::vector<DirEntry> entries;
    std::string lower = dir == "/" ? "/" : dir + "/";
    for (auto it = tree_.upper_bound(lower); it != tree_.end() && it->first.starts_with(lower);
         ++it) {
      std::string_view rest = std::string_view(it->first).substr(lower.size());
      if (rest.empty() || rest.find('/') != std::string_view::npos) continue;
      entries.push_back({std::string(rest), it->second.stat});
    }
    std::sort(entries.begin(), entries.end(),
              [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return entries;
  }

  auto self = LstatRemote(dir);
  if (!self) return std::unexpected(self.error());
  if (!self->IsDirectory()) return FsFail(FsErrc::kNotDirectory, dir);
  return ListRemote(dir);
}

FsResult<std::vector<DirEntry>> GuestfsFs::ListRemote(const std::string& dir) const {
  guestfs_dirent_list* dirents = guestfs_readdir(handle_->get(), dir.c_str());
  if (dirents == nullptr) {
    return FsFail(ErrcFromErrno(handle_->LastErrno()), dir, handle_->LastError());
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

  std::vector<DirEntry> entries;
  entries.reserve(names.size());
  for (size_t start = 0; start < names.size(); start += kLstatBatch) {
    size_t end = std::min(names.size(), start + kLstatBatch);
    std::vector<char*> argv;
    for (size_t i = start; i < end; ++i) argv.push_back(names[i].data());
    argv.push_back(nullptr);
    guestfs_statns_list* stats = guestfs_lstatnslist(handle_->get(), dir.c_str(), argv.data());
    if (stats == nullptr) {
      return FsFail(ErrcFromErrno(handle_->LastErrno()), dir, handle_->LastError());
    }
    for (size_t i = start; i < end && i - start < stats->len; ++i) {
      const struct guestfs_statns& st = stats->val[i - start];
      if (st.st_ino == -1) continue;  // vanished between readdir and lstat: cannot happen read-only
      FileStat stat = FromStatns(st);
      stat_cache_.emplace(JoinGuestPath(dir, names[i]), stat);
      entries.push_back({names[i], stat});
    }
    guestfs_free_statns_list(stats);
  }
  listed_dirs_.insert(dir);
  return entries;
}

FsResult<std::string> GuestfsFs::ReadLink(std::string_view path_view) const {
  std::lock_guard lock(mutex_);
  std::string path(path_view);
  if (CoveringPrefix(path) != nullptr) {
    auto it = tree_.find(path);
    if (it == tree_.end()) return FsFail(FsErrc::kNotFound, path);
    if (!it->second.stat.IsSymlink()) return FsFail(FsErrc::kIo, path, "not a symlink");
    return it->second.data;
  }
  auto st = LstatRemote(path);
  if (!st) return std::unexpected(st.error());
  if (!st->IsSymlink()) return FsFail(FsErrc::kIo, path, "not a symlink");
  char* target = guestfs_readlink(handle_->get(), path.c_str());
  if (target == nullptr) {
    return FsFail(ErrcFromErrno(handle_->LastErrno()), path, handle_->LastError());
  }
  return TakeString(target);
}

FsResult<std::string> GuestfsFs::ReadAt(std::string_view path_view, uint64_t offset,
                                        uint64_t length) const {
  std::lock_guard lock(mutex_);
  std::string path(path_view);
  if (CoveringPrefix(path) != nullptr) {
    auto it = tree_.find(path);
    if (it == tree_.end()) return FsFail(FsErrc::kNotFound, path);
    if (!it->second.stat.IsRegular()) return FsFail(FsErrc::kNotRegular, path);
    const std::string& data = it->second.data;
    if (offset >= data.size()) return std::string();
    return data.substr(offset, std::min<uint64_t>(length, data.size() - offset));
  }
  auto st = LstatRemote(path);
  if (!st) return std::unexpected(st.error());
  if (!st->IsRegular()) return FsFail(FsErrc::kNotRegular, path);
  std::string out;
  uint64_t end = std::min(st->size, offset + std::min(length, st->size));
  while (offset < end) {
    int count = static_cast<int>(std::min<uint64_t>(kReadChunk, end - offset));
    size_t got = 0;
    char* data =
        guestfs_pread(handle_->get(), path.c_str(), count, static_cast<int64_t>(offset), &got);
    if (data == nullptr) {
      return FsFail(ErrcFromErrno(handle_->LastErrno()), path, handle_->LastError());
    }
    out.append(data, got);
    free(data);
    if (got == 0) break;  // the file shrank; read-only, so only on a corrupt filesystem
    offset += got;
  }
  return out;
}

bool GuestfsFs::AncestorsAreDirectories(const std::string& path) const {
  std::string current;
  auto parts = SplitGuestPath(path);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    current += "/" + parts[i];
    auto st = LstatRemote(current);
    if (!st || !st->IsDirectory()) return false;
  }
  return true;
}

bool GuestfsFs::FetchTree(const std::string& dir, std::vector<std::string>& problems) {
  MemFile tar;
  if (!tar.ok()) {
    problems.push_back(dir + ": memfd_create failed");
    return false;
  }
  // A hostile tree (a 2 GiB sparse authorized_keys: tar_out has no sparse mode) would stream
  // gigabytes of zeros out of the appliance before the size check below could refuse them: a
  // watcher cancels the transfer as soon as it passes the limit (guestfs_user_cancel is
  // documented as callable from another thread during a download).
  std::atomic<bool> over_limit{false};
  int rc;
  {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::thread watcher([&] {
      std::unique_lock lock(m);
      while (!cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
        if (tar.size() > kMaxPrefetchBytes || CancelRequested()) {
          over_limit = true;
          guestfs_user_cancel(handle_->get());
          return;
        }
      }
    });
    rc = guestfs_tar_out_opts(handle_->get(), dir.c_str(), tar.name().c_str(),
                              GUESTFS_TAR_OUT_OPTS_NUMERICOWNER, 1, -1);
    {
      std::lock_guard lock(m);
      done = true;
    }
    cv.notify_all();
    watcher.join();
  }
  if (over_limit) {
    problems.push_back(dir + ": tree larger than the prefetch limit; read file by file");
    return false;
  }
  if (rc == -1) {
    problems.push_back(dir + ": tar_out failed: " + handle_->LastError());
    return false;
  }
  auto bytes = tar.ReadAll(kMaxPrefetchBytes);
  if (!bytes) {
    problems.push_back(dir + ": tree larger than the prefetch limit; read file by file");
    return false;
  }

  std::map<std::string, Node, std::less<>> nodes;
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  bool ok = archive_read_open_memory(a, bytes->data(), bytes->size()) == ARCHIVE_OK;
  archive_entry* entry = nullptr;
  while (ok) {
    int rc = archive_read_next_header(a, &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      ok = false;
      break;
    }
    const char* name = archive_entry_pathname(entry);
    if (name == nullptr) continue;
    std::string path = MemberPath(dir, name);
    if (const char* link = archive_entry_hardlink(entry)) {
      auto target = nodes.find(MemberPath(dir, link));
      if (target != nodes.end()) nodes[path] = target->second;
      continue;
    }
    Node node;
    mode_t mode = archive_entry_mode(entry);
    node.stat.type = TypeFromMode(mode);
    node.stat.mode = mode & 07777;
    node.stat.uid = static_cast<uint32_t>(archive_entry_uid(entry));
    node.stat.gid = static_cast<uint32_t>(archive_entry_gid(entry));
    node.stat.mtime = archive_entry_mtime(entry);
    if (node.stat.IsSymlink()) {
      const char* target = archive_entry_symlink(entry);
      node.data = target != nullptr ? target : "";
      node.stat.size = node.data.size();
    } else if (node.stat.IsRegular()) {
      int64_t size = archive_entry_size(entry);
      node.data.resize(size > 0 ? static_cast<size_t>(size) : 0);
      la_ssize_t got = archive_read_data(a, node.data.data(), node.data.size());
      if (got < 0 || static_cast<size_t>(got) != node.data.size()) {
        ok = false;
        break;
      }
      node.stat.size = node.data.size();
    }
    nodes[path] = std::move(node);
  }
  archive_read_free(a);
  if (!ok || !nodes.contains(dir)) {
    problems.push_back(dir + ": the appliance's tar stream could not be read; read file by file");
    return false;
  }
  prefetched_bytes_ += bytes->size();
  for (auto& [path, node] : nodes) tree_[path] = std::move(node);
  prefixes_.push_back(dir);
  std::sort(prefixes_.begin(), prefixes_.end());
  return true;
}

std::vector<std::string> GuestfsFs::Prefetch(std::span<const std::string> patterns) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> problems;
  std::vector<std::string> dirs;
  for (const auto& pattern : patterns) {
    std::string normal = NormalizeGuestPath(pattern);
    std::vector<std::string> matches;
    if (normal.find_first_of("*?[") != std::string::npos) {
      matches = TakeStringList(guestfs_glob_expand(handle_->get(), normal.c_str()));
    } else {
      matches.push_back(normal);
    }
    for (auto& match : matches) {
      match = NormalizeGuestPath(match);  // glob_expand adds a trailing "/" to directories
      // glob_expand follows symlinks inside the appliance; our contract does not, so a match
      // reached through a symlinked component is left to the resolver.
      if (!AncestorsAreDirectories(match)) continue;
      auto st = LstatRemote(match);
      if (st && st->IsDirectory()) dirs.push_back(match);
    }
  }
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  for (const auto& dir : dirs) {
    bool covered = std::any_of(prefixes_.begin(), prefixes_.end(),
                               [&](const std::string& p) { return GuestPathWithin(dir, p); });
    if (!covered) FetchTree(dir, problems);
  }
  return problems;
}

}  // namespace imageprobe::images
