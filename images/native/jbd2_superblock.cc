// SPDX-License-Identifier: Apache-2.0
#include "images/native/jbd2_superblock.h"

// com_err's header has no C++ linkage block of its own, and ext2fs.h includes it.
extern "C" {
#include <et/com_err.h>
}
#include <ext2fs/ext2fs.h>

#include <cstring>

namespace imageprobe::images::native {
namespace {

constexpr size_t kSuperblockBytes = 1024;  // sizeof(journal_superblock_t)
constexpr size_t kChecksumAt = 0xFC;       // s_checksum

constexpr uint32_t kCompatChecksum = 0x1;
constexpr uint32_t kIncompatRevoke = 0x1;
constexpr uint32_t kIncompat64Bit = 0x2;
constexpr uint32_t kIncompatAsyncCommit = 0x4;
constexpr uint32_t kIncompatCsumV2 = 0x8;
constexpr uint32_t kIncompatCsumV3 = 0x10;
constexpr uint32_t kIncompatFastCommit = 0x20;
constexpr uint32_t kKnownIncompat = kIncompatRevoke | kIncompat64Bit | kIncompatAsyncCommit |
                                    kIncompatCsumV2 | kIncompatCsumV3 | kIncompatFastCommit;
constexpr uint8_t kCrc32cType = 4;  // JBD2_CRC32C_CHKSUM

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

}  // namespace

uint16_t Be16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) << 8 | static_cast<uint8_t>(b[at + 1]));
}
uint32_t Be32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(Be16(b, at)) << 16 | Be16(b, at + 2);
}
uint64_t Be64(std::string_view b, size_t at) {
  return static_cast<uint64_t>(Be32(b, at)) << 32 | Be32(b, at + 4);
}

size_t JournalSuperblock::TagBytes() const {
  if (csum_v3) return 16;                // journal_block_tag3_t
  size_t bytes = 12;                     // journal_block_tag_t
  if (csum_v2) bytes += 2;               // as the kernel counts it, oddly
  return has_64bit ? bytes : bytes - 4;  // no t_blocknr_high
}

std::expected<JournalSuperblock, std::string> ParseJournalSuperblock(std::string_view b,
                                                                     uint64_t journal_bytes,
                                                                     uint32_t fs_block_size) {
  if (b.size() < kSuperblockBytes) return std::unexpected("journal too small for its superblock");
  if (Be32(b, 0) != kJbd2Magic) return std::unexpected("journal superblock has no jbd2 magic");
  JournalSuperblock sb;
  uint32_t type = Be32(b, 4);
  if (type == kJbd2SuperblockV1) {
    sb.version = 1;
  } else if (type == kJbd2SuperblockV2) {
    sb.version = 2;
  } else {
    return std::unexpected("journal superblock of unknown type " + std::to_string(type));
  }
  sb.block_size = Be32(b, 0x0C);
  sb.max_len = Be32(b, 0x10);
  sb.first = Be32(b, 0x14);
  sb.sequence = Be32(b, 0x18);
  sb.start = Be32(b, 0x1C);
  if (sb.block_size < 1024 || sb.block_size > 65536 || (sb.block_size & (sb.block_size - 1))) {
    return std::unexpected("journal block size " + std::to_string(sb.block_size) + " is invalid");
  }
  // jbd2 journals share the filesystem's block size (ext4_get_journal checks it).
  if (fs_block_size != 0 && sb.block_size != fs_block_size) {
    return std::unexpected("journal block size " + std::to_string(sb.block_size) +
                           " differs from the filesystem's " + std::to_string(fs_block_size));
  }
  uint64_t blocks = journal_bytes / sb.block_size;
  if (sb.max_len > blocks) {
    return std::unexpected("journal superblock says " + std::to_string(sb.max_len) +
                           " blocks, the journal has " + std::to_string(blocks));
  }
  if (sb.first == 0 || sb.first >= sb.max_len) {
    return std::unexpected("journal's first log block " + std::to_string(sb.first) +
                           " is outside its " + std::to_string(sb.max_len) + " blocks");
  }
  if (sb.start != 0 && (sb.start < sb.first || sb.start >= sb.max_len)) {
    return std::unexpected("journal's log start " + std::to_string(sb.start) +
                           " is outside its log");
  }
  if (sb.version == 1) return sb;  // v1 has no feature words

  uint32_t compat = Be32(b, 0x24), incompat = Be32(b, 0x28);
  if (incompat & ~kKnownIncompat) {
    return std::unexpected("journal has unknown incompatible features " +
                           Hex(incompat & ~kKnownIncompat));
  }
  sb.revoke = incompat & kIncompatRevoke;
  sb.has_64bit = incompat & kIncompat64Bit;
  sb.async_commit = incompat & kIncompatAsyncCommit;
  sb.csum_v2 = incompat & kIncompatCsumV2;
  sb.csum_v3 = incompat & kIncompatCsumV3;
  if (sb.csum_v2 && sb.csum_v3) return std::unexpected("journal sets both csum v2 and v3");
  if ((compat & kCompatChecksum) && sb.HasCsumV2OrV3()) {
    return std::unexpected("journal sets both v1 and v2/v3 checksums");
  }
  // Not replayed here: the caller falls back, and the appliance's kernel replays them.
  if (incompat & kIncompatFastCommit) return std::unexpected("journal has fast commits");
  if (compat & kCompatChecksum) return std::unexpected("journal has v1 transaction checksums");
  if (sb.HasCsumV2OrV3()) {
    if (static_cast<uint8_t>(b[0x50]) != kCrc32cType) {
      return std::unexpected("journal checksum type " +
                             std::to_string(static_cast<uint8_t>(b[0x50])) + " is unknown");
    }
    std::string copy(b.substr(0, kSuperblockBytes));
    std::memset(copy.data() + kChecksumAt, 0, 4);
    uint32_t want =
        ext2fs_crc32c_le(~0u, reinterpret_cast<const unsigned char*>(copy.data()), copy.size());
    if (want != Be32(b, kChecksumAt))
      return std::unexpected("journal superblock fails its checksum");
    sb.csum_seed =
        ext2fs_crc32c_le(~0u, reinterpret_cast<const unsigned char*>(b.data()) + 0x30, 16);
  }
  return sb;
}

}  // namespace imageprobe::images::native
