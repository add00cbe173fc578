// SPDX-License-Identifier: Apache-2.0
// The Filesystem contract (scanner/core/filesystem.h) over an XFS v4 or v5 filesystem on any
// BlockDevice, read from the on-disk format by our own code (xfs_superblock.h, xfs_log.h,
// xfs_inode.h, xfs_dir.h). Read-only: nothing here can write.
//
// The view is what the kernel's read-only mount shows: lstat fields from the inode core,
// entries sorted by name, symlinks never followed here (Filesystem::Resolve does that), holes
// and unwritten extents read as zeros. Open refuses, with the reason, what the mount would
// answer differently or this reader does not know: unknown features, a log that needs
// recovery (the mount would replay it), a superblock the kernel rejects. Limits as Ext4Fs.
#pragma once

#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "images/native/block_device.h"
#include "images/native/xfs_inode.h"
#include "images/native/xfs_superblock.h"
#include "scanner/core/filesystem.h"

namespace imageprobe::images::native {

class XfsFs final : public Filesystem {
 public:
  static constexpr uint32_t kDefaultMaxEntries = 100'000;  // as Ext4Fs
  static constexpr uint64_t kMaxExtents = 1 << 20;         // per file: 16 MiB of block map

  // How Open's reasons start, as Ext4Fs's: damage the kernel's mount refuses as well, and
  // features this reader does not know. A dirty log is kXfsLogDirty ("log needs recovery").
  static constexpr std::string_view kNotReadable = "not readable as xfs: ";
  static constexpr std::string_view kUnsupported = "unsupported XFS feature: ";

  static std::expected<std::unique_ptr<XfsFs>, std::string> Open(
      std::shared_ptr<const BlockDevice> device, std::string description,
      uint32_t max_entries = kDefaultMaxEntries);

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return description_; }

  XfsFs(std::shared_ptr<const BlockDevice> device, XfsSuperblock sb, std::string description,
        uint32_t max_entries);

 private:
  FsResult<uint64_t> Lookup(std::string_view path) const;
  FsResult<XfsInode> Inode(uint64_t ino, std::string_view path) const;
  FsResult<FileStat> StatOf(const XfsInode& inode) const;

  std::shared_ptr<const BlockDevice> device_;
  XfsSuperblock sb_;
  std::string description_;
  uint32_t max_entries_;
  mutable std::mutex mutex_;  // guards the cache only: reads share nothing else
  mutable std::unordered_map<std::string, uint64_t> inodes_;  // path -> inode, found so far
};

}  // namespace imageprobe::images::native
