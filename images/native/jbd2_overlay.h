// SPDX-License-Identifier: Apache-2.0
// The two devices that let libext2fs read a filesystem as the kernel sees it after journal
// recovery, without writing anything:
//  - MappedDevice: the internal journal's bytes, its blocks wherever the journal inode's
//    block map puts them on the filesystem device (what jbd2_journal_bmap does);
//  - ReplayedDevice: the filesystem device, except that a block the replay maps reads from
//    its newest journal copy (with the escaped magic restored). Superblock and group
//    descriptors included, so ext2fs_open2 over it opens the recovered filesystem.
// Memory: the replay map holds journal block numbers, never copies of blocks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "images/native/block_device.h"
#include "images/native/jbd2_replay.h"

namespace imageprobe::images::native {

class MappedDevice final : public BlockDevice {
 public:
  struct Run {
    uint64_t first = 0;     // first block of the run, in the mapped device
    uint64_t physical = 0;  // where it lies on the base device
    uint64_t count = 0;
  };
  // Runs sorted by `first`, contiguous from 0, each inside `base` (the builder checks).
  MappedDevice(std::shared_ptr<const BlockDevice> base, uint32_t block_size, std::vector<Run> runs,
               std::string description);
  uint64_t size() const override { return size_; }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override;
  std::string Describe() const override { return description_; }

 private:
  std::shared_ptr<const BlockDevice> base_;
  uint32_t block_size_;
  std::vector<Run> runs_;
  uint64_t size_ = 0;
  std::string description_;
};

class ReplayedDevice final : public BlockDevice {
 public:
  ReplayedDevice(std::shared_ptr<const BlockDevice> base,
                 std::shared_ptr<const BlockDevice> journal, JournalReplay replay);
  uint64_t size() const override { return base_->size(); }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override;
  std::string Describe() const override { return base_->Describe() + " with its journal replayed"; }
  const JournalReplay& replay() const { return replay_; }

 private:
  std::shared_ptr<const BlockDevice> base_;
  std::shared_ptr<const BlockDevice> journal_;
  JournalReplay replay_;
};

}  // namespace imageprobe::images::native
