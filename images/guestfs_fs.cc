// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs_fs.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>

#include "images/bulk_homes.h"
#include "images/ext4_tree.h"
#include "scanner/guest_path.h"
#include "scanner/parse/passwd.h"
#include "scanner/trace.h"

namespace imageprobe::images {
namespace {

constexpr int kReadChunk = 1 << 20;   // well under libguestfs' 4 MiB message limit
constexpr size_t kLstatBatch = 1000;  // names per lstatnslist call
// A directory up to this size (a few hundred entries) is listed whole to answer one lookup.
constexpr uint64_t kListParentMaxBytes = 32 * 1024;
// /etc/passwd read to expand "~/" patterns.
constexpr uint64_t kMaxPasswdBytes = 16ull << 20;

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

bool HasGlobChars(std::string_view s) { return s.find_first_of("*?[\\") != std::string_view::npos; }

// A member name for GNU tar's exclude list, matched literally: "./" + path, with the wildcard
// characters escaped (tar then keeps the pattern in its hash table, so 10,000s of excludes cost
// one lookup per member).
std::string TarExclude(std::string_view relative) {
  std::string out = "./";
  for (char c : relative) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// SIGPIPE blocked in this thread for the scope: a tar_out whose reader stopped reading fails
// with EPIPE (libguestfs then cancels the transfer) instead of killing the process. A SIGPIPE
// raised meanwhile is consumed before the old mask comes back.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlocked() {
    if (sigismember(&old_, SIGPIPE)) return;
    struct timespec zero {};
    while (sigtimedwait(&pipe_, nullptr, &zero) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_{}, old_{};
};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

}  // namespace

// Counts one appliance call, and prints it under IMAGEPROBE_TRACE.
class GuestfsFs::CallScope {
 public:
  CallScope(const GuestfsFs& fs, const char* name, std::string_view path)
      : fs_(fs), name_(name), path_(path), start_(std::chrono::steady_clock::now()) {}
  ~CallScope() {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    CallStat& stat = fs_.calls_[name_];
    ++stat.count;
    stat.seconds += seconds;
    if (fs_.trace_) {
      std::fprintf(stderr, "guestfs: %s %.*s %.1f ms\n", name_, static_cast<int>(path_.size()),
                   path_.data(), seconds * 1000);
    }
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  const GuestfsFs& fs_;
  const char* name_;
  std::string_view path_;
  std::chrono::steady_clock::time_point start_;
};

GuestfsFs::GuestfsFs(std::shared_ptr<GuestfsHandle> handle, std::string description)
    : handle_(std::move(handle)), description_(std::move(description)) {
  trace_ = TraceEnabled();
}

GuestfsFs::~GuestfsFs() {
  if (!trace_) return;
  uint64_t total = 0;
  double seconds = 0;
  for (const auto& [name, stat] : calls_) {
    std::fprintf(stderr, "guestfs calls on %s: %-12s %6llu  %.3f s\n", description_.c_str(),
                 name.c_str(), static_cast<unsigned long long>(stat.count), stat.seconds);
    total += stat.count;
    seconds += stat.seconds;
  }
  std::fprintf(stderr, "guestfs calls on %s: %-12s %6llu  %.3f s\n", description_.c_str(), "total",
               static_cast<unsigned long long>(total), seconds);
}

std::vector<std::string> GuestfsFs::prefetched_prefixes() const {
  std::vector<std::string> out;
  for (const auto& [prefix, index] : covered_) out.push_back(prefix);
  return out;
}

std::map<std::string, uint64_t> GuestfsFs::call_counts() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, uint64_t> out;
  for (const auto& [name, stat] : calls_) out[name] = stat.count;
  return out;
}

const ArchiveIndex* GuestfsFs::CoveringIndex(std::string_view path) const {
  if (covered_.empty()) return nullptr;
  std::string_view p = path;
  for (;;) {
    if (auto it = covered_.find(p); it != covered_.end()) return it->second.get();
    if (p.size() <= 1) return nullptr;
    size_t slash = p.rfind('/');
    if (slash == std::string_view::npos) return nullptr;
    p = slash == 0 ? std::string_view("/") : p.substr(0, slash);
  }
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
  struct guestfs_statns* st;
  {
    CallScope call(*this, "lstatns", path);
    st = guestfs_lstatns(handle_->get(), path.c_str());
  }
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
  if (const ArchiveIndex* index = CoveringIndex(path)) {
    const auto* node = index->Find(path);
    if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
    return node->stat;
  }
  return LstatRemote(std::string(path));
}

FsResult<std::vector<DirEntry>> GuestfsFs::List(std::string_view dir) const {
  std::lock_guard lock(mutex_);
  return ListLocked(std::string(dir));
}

FsResult<std::vector<DirEntry>> GuestfsFs::ListLocked(const std::string& dir) const {
  if (const ArchiveIndex* index = CoveringIndex(dir)) {
    const auto* self = index->Find(dir);
    if (self == nullptr) return FsFail(FsErrc::kNotFound, dir);
    if (!self->stat.IsDirectory()) return FsFail(FsErrc::kNotDirectory, dir);
    if (self->children.size() > kMaxEntries) {
      return FsFail(FsErrc::kLimit, dir,
                    std::to_string(self->children.size()) + " entries > limit " +
                        std::to_string(kMaxEntries));
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

  auto self = LstatRemote(dir);
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

FsResult<std::vector<DirEntry>> GuestfsFs::ListRemote(const std::string& dir) const {
  guestfs_dirent_list* dirents;
  {
    CallScope call(*this, "readdir", dir);
    dirents = guestfs_readdir(handle_->get(), dir.c_str());
  }
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
  if (!StatNames(dir, names)) {
    return FsFail(ErrcFromErrno(handle_->LastErrno()), dir, handle_->LastError());
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
      CallScope call(*this, "readlinklist", dir);
      targets = guestfs_readlinklist(handle_->get(), dir.c_str(), argv.data());
    }
    auto list = TakeStringList(targets);
    for (size_t i = 0; i < list.size() && i < links.size(); ++i) {
      if (!list[i].empty()) link_cache_.emplace(JoinGuestPath(dir, links[i]), list[i]);
    }
  }
  return entries;
}

bool GuestfsFs::StatNames(const std::string& dir, const std::vector<std::string>& names) const {
  for (size_t start = 0; start < names.size(); start += kLstatBatch) {
    size_t end = std::min(names.size(), start + kLstatBatch);
    std::vector<char*> argv;
    for (size_t i = start; i < end; ++i) argv.push_back(const_cast<char*>(names[i].c_str()));
    argv.push_back(nullptr);
    guestfs_statns_list* stats;
    {
      CallScope call(*this, "lstatnslist", dir);
      stats = guestfs_lstatnslist(handle_->get(), dir.c_str(), argv.data());
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

FsResult<std::string> GuestfsFs::ReadLink(std::string_view path_view) const {
  std::lock_guard lock(mutex_);
  std::string path(path_view);
  if (const ArchiveIndex* index = CoveringIndex(path)) {
    const auto* node = index->Find(path);
    if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
    if (!node->stat.IsSymlink()) return FsFail(FsErrc::kIo, path, "not a symlink");
    return node->symlink_target;
  }
  auto st = LstatRemote(path);
  if (!st) return std::unexpected(st.error());
  if (!st->IsSymlink()) return FsFail(FsErrc::kIo, path, "not a symlink");
  if (auto it = link_cache_.find(path); it != link_cache_.end()) return it->second;
  char* target;
  {
    CallScope call(*this, "readlink", path);
    target = guestfs_readlink(handle_->get(), path.c_str());
  }
  if (target == nullptr) {
    return FsFail(ErrcFromErrno(handle_->LastErrno()), path, handle_->LastError());
  }
  std::string out = TakeString(target);
  link_cache_.emplace(path, out);
  return out;
}

FsResult<std::string> GuestfsFs::ReadAt(std::string_view path_view, uint64_t offset,
                                        uint64_t length) const {
  std::lock_guard lock(mutex_);
  std::string path(path_view);
  if (const ArchiveIndex* index = CoveringIndex(path)) {
    const auto* node = index->Find(path);
    if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
    if (!node->stat.IsRegular()) return FsFail(FsErrc::kNotRegular, path);
    // Over the prefetch budget: the appliance still has it.
    if (!node->content_kept()) return ReadRemote(path, offset, length);
    return index->Read(path, offset, length);
  }
  return ReadRemote(path, offset, length);
}

FsResult<std::string> GuestfsFs::ReadRemote(const std::string& path, uint64_t offset,
                                            uint64_t length) const {
  uint64_t size = 0;
  if (const ArchiveIndex* index = CoveringIndex(path)) {
    size = index->Find(path)->stat.size;  // ReadAt checked it is a regular file
  } else {
    auto st = LstatRemote(path);
    if (!st) return std::unexpected(st.error());
    if (!st->IsRegular()) return FsFail(FsErrc::kNotRegular, path);
    size = st->size;
  }
  // Several probes read the same small files (/etc/passwd, dpkg's status): whole reads of
  // files under the inline limit are kept, within the prefetch memory budget.
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
      CallScope call(*this, "pread", path);
      data = guestfs_pread(handle_->get(), path.c_str(), count, static_cast<int64_t>(offset), &got);
    }
    if (data == nullptr) {
      return FsFail(ErrcFromErrno(handle_->LastErrno()), path, handle_->LastError());
    }
    out.append(data, got);
    free(data);
    if (got == 0) break;  // the file shrank; read-only, so only on a corrupt filesystem
    offset += got;
  }
  if (whole && inline_bytes_ + out.size() <= kMaxInlineTotalBytes) {
    inline_bytes_ += out.size();
    content_cache_.emplace(path, out);
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

std::vector<std::string> GuestfsFs::Glob(const std::string& pattern) const {
  CallScope call(*this, "glob_expand", pattern);
  return TakeStringList(guestfs_glob_expand(handle_->get(), pattern.c_str()));
}

void GuestfsFs::ReadTreesFromRawImage(std::string image_path,
                                      std::vector<MountedFilesystem> mounts) {
  std::lock_guard lock(mutex_);
  raw_image_path_ = std::move(image_path);
  mounts_ = std::move(mounts);
}

ArchiveLimits GuestfsFs::TreeLimits() const {
  ArchiveLimits limits;
  limits.max_inline_file_bytes = kMaxInlineFileBytes;
  limits.max_inline_total_bytes =
      inline_bytes_ < kMaxInlineTotalBytes ? kMaxInlineTotalBytes - inline_bytes_ : 0;
  return limits;
}

std::optional<uint64_t> GuestfsFs::DeviceOffset(const std::string& device) {
  // GuestfsImage adds one drive: /dev/sda, its partitions /dev/sdaN (guestfs(3)).
  const std::string disk = "/dev/sda";
  if (device == disk) return 0;
  if (!device.starts_with(disk) || device.size() == disk.size() ||
      !std::all_of(device.begin() + disk.size(), device.end(), ::isdigit) ||
      device.size() > disk.size() + 3) {
    return std::nullopt;  // LVM, md, …: not a byte range of the file
  }
  if (!partition_starts_) {
    partition_starts_.emplace();
    CallScope call(*this, "part_list", disk);
    if (guestfs_partition_list* list = guestfs_part_list(handle_->get(), disk.c_str())) {
      for (uint32_t i = 0; i < list->len; ++i) {
        const auto& p = list->val[i];
        (*partition_starts_)[p.part_num] = p.part_start;
      }
      guestfs_free_partition_list(list);
    }
  }
  auto it = partition_starts_->find(std::stoi(device.substr(disk.size())));
  if (it == partition_starts_->end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<ArchiveIndex> GuestfsFs::ReadFromImageFile(const std::string& dir,
                                                           std::string& why) {
  if (raw_image_path_.empty()) return nullptr;
  const MountedFilesystem* holder = nullptr;
  for (const auto& m : mounts_) {
    if (GuestPathWithin(dir, m.mountpoint) &&
        (holder == nullptr || m.mountpoint.size() > holder->mountpoint.size())) {
      holder = &m;
    }
  }
  if (holder == nullptr) return nullptr;
  std::string type = holder->type;
  if (type.empty()) {
    CallScope call(*this, "vfs_type", holder->device);
    if (char* t = guestfs_vfs_type(handle_->get(), holder->device.c_str())) type = TakeString(t);
  }
  if (type != "ext2" && type != "ext3" && type != "ext4") return nullptr;
  // tar in the appliance crosses into filesystems mounted below `dir`; one filesystem cannot.
  for (const auto& m : mounts_) {
    if (&m != holder && GuestPathWithin(m.mountpoint, dir)) return nullptr;
  }
  auto offset = DeviceOffset(holder->device);
  if (!offset) return nullptr;
  std::string in_fs = "/";
  if (dir.size() > holder->mountpoint.size()) {
    in_fs = holder->mountpoint == "/" ? dir : dir.substr(holder->mountpoint.size());
  }
  auto index = std::make_shared<ArchiveIndex>(TreeLimits());
  CallScope call(*this, "host_ext4_read", dir);  // traced with the appliance calls it replaces
  auto added = AddExt4Tree({raw_image_path_, *offset}, in_fs, dir, *index);
  if (!added) {
    why = dir + ": reading " + holder->device + " from the image file failed (" + added.error() +
          "); streamed by the appliance instead";
    return nullptr;
  }
  return index;
}

std::expected<std::shared_ptr<ArchiveIndex>, std::string> GuestfsFs::StreamTree(
    const std::string& dir, const std::vector<std::string>& excludes) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return std::unexpected(std::string("pipe2 failed"));
  Fd read_end(fds[0]), write_end(fds[1]);
  auto index = std::make_shared<ArchiveIndex>(TreeLimits());

  // The reader indexes the stream as it comes, then drains the tar's end padding. It stops
  // reading only when the stream is over budget or corrupt: closing its end makes the
  // appliance's side fail with EPIPE, and libguestfs cancels the transfer.
  std::expected<void, std::string> parsed;
  std::thread reader([&] {
    parsed = index->AddFromFd(read_end.get(), dir, kMaxTreeStreamBytes);
    if (parsed) {
      char sink[4096];
      while (::read(read_end.get(), sink, sizeof sink) > 0) {
      }
    }
    read_end.Close();
  });

  std::vector<char*> argv;
  for (const auto& e : excludes) argv.push_back(const_cast<char*>(e.c_str()));
  argv.push_back(nullptr);
  std::string target = "/proc/self/fd/" + std::to_string(write_end.get());
  int rc;
  {
    SigpipeBlocked no_sigpipe;
    CallScope call(*this, "tar_out", dir);
    rc = excludes.empty() ? guestfs_tar_out_opts(handle_->get(), dir.c_str(), target.c_str(),
                                                 GUESTFS_TAR_OUT_OPTS_NUMERICOWNER, 1, -1)
                          : guestfs_tar_out_opts(handle_->get(), dir.c_str(), target.c_str(),
                                                 GUESTFS_TAR_OUT_OPTS_NUMERICOWNER, 1,
                                                 GUESTFS_TAR_OUT_OPTS_EXCLUDES, argv.data(), -1);
  }
  std::string call_error = rc == -1 ? handle_->LastError() : "";
  write_end.Close();  // with libguestfs' own descriptor closed, the reader sees the end
  reader.join();
  if (!parsed) return std::unexpected(dir + ": " + parsed.error());
  if (rc == -1) return std::unexpected(dir + ": tar_out failed: " + call_error);
  const auto* root = index->Find(dir);
  if (root == nullptr || !root->stat.IsDirectory()) {
    return std::unexpected(dir + ": the appliance's tar stream has no top directory");
  }
  inline_bytes_ += index->inline_bytes();
  prefetched_bytes_ += index->inline_bytes();
  return index;
}

std::expected<std::shared_ptr<ArchiveIndex>, std::string> GuestfsFs::WholeTree(
    const std::string& dir, std::vector<std::string>& problems) {
  std::string why;
  if (auto index = ReadFromImageFile(dir, why)) {
    inline_bytes_ += index->inline_bytes();
    prefetched_bytes_ += index->inline_bytes();
    return index;
  }
  if (!why.empty()) problems.push_back(why);
  return StreamTree(dir, {});
}

bool GuestfsFs::FetchTree(const std::string& dir, std::vector<std::string>& problems) {
  auto index = WholeTree(dir, problems);
  if (!index) {
    problems.push_back(index.error() + "; read file by file");
    return false;
  }
  covered_.emplace(dir, std::move(*index));
  return true;
}

void GuestfsFs::FetchWhole(const std::string& dir, std::vector<std::string>& problems) {
  if (CoveringIndex(dir) != nullptr) return;
  // As for any prefetched tree: never through a symlinked component (the appliance would
  // follow it), so a symlinked /home is left to the resolver.
  if (!AncestorsAreDirectories(dir)) return;
  auto st = LstatRemote(dir);
  if (!st || !st->IsDirectory()) return;
  auto index = WholeTree(dir, problems);
  if (!index) {
    problems.push_back(index.error() + "; the homes under it are read one by one");
    return;
  }
  covered_.emplace(dir, std::move(*index));
}

bool GuestfsFs::FetchTrees(std::vector<std::string> dirs, std::vector<std::string>& problems) {
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  std::vector<std::string> wanted;  // without those inside another
  for (const auto& dir : dirs) {
    if (CoveringIndex(dir) != nullptr) continue;
    if (!wanted.empty() && GuestPathWithin(dir, wanted.back())) continue;
    wanted.push_back(dir);
  }
  if (wanted.empty()) return true;
  if (wanted.size() == 1) return FetchTree(wanted.front(), problems);

  // One tar_out of the common ancestor, without every entry of the directories on the way that
  // is neither a wanted tree nor on the way to one. Those directories are listed (most already
  // are: AncestorsAreDirectories listed them).
  std::string top = wanted.front();
  for (const auto& dir : wanted) {
    while (!GuestPathWithin(dir, top)) top = GuestDirname(top);
  }
  std::set<std::string> on_the_way;
  for (const auto& dir : wanted) {
    for (std::string d = GuestDirname(dir);; d = GuestDirname(d)) {
      if (!GuestPathWithin(d, top)) break;
      on_the_way.insert(d);
      if (d == top) break;
    }
  }
  const std::set<std::string> keep(wanted.begin(), wanted.end());
  std::vector<std::string> excludes;
  bool ok = true;
  for (const auto& dir : on_the_way) {
    auto entries = ListLocked(dir);
    if (!entries) {
      ok = false;
      break;
    }
    for (const auto& entry : *entries) {
      std::string path = JoinGuestPath(dir, entry.name);
      if (keep.contains(path) || on_the_way.contains(path)) continue;
      if (path.find('\n') != std::string::npos) {  // tar's exclude file is one line per name
        ok = false;
        break;
      }
      excludes.push_back(TarExclude(top == "/" ? path.substr(1) : path.substr(top.size() + 1)));
    }
    if (!ok) break;
  }
  if (ok) {
    auto index = StreamTree(top, excludes);
    if (index) {
      std::shared_ptr<const ArchiveIndex> shared = std::move(*index);
      for (const auto& dir : wanted) {
        const auto* node = shared->Find(dir);
        if (node != nullptr && node->stat.IsDirectory()) covered_.emplace(dir, shared);
      }
      return true;
    }
    problems.push_back(index.error() + "; fetching the trees one by one");
  }
  bool all = true;
  for (const auto& dir : wanted) all = FetchTree(dir, problems) && all;
  return all;
}

std::vector<std::string> GuestfsFs::PasswdHomes() {
  std::vector<std::string> homes;
  const std::string passwd = "/etc/passwd";
  FsResult<std::string> text = FsFail(FsErrc::kNotFound, passwd);
  if (const ArchiveIndex* index = CoveringIndex(passwd)) {
    const auto* node = index->Find(passwd);
    if (node != nullptr && node->stat.IsRegular() && node->content_kept()) {
      text = index->Read(passwd, 0, kMaxPasswdBytes);
    }
  } else if (auto st = LstatRemote(passwd); st && st->IsRegular() && st->size <= kMaxPasswdBytes) {
    text = ReadRemote(passwd, 0, kMaxPasswdBytes);
  }
  if (!text) return homes;  // the probes report a missing or unreadable passwd themselves
  // The probes' parser (UsersOf), so that exactly the homes of the accounts they see are fetched.
  for (const parse::PasswdEntry& entry : parse::ParsePasswd(*text).entries) {
    const std::string& home = entry.home;
    if (!home.starts_with('/') || home.find('\0') != std::string::npos) continue;
    homes.push_back(NormalizeGuestPath(home));
  }
  std::sort(homes.begin(), homes.end());
  homes.erase(std::unique(homes.begin(), homes.end()), homes.end());
  return homes;
}

std::vector<std::string> GuestfsFs::Prefetch(std::span<const std::string> patterns) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> problems;
  // "~/REST" is REST under every home in /etc/passwd (homes outside /home included).
  std::vector<std::string> home_rests;
  std::vector<std::string> singles;
  for (const auto& pattern : patterns) {
    if (pattern.starts_with("~/")) {
      std::string rest = NormalizeGuestPath(std::string_view(pattern).substr(1)).substr(1);
      if (!rest.empty() && !HasGlobChars(rest)) home_rests.push_back(rest);
      continue;
    }
    singles.push_back(NormalizeGuestPath(pattern));
  }
  if (!home_rests.empty()) {
    std::vector<std::string> homes = PasswdHomes();
    for (const auto& home : homes) {
      for (const auto& rest : home_rests) singles.push_back(JoinGuestPath(home, rest));
    }
    // Many homes in one directory (/home on a shared host): that directory in ONE tar_out, so
    // that nothing under it costs a call per home. Typical homes are nearly empty; when the
    // stream passes its budget it is cancelled and the homes take the per-home path below.
    for (const auto& parent : CrowdedHomeParents(homes, kBulkMinHomes)) {
      FetchWhole(parent, problems);
    }
  }

  std::vector<std::string> dirs;
  for (const auto& pattern : singles) {
    // Under a tree already in memory (a streamed /home): globs and lookups are answered there.
    if (CoveringIndex(GlobLiteralPrefix(pattern)) != nullptr) continue;
    std::vector<std::string> matches;
    if (HasGlobChars(pattern)) {
      matches = Glob(pattern);
    } else {
      matches.push_back(pattern);
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
  FetchTrees(std::move(dirs), problems);
  return problems;
}

}  // namespace imageprobe::images
