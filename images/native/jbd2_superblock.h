// SPDX-License-Identifier: Apache-2.0
// The jbd2 journal superblock (journal block 0, big-endian), as the kernel's
// fs/jbd2/journal.c journal_get_superblock validates it and include/linux/jbd2.h lays it out.
// Only what the replay needs is kept; a journal the kernel would refuse to load is an error
// here too, and a journal it would load but this reader does not replay (fast commits, the old
// v1 transaction checksums, unknown features) is an error naming the feature, so the caller
// can fall back to libguestfs with the reason.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace imageprobe::images::native {

inline constexpr uint32_t kJbd2Magic = 0xC03B3998;
enum Jbd2BlockType : uint32_t {
  kJbd2Descriptor = 1,
  kJbd2Commit = 2,
  kJbd2SuperblockV1 = 3,
  kJbd2SuperblockV2 = 4,
  kJbd2Revoke = 5,
};

// Big-endian fields, read from a block already known to hold them.
uint16_t Be16(std::string_view bytes, size_t at);
uint32_t Be32(std::string_view bytes, size_t at);
uint64_t Be64(std::string_view bytes, size_t at);

struct JournalSuperblock {
  uint32_t block_size = 0;
  uint32_t max_len = 0;   // blocks of the journal, superblock included
  uint32_t first = 0;     // first block of the log
  uint32_t sequence = 0;  // first transaction expected in the log
  uint32_t start = 0;     // block of that transaction, 0 when the log is empty
  int version = 0;
  bool has_64bit = false;
  bool revoke = false;
  bool csum_v2 = false;
  bool csum_v3 = false;
  bool async_commit = false;
  uint32_t csum_seed = 0;  // crc32c of the UUID, as jbd2's j_csum_seed

  bool HasCsumV2OrV3() const { return csum_v2 || csum_v3; }
  // The kernel's journal_tag_bytes.
  size_t TagBytes() const;
};

// `block0` holds at least 1024 bytes of journal block 0; `journal_bytes` is the journal's
// length in bytes; `fs_block_size` is the filesystem's block size (0: take the journal's).
std::expected<JournalSuperblock, std::string> ParseJournalSuperblock(std::string_view block0,
                                                                     uint64_t journal_bytes,
                                                                     uint32_t fs_block_size);

}  // namespace imageprobe::images::native
