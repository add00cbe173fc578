// SPDX-License-Identifier: Apache-2.0
#include "images/native/ext4_fs.h"

// com_err's header has no C++ linkage block of its own, and ext2fs.h includes it.
extern "C" {
#include <et/com_err.h>
}
#include <ext2fs/ext2fs.h>

#include <algorithm>
#include <cstddef>
#include <mutex>

#include "images/native/ext2_io_channel.h"
#include "images/native/jbd2_internal_journal.h"
#include "scanner/core/guest_path.h"

namespace imageprobe::images::native {
namespace {

constexpr uint64_t kMaxSymlinkBytes = 4096;  // PATH_MAX: a longer target is corruption
constexpr size_t kMaxCachedPaths = 200'000;

FileType TypeOf(uint16_t mode) {
  if (LINUX_S_ISREG(mode)) return FileType::kRegular;
  if (LINUX_S_ISDIR(mode)) return FileType::kDirectory;
  if (LINUX_S_ISLNK(mode)) return FileType::kSymlink;
  if (LINUX_S_ISCHR(mode)) return FileType::kCharDevice;
  if (LINUX_S_ISBLK(mode)) return FileType::kBlockDevice;
  if (LINUX_S_ISFIFO(mode)) return FileType::kFifo;
  if (LINUX_S_ISSOCK(mode)) return FileType::kSocket;
  return FileType::kUnknown;
}

// The kernel's ext4_isize: the high 32 bits count for regular files, and for directories
// only with the largedir feature.
uint64_t KernelSize(ext2_filsys fs, const ext2_inode& inode) {
  uint64_t low = inode.i_size;
  if (LINUX_S_ISREG(inode.i_mode) || ext2fs_has_feature_largedir(fs->super)) {
    return low | (static_cast<uint64_t>(inode.i_size_high) << 32);
  }
  return low;
}

// The kernel's ext4_decode_extra_time: the 32-bit field is signed, and an inode with room for
// i_mtime_extra adds its two epoch bits above it.
int64_t KernelMtime(ext2_filsys fs, const ext2_inode_large& inode) {
  int64_t seconds = static_cast<int32_t>(inode.i_mtime);
  constexpr size_t kExtraEnd =
      offsetof(ext2_inode_large, i_mtime_extra) + sizeof inode.i_mtime_extra;
  if (EXT2_INODE_SIZE(fs->super) > EXT2_GOOD_OLD_INODE_SIZE &&
      size_t{EXT2_GOOD_OLD_INODE_SIZE} + inode.i_extra_isize >= kExtraEnd) {
    seconds += static_cast<int64_t>(inode.i_mtime_extra & EXT4_EPOCH_MASK) << 32;
  }
  return seconds;
}

std::string Message(errcode_t err) { return error_message(err); }

struct Listing {
  std::vector<std::pair<std::string, ext2_ino_t>> entries;
  size_t max_entries = 0;
  bool too_many = false;
};

int Collect(ext2_ino_t, int, ext2_dir_entry* dirent, int, int, char*, void* priv) {
  auto* listing = static_cast<Listing*>(priv);
  std::string name(dirent->name, static_cast<size_t>(ext2fs_dirent_name_len(dirent)));
  if (name == "." || name == ".." || dirent->inode == 0) return 0;
  // A name with "/" or NUL cannot be a path component; such an entry is unreachable, and
  // skipping it keeps the rest of the directory.
  if (name.empty() || name.find_first_of(std::string_view("/\0", 2)) != std::string::npos) return 0;
  if (listing->entries.size() >= listing->max_entries) {
    listing->too_many = true;
    return DIRENT_ABORT;
  }
  listing->entries.emplace_back(std::move(name), dirent->inode);
  return 0;
}

// ext2fs_open2 over `device`, read-only, or the reason.
std::expected<ext2_filsys, std::string> OpenOn(const std::shared_ptr<const BlockDevice>& device) {
  std::string name = NameForOpen(device);
  ext2_filsys fs = nullptr;
  // No EXT2_FLAG_RW: libext2fs opens the channel read-only, and this channel cannot write.
  errcode_t err =
      ext2fs_open2(name.c_str(), nullptr, EXT2_FLAG_64BITS, 0, 0, BlockDeviceIoManager(), &fs);
  ForgetName(name);
  if (!err) return fs;
  std::string why = Message(err);
  if (fs != nullptr) {
    if (std::string below = LastChannelError(fs->io); !below.empty()) why += " (" + below + ")";
    ext2fs_free(fs);
  }
  if (err == EXT2_ET_UNSUPP_FEATURE || err == EXT2_ET_RO_UNSUPP_FEATURE) {
    return std::unexpected(std::string(Ext4Fs::kUnsupported) + why);
  }
  return std::unexpected(std::string(Ext4Fs::kNotReadable) + why);
}

}  // namespace

std::expected<std::unique_ptr<Ext4Fs>, std::string> Ext4Fs::Open(
    std::shared_ptr<const BlockDevice> device, std::string description, uint32_t max_entries) {
  static std::once_flag messages;  // com_err's table list is not thread-safe (diff opens two)
  std::call_once(messages, [] { initialize_ext2_error_table(); });
  auto fs = OpenOn(device);
  if (!fs) return std::unexpected(fs.error());
  std::optional<JournalReplaySummary> replayed;
  if (ext2fs_has_feature_journal_needs_recovery((*fs)->super) &&
      !ext2fs_has_feature_journal_dev((*fs)->super)) {
    // What the kernel's mount does first (ext4_load_journal): replay the journal, here into an
    // overlay, then read the filesystem the log leaves, its superblock included.
    auto overlay = ReplayInternalJournal(*fs, device);
    ext2fs_close_free(&*fs);
    if (!overlay)
      return std::unexpected("its journal needs recovery, not replayed natively: " +
                             overlay.error());
    replayed =
        JournalReplaySummary{(*overlay)->replay().transactions, (*overlay)->replay().blocks.size()};
    device = *overlay;
    fs = OpenOn(device);
    if (!fs) return std::unexpected(fs.error());
  }
  // The kernel checks every group descriptor at mount (ext4_check_descriptors) and refuses the
  // filesystem when a bitmap or inode table lies outside its group; libext2fs opens it anyway
  // and would read whatever those blocks hold.
  if (errcode_t bad = ext2fs_check_desc(*fs)) {
    std::string why = Message(bad);
    ext2fs_close_free(&*fs);
    return std::unexpected(std::string(kNotReadable) + why);
  }
  if (ext2fs_has_feature_journal_dev((*fs)->super)) {
    ext2fs_close_free(&*fs);
    return std::unexpected("it is an external journal, not a filesystem");
  }
  // The replayed superblock is the one the journal logged while the filesystem was mounted,
  // so it still says needs_recovery: the kernel clears that in memory after the replay.
  return std::make_unique<Ext4Fs>(*fs, std::move(device), std::move(description), max_entries,
                                  replayed);
}

Ext4Fs::Ext4Fs(struct_ext2_filsys* fs, std::shared_ptr<const BlockDevice> device,
               std::string description, uint32_t max_entries,
               std::optional<JournalReplaySummary> replayed)
    : fs_(fs),
      device_(std::move(device)),
      description_(std::move(description)),
      max_entries_(max_entries),
      replayed_(replayed) {}

Ext4Fs::~Ext4Fs() {
  ext2_filsys fs = fs_;
  ext2fs_close_free(&fs);
}

FsError Ext4Fs::Failure(long err, std::string_view path) const {
  std::string detail = Message(err);
  if (std::string below = LastChannelError(fs_->io); !below.empty()) detail += " (" + below + ")";
  return FsError{FsErrc::kIo, std::string(path), std::move(detail)};
}

FsResult<uint32_t> Ext4Fs::Lookup(std::string_view path) const {
  if (path == "/") return EXT2_ROOT_INO;
  std::string key(path);
  if (auto it = inodes_.find(key); it != inodes_.end()) return it->second;
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return FsFail(FsErrc::kNotFound, path);
  std::string_view parent = slash == 0 ? std::string_view("/") : path.substr(0, slash);
  std::string_view name = path.substr(slash + 1);
  auto parent_ino = Lookup(parent);
  if (!parent_ino) return std::unexpected(parent_ino.error());
  ext2_inode inode{};
  if (errcode_t err = ext2fs_read_inode(fs_, *parent_ino, &inode))
    return std::unexpected(Failure(err, parent));
  if (!LINUX_S_ISDIR(inode.i_mode)) return FsFail(FsErrc::kNotDirectory, parent);
  ext2_ino_t ino = 0;
  errcode_t err =
      ext2fs_lookup(fs_, *parent_ino, name.data(), static_cast<int>(name.size()), nullptr, &ino);
  if (err == EXT2_ET_FILE_NOT_FOUND) return FsFail(FsErrc::kNotFound, path);
  if (err) return std::unexpected(Failure(err, path));
  if (inodes_.size() < kMaxCachedPaths) inodes_.emplace(std::move(key), ino);
  return ino;
}

FsResult<FileStat> Ext4Fs::StatInode(uint32_t ino, std::string_view path) const {
  ext2_inode_large inode{};
  if (errcode_t err =
          ext2fs_read_inode_full(fs_, ino, reinterpret_cast<ext2_inode*>(&inode), sizeof inode)) {
    return std::unexpected(Failure(err, path));
  }
  const auto& small = *reinterpret_cast<const ext2_inode*>(&inode);
  FileStat st;
  st.type = TypeOf(inode.i_mode);
  st.mode = inode.i_mode & 07777;
  st.uid = inode_uid(inode);
  st.gid = inode_gid(inode);
  st.size = KernelSize(fs_, small);
  st.mtime = KernelMtime(fs_, inode);
  return st;
}

FsResult<FileStat> Ext4Fs::Lstat(std::string_view path) const {
  std::lock_guard lock(mutex_);
  auto ino = Lookup(path);
  if (!ino) return std::unexpected(ino.error());
  return StatInode(*ino, path);
}

FsResult<std::vector<DirEntry>> Ext4Fs::List(std::string_view dir) const {
  std::lock_guard lock(mutex_);
  auto ino = Lookup(dir);
  if (!ino) return std::unexpected(ino.error());
  auto st = StatInode(*ino, dir);
  if (!st) return std::unexpected(st.error());
  if (!st->IsDirectory()) return FsFail(FsErrc::kNotDirectory, dir);
  Listing listing;
  listing.max_entries = max_entries_;
  if (errcode_t err = ext2fs_dir_iterate2(fs_, *ino, 0, nullptr, Collect, &listing)) {
    return std::unexpected(Failure(err, dir));
  }
  if (listing.too_many) {
    return FsFail(FsErrc::kLimit, dir, "more than " + std::to_string(max_entries_) + " entries");
  }
  std::vector<DirEntry> entries;
  entries.reserve(listing.entries.size());
  for (auto& [name, child] : listing.entries) {
    std::string path = JoinGuestPath(dir, name);
    auto child_st = StatInode(child, path);
    if (!child_st) return std::unexpected(child_st.error());
    if (inodes_.size() < kMaxCachedPaths) inodes_.emplace(path, child);
    entries.push_back({std::move(name), *child_st});
  }
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  // Two entries of one name mean a corrupt directory; the kernel's lookup finds the first.
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const DirEntry& a, const DirEntry& b) { return a.name == b.name; }),
                entries.end());
  return entries;
}

