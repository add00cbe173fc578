// SPDX-License-Identifier: Apache-2.0
#include "images/native/xfs_fs.h"

#include <algorithm>

#include "images/byte_reader.h"
#include "images/native/crc32c.h"
#include "images/native/xfs_dir.h"
#include "images/native/xfs_log.h"
#include "scanner/core/guest_path.h"

namespace imageprobe::images::native {
namespace {

constexpr uint64_t kMaxSymlinkBytes = 1024;  // XFS_SYMLINK_MAXLEN: longer is corruption
constexpr size_t kMaxCachedPaths = 200'000;
constexpr size_t kRemoteSymlinkHeader = 56;  // struct xfs_dsymlink_hdr ("XSLM")

FileType TypeOf(uint16_t mode) {
  switch (mode & 0170000) {
    case 0100000:
      return FileType::kRegular;
    case 0040000:
      return FileType::kDirectory;
    case 0120000:
      return FileType::kSymlink;
    case 0020000:
      return FileType::kCharDevice;
    case 0060000:
      return FileType::kBlockDevice;
    case 0010000:
      return FileType::kFifo;
    case 0140000:
      return FileType::kSocket;
    default:
      return FileType::kUnknown;
  }
}

FsError Io(std::string_view path, std::string detail) {
  return FsError{FsErrc::kIo, std::string(path), std::move(detail)};
}

}  // namespace

std::expected<std::unique_ptr<XfsFs>, std::string> XfsFs::Open(
    std::shared_ptr<const BlockDevice> device, std::string description, uint32_t max_entries) {
  auto head = device->Read(0, std::min<uint64_t>(device->size(), 32768));
  if (!head) return std::unexpected(std::string(kNotReadable) + head.error());
  auto sb = ParseXfsSuperblock(*head);
  if (!sb) {
    if (sb.error().starts_with(kUnsupported)) return std::unexpected(sb.error());
    return std::unexpected(std::string(kNotReadable) + sb.error());
  }
  // xfs_check_sizes: the mount refuses a filesystem larger than its device.
  if (sb->data_blocks > device->size() >> sb->block_log) {
    return std::unexpected(std::string(kNotReadable) + "filesystem is larger than its device");
  }
  if (auto clean = CheckXfsLogClean(*device, *sb); !clean) {
    if (clean.error().starts_with(kXfsLogDirty)) return std::unexpected(std::string(kXfsLogDirty));
    return std::unexpected(std::string(kNotReadable) + clean.error());
  }
  auto root = ReadXfsInode(*device, *sb, sb->root_ino);
  if (!root) return std::unexpected(std::string(kNotReadable) + "root " + root.error());
  if (TypeOf(root->mode) != FileType::kDirectory) {
    return std::unexpected(std::string(kNotReadable) + "root inode is not a directory");
  }
  return std::make_unique<XfsFs>(std::move(device), *sb, std::move(description), max_entries);
}

XfsFs::XfsFs(std::shared_ptr<const BlockDevice> device, XfsSuperblock sb, std::string description,
             uint32_t max_entries)
    : device_(std::move(device)),
      sb_(sb),
      description_(std::move(description)),
      max_entries_(max_entries) {}

FsResult<XfsInode> XfsFs::Inode(uint64_t ino, std::string_view path) const {
  auto inode = ReadXfsInode(*device_, sb_, ino);
  if (!inode) return std::unexpected(Io(path, inode.error()));
  return std::move(*inode);
}

FsResult<FileStat> XfsFs::StatOf(const XfsInode& inode) const {
  FileStat st;
  st.type = TypeOf(inode.mode);
  st.mode = inode.mode & 07777;
  st.uid = inode.uid;
  st.gid = inode.gid;
  st.size = inode.size;
  st.mtime = inode.mtime;
  return st;
}

FsResult<uint64_t> XfsFs::Lookup(std::string_view path) const {
  if (path == "/") return sb_.root_ino;
  std::string key(path);
  {
    std::lock_guard lock(mutex_);
    if (auto it = inodes_.find(key); it != inodes_.end()) return it->second;
  }
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return FsFail(FsErrc::kNotFound, path);
  std::string_view parent = slash == 0 ? std::string_view("/") : path.substr(0, slash);
  std::string_view name = path.substr(slash + 1);
  auto parent_ino = Lookup(parent);
  if (!parent_ino) return std::unexpected(parent_ino.error());
  auto dir = Inode(*parent_ino, parent);
  if (!dir) return std::unexpected(dir.error());
  if (TypeOf(dir->mode) != FileType::kDirectory) return FsFail(FsErrc::kNotDirectory, parent);
  auto entries = ReadXfsDirectory(*device_, sb_, *dir, max_entries_);
  if (!entries) {
    if (entries.error().starts_with(kXfsTooManyEntries))
      return FsFail(FsErrc::kLimit, parent, entries.error());
    return std::unexpected(Io(parent, entries.error()));
  }
  // The first entry of a name is the one the kernel's lookup finds.
  auto it = std::ranges::find(*entries, name, &XfsDirEntry::name);
  if (it == entries->end()) return FsFail(FsErrc::kNotFound, path);
  std::lock_guard lock(mutex_);
  if (inodes_.size() < kMaxCachedPaths) inodes_.emplace(std::move(key), it->ino);
  return it->ino;
}

FsResult<FileStat> XfsFs::Lstat(std::string_view path) const {
  auto ino = Lookup(path);
  if (!ino) return std::unexpected(ino.error());
  auto inode = Inode(*ino, path);
  if (!inode) return std::unexpected(inode.error());
  return StatOf(*inode);
}

FsResult<std::vector<DirEntry>> XfsFs::List(std::string_view dir) const {
  auto ino = Lookup(dir);
  if (!ino) return std::unexpected(ino.error());
  auto inode = Inode(*ino, dir);
  if (!inode) return std::unexpected(inode.error());
  if (TypeOf(inode->mode) != FileType::kDirectory) return FsFail(FsErrc::kNotDirectory, dir);
  auto found = ReadXfsDirectory(*device_, sb_, *inode, max_entries_);
  if (!found) {
    if (found.error().starts_with(kXfsTooManyEntries))
      return FsFail(FsErrc::kLimit, dir, found.error());
    return std::unexpected(Io(dir, found.error()));
  }
  // Stable: of two entries of one name (a corrupt directory), the first is the one lookup finds.
  std::ranges::stable_sort(*found, {}, &XfsDirEntry::name);
  found->erase(
      std::unique(found->begin(), found->end(),
                  [](const XfsDirEntry& a, const XfsDirEntry& b) { return a.name == b.name; }),
      found->end());
  std::vector<DirEntry> entries;
  entries.reserve(found->size());
  for (auto& [name, child] : *found) {
    std::string path = JoinGuestPath(dir, name);
    auto child_inode = Inode(child, path);
    if (!child_inode) return std::unexpected(child_inode.error());
    auto st = StatOf(*child_inode);
    {
      std::lock_guard lock(mutex_);
      if (inodes_.size() < kMaxCachedPaths) inodes_.emplace(path, child);
    }
    entries.push_back({std::move(name), *st});
  }
  return entries;
}

FsResult<std::string> XfsFs::ReadLink(std::string_view path) const {
  auto ino = Lookup(path);
  if (!ino) return std::unexpected(ino.error());
  auto inode = Inode(*ino, path);
  if (!inode) return std::unexpected(inode.error());
  if (TypeOf(inode->mode) != FileType::kSymlink) return FsFail(FsErrc::kIo, path, "not a symlink");
  if (inode->size == 0 || inode->size > kMaxSymlinkBytes) {
    return FsFail(FsErrc::kIo, path, "bad symlink length " + std::to_string(inode->size));
  }
  if (inode->format == XfsFork::kLocal) return inode->fork.substr(0, inode->size);
  if (inode->realtime) return FsFail(FsErrc::kIo, path, "symlink on the realtime device");
  auto extents = ReadXfsExtents(*device_, sb_, *inode, kMaxExtents);
  if (!extents) return std::unexpected(Io(path, extents.error()));
  // A remote target fills whole blocks; on v5 each block starts with xfs_dsymlink_hdr
  // ("XSLM", the offset and length it holds, its checksum and owner).
  const uint64_t per_block = sb_.block_size - (sb_.v5 ? kRemoteSymlinkHeader : 0);
  std::string target;
  for (uint64_t block = 0; target.size() < inode->size; ++block) {
    auto bytes =
        ReadXfsExtentBytes(*device_, sb_, *extents, block * sb_.block_size, sb_.block_size);
    if (!bytes) return std::unexpected(Io(path, bytes.error()));
    const uint64_t want = std::min<uint64_t>(per_block, inode->size - target.size());
    if (!sb_.v5) {
      target += bytes->substr(0, want);
      continue;
    }
    std::string_view b = *bytes;
    if (!b.starts_with("XSLM") || !XfsChecksumMatches(b, 12) || Be32(b, 4) != target.size() ||
        Be32(b, 8) != want || Be64(b, 32) != *ino) {
      return FsFail(FsErrc::kIo, path, "bad remote symlink block " + std::to_string(block));
    }
    target += b.substr(kRemoteSymlinkHeader, want);
  }
  return target;
}

FsResult<std::string> XfsFs::ReadAt(std::string_view path, uint64_t offset, uint64_t length) const {
  auto ino = Lookup(path);
  if (!ino) return std::unexpected(ino.error());
  auto inode = Inode(*ino, path);
  if (!inode) return std::unexpected(inode.error());
  if (TypeOf(inode->mode) != FileType::kRegular) return FsFail(FsErrc::kNotRegular, path);
  if (offset >= inode->size || length == 0) return std::string();
  if (inode->realtime) return FsFail(FsErrc::kIo, path, "file on the realtime device");
  auto extents = ReadXfsExtents(*device_, sb_, *inode, kMaxExtents);
  if (!extents) return std::unexpected(Io(path, extents.error()));
  auto data =
      ReadXfsExtentBytes(*device_, sb_, *extents, offset, std::min(length, inode->size - offset));
  if (!data) return std::unexpected(Io(path, data.error()));
  return std::move(*data);
}

}  // namespace imageprobe::images::native
