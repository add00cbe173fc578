// SPDX-License-Identifier: Apache-2.0
#include "images/ext4_tree.h"

// com_err's header has no C++ linkage block of its own, and ext2fs.h includes it.
extern "C" {
#include <et/com_err.h>
}
#include <ext2fs/ext2fs.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "scanner/guest_path.h"

namespace imageprobe::images {
namespace {

// Symlink targets longer than PATH_MAX are corrupt; they are not read.
constexpr uint64_t kMaxSymlinkBytes = 4096;

std::string Why(errcode_t err) { return error_message(err); }

struct FsCloser {
  void operator()(ext2_filsys fs) const { ext2fs_close_free(&fs); }
};
using FsPtr = std::unique_ptr<std::remove_pointer_t<ext2_filsys>, FsCloser>;

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

FileStat StatOf(const ext2_inode& inode) {
  FileStat st;
  st.type = TypeOf(inode.i_mode);
  st.mode = inode.i_mode & 07777;
  st.uid = inode_uid(inode);
  st.gid = inode_gid(inode);
  st.size =
      st.type == FileType::kRegular || st.type == FileType::kSymlink ? EXT2_I_SIZE(&inode) : 0;
  st.mtime = static_cast<int64_t>(inode.i_mtime);
  return st;
}

class Walker {
 public:
  Walker(ext2_filsys fs, ArchiveIndex& index) : fs_(fs), index_(index) {}

  std::expected<ext2_ino_t, std::string> LookupDirectory(std::string_view dir) {
    ext2_ino_t ino = EXT2_ROOT_INO;
    std::string walked = "/";
    for (const auto& part : SplitGuestPath(dir)) {
      walked = JoinGuestPath(walked, part);
      ext2_ino_t next = 0;
      errcode_t err =
          ext2fs_lookup(fs_, ino, part.data(), static_cast<int>(part.size()), nullptr, &next);
      if (err) return std::unexpected(walked + ": " + Why(err));
      ext2_inode inode{};
      if ((err = ext2fs_read_inode(fs_, next, &inode))) {
        return std::unexpected(walked + ": " + Why(err));
      }
      if (!LINUX_S_ISDIR(inode.i_mode)) return std::unexpected(walked + ": not a directory");
      ino = next;
    }
    return ino;
  }

  // Depth-first, every entry placed before the walk goes below it.
  std::expected<void, std::string> AddDirectory(ext2_ino_t ino, const std::string& guest_path,
                                                int depth) {
    if (depth > kExt4MaxDepth) {
      return std::unexpected(guest_path + ": more than " + std::to_string(kExt4MaxDepth) +
                             " nested directories");
    }
    if (!entered_.insert(ino).second) return {};  // a corrupted tree looping back
    auto children = Children(ino, guest_path);
    if (!children) return std::unexpected(children.error());
    for (const auto& [name, child] : *children) {
      if (index_.size() >= index_.limits().max_entries) return std::unexpected(TooMany());
      std::string path = JoinGuestPath(guest_path, name);
      ext2_inode inode{};
      if (errcode_t err = ext2fs_read_inode(fs_, child, &inode)) {
        return std::unexpected(path + ": " + Why(err));
      }
      FileStat st = StatOf(inode);
      std::string target;
      std::optional<std::string> content;
      if (st.IsSymlink()) {
        auto read = SymlinkTarget(child, inode);
        if (!read) return std::unexpected(path + ": " + read.error());
        target = std::move(*read);
      } else if (st.IsRegular() && index_.KeepsContent(st.size)) {
        auto read = Content(child, st.size);
        if (!read) return std::unexpected(path + ": " + read.error());
        content = std::move(*read);
      }
      index_.AddEntry(path, st, std::move(target), std::move(content));
      if (st.IsDirectory()) {
        if (auto added = AddDirectory(child, path, depth + 1); !added) return added;
      }
    }
    return {};
  }

  void AddTop(ext2_ino_t ino, const std::string& guest_path) {
    ext2_inode inode{};
    if (ext2fs_read_inode(fs_, ino, &inode) == 0)
      index_.AddEntry(guest_path, StatOf(inode), "", {});
  }

 private:
  struct Listing {
    std::vector<std::pair<std::string, ext2_ino_t>> entries;
    size_t max_entries;  // a hostile directory of millions of entries is not held in memory
    bool bad_name = false;
    bool too_many = false;
  };