FsResult<std::string> Ext4Fs::ReadLink(std::string_view path) const {
  std::lock_guard lock(mutex_);
  auto ino = Lookup(path);
  if (!ino) return std::unexpected(ino.error());
  ext2_inode inode{};
  if (errcode_t err = ext2fs_read_inode(fs_, *ino, &inode))
    return std::unexpected(Failure(err, path));
  if (!LINUX_S_ISLNK(inode.i_mode)) return FsFail(FsErrc::kIo, path, "not a symlink");
  uint64_t size = EXT2_I_SIZE(&inode);
  if (size > kMaxSymlinkBytes) return FsFail(FsErrc::kIo, path, "symlink target too long");
  if (ext2fs_is_fast_symlink(&inode)) {
    return std::string(reinterpret_cast<const char*>(inode.i_block),
                       std::min<uint64_t>(size, sizeof inode.i_block));
  }
  std::string target(kMaxSymlinkBytes + 64, '\0');
  if (inode.i_flags & EXT4_INLINE_DATA_FL) {
    size_t got = 0;
    if (errcode_t err = ext2fs_inline_data_get(fs_, *ino, &inode, target.data(), &got)) {
      return std::unexpected(Failure(err, path));
    }
    target.resize(std::min<uint64_t>(got, size));
    return target;
  }
  ext2_file_t file = nullptr;
  if (errcode_t err = ext2fs_file_open2(fs_, *ino, &inode, 0, &file)) {
    return std::unexpected(Failure(err, path));
  }
  unsigned int got = 0;
  errcode_t err = ext2fs_file_read(file, target.data(), static_cast<unsigned int>(size), &got);
  ext2fs_file_close(file);
  if (err) return std::unexpected(Failure(err, path));
  target.resize(got);
  // The kernel reads a slow symlink as a C string.
  target.resize(std::min(target.size(), target.find('\0')));
  return target;
}

