// SPDX-License-Identifier: Apache-2.0
#include "images/native/jbd2_overlay.h"

#include <algorithm>
#include <cstring>

namespace imageprobe::images::native {
namespace {

bool InRange(uint64_t size, uint64_t offset, uint64_t length) {
  return offset <= size && length <= size - offset;
}

}  // namespace

ReplayedDevice::ReplayedDevice(std::shared_ptr<const BlockDevice> base,
                               std::shared_ptr<const BlockDevice> journal, JournalReplay replay)
    : base_(std::move(base)), journal_(std::move(journal)), replay_(std::move(replay)) {
  // A tag may name a block past the filesystem's device (the kernel's write would fail at
  // writeback); no read can reach it, and dropping it keeps block * size from overflowing.
  uint64_t blocks = base_->size() / replay_.block_size;
  replay_.blocks.erase(replay_.blocks.lower_bound(blocks), replay_.blocks.end());
}

std::expected<void, std::string> ReplayedDevice::ReadAt(uint64_t offset,
                                                        std::span<char> out) const {
  if (!InRange(size(), offset, out.size())) {
    return std::unexpected(PastEndMessage(*this, offset, out.size()));
  }
  const uint64_t bs = replay_.block_size;
  const uint64_t end = offset + out.size();
  // Unreplayed bytes between replayed blocks come from the base in as few reads as possible.
  auto it = replay_.blocks.lower_bound(offset / bs);
  uint64_t at = offset;
  while (at < end) {
    uint64_t next_replayed =
        it == replay_.blocks.end() ? end : std::min(end, std::max(at, it->first * bs));
    if (next_replayed > at) {
      if (auto read = base_->ReadAt(at, out.subspan(at - offset, next_replayed - at)); !read) {
        return read;
      }
      at = next_replayed;
      continue;
    }
    // `at` lies inside the replayed block it->first.
    uint64_t block_start = it->first * bs;
    uint64_t n = std::min(end, block_start + bs) - at;
    uint64_t journal_offset = uint64_t{it->second.journal_block} * bs + (at - block_start);
    if (auto read = journal_->ReadAt(journal_offset, out.subspan(at - offset, n)); !read) {
      return std::unexpected("replayed block " + std::to_string(it->first) + ": " + read.error());
    }
    if (it->second.escaped && at < block_start + 4) {
      // JBD2_FLAG_ESCAPE: the block began with the jbd2 magic, which the log zeroed.
      constexpr char kMagic[4] = {'\xC0', '\x3B', '\x39', '\x98'};
      uint64_t skip = at - block_start;
      std::memcpy(out.data() + (at - offset), kMagic + skip, std::min<uint64_t>(4 - skip, n));
    }
    at += n;
    ++it;
  }
  return {};
}

}  // namespace imageprobe::images::native
