// SPDX-License-Identifier: Apache-2.0
// The device that lets libext2fs read a filesystem as the kernel sees it after journal
// recovery, without writing anything: the filesystem device, except that a block the replay
// maps reads from its newest journal copy (with the escaped magic restored). Superblock and
// group descriptors included, so ext2fs_open2 over it opens the recovered filesystem. (The
// journal itself, its blocks wherever the journal inode's block map puts them, as
// jbd2_journal_bmap finds them, is a ConcatDevice of the filesystem device.)
// Memory: the replay map holds journal block numbers, never copies of blocks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "images/native/block_device.h"
#include "images/native/jbd2_replay.h"

namespace imageprobe::images::native {

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
