// SPDX-License-Identifier: Apache-2.0
// A jbd2 journal in memory (block 0 its superblock): ReplayJournal must end (however its
// sequence numbers loop), never read outside the journal, and map filesystem blocks only to
// journal blocks of the log; the overlay must then serve every byte of a filesystem device.
//
// The input is the journal's head: seeds are real journals cut after their last used block, so
// the harness pads the input with zero blocks up to the length the superblock gives (capped).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "images/native/block_device.h"
#include "images/native/jbd2_overlay.h"
#include "images/native/jbd2_replay.h"
#include "tests/fuzz/fuzz_files.h"

namespace {

constexpr uint64_t kMaxJournalBytes = 4u << 20;
constexpr uint64_t kFsBlocks = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::images::native;
  std::string bytes(imageprobe::fuzz::AsText(data, size));
  if (bytes.size() >= 1024) {
    uint64_t wanted = uint64_t{Be32(bytes, 0x0C)} * Be32(bytes, 0x10);
    if (wanted > bytes.size() && wanted <= kMaxJournalBytes) bytes.resize(wanted, '\0');
  }
  auto journal = std::make_shared<MemoryDevice>(std::move(bytes), "journal");
  auto replay = ReplayJournal(*journal, 0);
  if (!replay) return 0;
  const uint64_t bs = replay->block_size;
  for (const auto& [fs_block, copy] : replay->blocks) {
    if (copy.journal_block == 0 || (uint64_t{copy.journal_block} + 1) * bs > journal->size()) {
      imageprobe::fuzz::Fail("filesystem block " + std::to_string(fs_block) +
                             " maps outside the journal's log");
    }
  }
  auto base = std::make_shared<MemoryDevice>(std::string(kFsBlocks * bs, '\0'), "fs");
  ReplayedDevice replayed(base, journal, *replay);
  std::string all(base->size(), '\0');
  // Unaligned, so reads start and end inside replayed blocks and escaped magics.
  for (uint64_t at = 0; at < all.size();) {
    uint64_t n = std::min<uint64_t>(all.size() - at, bs + 3);
    if (auto read = replayed.ReadAt(at, std::span<char>(all.data() + at, n)); !read) {
      imageprobe::fuzz::Fail("the overlay could not read: " + read.error());
    }
    at += n;
  }
  return 0;
}