  static int Collect(ext2_ino_t, int, ext2_dir_entry* dirent, int, int, char*, void* priv) {
    auto* listing = static_cast<Listing*>(priv);
    std::string name(dirent->name, static_cast<size_t>(ext2fs_dirent_name_len(dirent)));
    if (name == "." || name == "..") return 0;
    // Names with "/" or NUL cannot exist in a sound ext4 directory; such a tree is corrupt.
    if (name.empty() || name.find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
      listing->bad_name = true;
      return DIRENT_ABORT;
    }
    if (listing->entries.size() >= listing->max_entries) {
      listing->too_many = true;
      return DIRENT_ABORT;
    }
    listing->entries.emplace_back(std::move(name), dirent->inode);
    return 0;
  }

  std::expected<std::vector<std::pair<std::string, ext2_ino_t>>, std::string> Children(
      ext2_ino_t ino, const std::string& guest_path) {
    Listing listing;
    listing.max_entries = index_.limits().max_entries;
    errcode_t err = ext2fs_dir_iterate2(fs_, ino, 0, nullptr, Collect, &listing);
    if (err) return std::unexpected(guest_path + ": " + Why(err));
    if (listing.bad_name) return std::unexpected(guest_path + ": corrupt directory entry name");
    if (listing.too_many) return std::unexpected(TooMany());
    return std::move(listing.entries);
  }

  std::expected<std::string, std::string> SymlinkTarget(ext2_ino_t ino, ext2_inode& inode) {
    uint64_t size = EXT2_I_SIZE(&inode);
    if (size > kMaxSymlinkBytes) return std::unexpected("symlink target longer than PATH_MAX");
    if (ext2fs_is_fast_symlink(&inode)) {
      const char* bytes = reinterpret_cast<const char*>(inode.i_block);
      return std::string(bytes, std::min<uint64_t>(size, sizeof inode.i_block));
    }
    if (inode.i_flags & EXT4_INLINE_DATA_FL) {
      std::string buf(kMaxSymlinkBytes + 64, '\0');
      size_t got = 0;
      if (errcode_t err = ext2fs_inline_data_get(fs_, ino, &inode, buf.data(), &got)) {
        return std::unexpected(Why(err));
      }
      buf.resize(std::min<uint64_t>(got, size));
      return buf;
    }
    return Content(ino, size);
  }

  std::expected<std::string, std::string> Content(ext2_ino_t ino, uint64_t size) {
    ext2_file_t file = nullptr;
    if (errcode_t err = ext2fs_file_open(fs_, ino, 0, &file)) return std::unexpected(Why(err));
    std::string data(size, '\0');
    uint64_t got = 0;
    errcode_t err = 0;
    while (got < size) {
      unsigned int n = 0;
      unsigned int want = static_cast<unsigned int>(std::min<uint64_t>(size - got, 1u << 20));
      if ((err = ext2fs_file_read(file, data.data() + got, want, &n)) || n == 0) break;
      got += n;
    }
    ext2fs_file_close(file);
    if (err) return std::unexpected(Why(err));
    data.resize(got);
    return data;
  }

  std::string TooMany() const {
    return "more than " + std::to_string(index_.limits().max_entries) + " entries";
  }

  ext2_filsys fs_;
  ArchiveIndex& index_;
  std::set<ext2_ino_t> entered_;
};

}  // namespace

std::expected<void, std::string> AddExt4Tree(const Ext4Source& source, std::string_view dir_in_fs,
                                             std::string_view guest_dir, ArchiveIndex& index) {
  static std::once_flag messages;  // com_err's table list is not thread-safe (diff opens two)
  std::call_once(messages, [] { initialize_ext2_error_table(); });
  std::string options = "offset=" + std::to_string(source.offset);
  ext2_filsys raw = nullptr;
  // No EXT2_FLAG_RW: unix_io opens the file O_RDONLY and libext2fs never writes.
  errcode_t err = ext2fs_open2(source.image_path.c_str(), options.c_str(), EXT2_FLAG_64BITS, 0, 0,
                               unix_io_manager, &raw);
  if (err) return std::unexpected("not readable as ext2/3/4: " + Why(err));
  FsPtr fs(raw);
  if (ext2fs_has_feature_journal_needs_recovery(fs->super)) {
    return std::unexpected("its journal needs recovery");
  }
  Walker walker(fs.get(), index);
  auto top = walker.LookupDirectory(dir_in_fs);
  if (!top) return std::unexpected(top.error());
  const std::string guest = NormalizeGuestPath(guest_dir);
  walker.AddTop(*top, guest);
  return walker.AddDirectory(*top, guest, 0);
}

}  // namespace imageprobe::images