FsResult<std::string> Ext4Fs::ReadAt(std::string_view path, uint64_t offset,
                                     uint64_t length) const {
  std::lock_guard lock(mutex_);
  auto ino = Lookup(path);
  if (!ino) return std::unexpected(ino.error());
  ext2_inode inode{};
  if (errcode_t err = ext2fs_read_inode(fs_, *ino, &inode))
    return std::unexpected(Failure(err, path));
  if (!LINUX_S_ISREG(inode.i_mode)) return FsFail(FsErrc::kNotRegular, path);
  uint64_t size = KernelSize(fs_, inode);
  if (offset >= size || length == 0) return std::string();
  uint64_t want = std::min(length, size - offset);
  ext2_file_t file = nullptr;
  if (errcode_t err = ext2fs_file_open2(fs_, *ino, &inode, 0, &file)) {
    return std::unexpected(Failure(err, path));
  }
  std::string data(want, '\0');
  uint64_t got = 0;
  errcode_t err = ext2fs_file_llseek(file, offset, EXT2_SEEK_SET, nullptr);
  while (!err && got < want) {
    unsigned int n = 0;
    auto chunk = static_cast<unsigned int>(std::min<uint64_t>(want - got, 1u << 20));
    err = ext2fs_file_read(file, data.data() + got, chunk, &n);
    if (n == 0) break;
    got += n;
  }
  ext2fs_file_close(file);
  if (err) return std::unexpected(Failure(err, path));
  if (got < want) return FsFail(FsErrc::kIo, path, "file ends before its size says");
  return data;
}

}  // namespace imageprobe::images::native
