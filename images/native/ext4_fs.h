// SPDX-License-Identifier: Apache-2.0
// The Filesystem contract (scanner/core/filesystem.h) over an ext2/3/4 filesystem on any
// BlockDevice, read with libext2fs through ext2_io_channel.h. Read-only: the filesystem is
// opened without EXT2_FLAG_RW and the channel cannot write.
//
// What the view shows is what the kernel's read-only mount shows: lstat fields as the kernel
// derives them from the inode (32-bit uid/gid, mtime with the extra epoch bits), directory
// entries sorted by name, symlinks never followed here (Filesystem::Resolve does that),
// inline-data files and fast and slow symlinks read. A filesystem whose journal needs recovery
// is read as the mount reads it, after the replay: Open replays the internal journal in memory
// (jbd2_internal_journal.h) and reads through the overlay; a journal it cannot replay (external,
// fast commits, a checksum failure the kernel would fail the mount on) is refused at Open with
// the reason (the caller hands such a filesystem to libguestfs and says why).
#pragma once

#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "images/native/block_device.h"
#include "scanner/core/filesystem.h"

struct struct_ext2_filsys;

namespace imageprobe::images::native {

// What a replay of the journal at Open did, for the report.
struct JournalReplaySummary {
  uint32_t transactions = 0;
  uint64_t blocks = 0;  // distinct filesystem blocks the journal replaced
};

class Ext4Fs final : public Filesystem {
 public:
  static constexpr uint32_t kDefaultMaxEntries = 100'000;  // as DirectoryFs and GuestfsFs

  // How Open's reasons start: damage the kernel's mount would refuse as well, and features
  // this libext2fs does not know (which a newer kernel may).
  static constexpr std::string_view kNotReadable = "not readable as ext2/3/4: ";
  static constexpr std::string_view kUnsupported = "unsupported ext2/3/4 feature: ";

  // Why an ext filesystem is not read natively: the reason is one line ("its journal needs
  // recovery, not replayed natively: journal has fast commits", kNotReadable or kUnsupported
  // and libext2fs' message).
  static std::expected<std::unique_ptr<Ext4Fs>, std::string> Open(
      std::shared_ptr<const BlockDevice> device, std::string description,
      uint32_t max_entries = kDefaultMaxEntries);
  ~Ext4Fs() override;

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return description_; }

  // Set when Open replayed the journal: this view is the recovered filesystem.
  const std::optional<JournalReplaySummary>& replayed_journal() const { return replayed_; }

  Ext4Fs(struct_ext2_filsys* fs, std::shared_ptr<const BlockDevice> device, std::string description,
         uint32_t max_entries, std::optional<JournalReplaySummary> replayed = std::nullopt);

 private:
  FsResult<uint32_t> Lookup(std::string_view path) const;
  FsResult<FileStat> StatInode(uint32_t ino, std::string_view path) const;
  FsError Failure(long err, std::string_view path) const;

  struct_ext2_filsys* fs_;
  std::shared_ptr<const BlockDevice> device_;
  std::string description_;
  uint32_t max_entries_;
  std::optional<JournalReplaySummary> replayed_;
  mutable std::mutex mutex_;  // libext2fs handles are not thread-safe
  mutable std::unordered_map<std::string, uint32_t> inodes_;  // path -> inode, found so far
};

}  // namespace imageprobe::images::native
