// SPDX-License-Identifier: Apache-2.0
#include "images/native/jbd2_replay.h"

// com_err's header has no C++ linkage block of its own, and ext2fs.h includes it.
extern "C" {
#include <et/com_err.h>
}
#include <ext2fs/ext2fs.h>

#include <cstring>
#include <optional>
#include <vector>

namespace imageprobe::images::native {
namespace {

constexpr size_t kHeaderBytes = 12;  // journal_header_t
constexpr size_t kTailBytes = 4;     // jbd2_journal_block_tail
constexpr size_t kRevokeHeaderBytes = 16;
constexpr size_t kCommitTimeAt = 48;  // commit_header.h_commit_sec
constexpr uint16_t kFlagEscape = 1;
constexpr uint16_t kFlagSameUuid = 2;
constexpr uint16_t kFlagLastTag = 8;
constexpr size_t kUuidBytes = 16;
constexpr size_t kMaxRevokes = 1'000'000;

// Transaction ids wrap: the kernel's tid_gt and tid_geq.
bool TidGt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) > 0; }
bool TidGeq(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) >= 0; }

uint32_t Crc32c(uint32_t seed, std::string_view bytes) {
  return ext2fs_crc32c_le(seed, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

enum class Pass { kScan, kRevoke, kReplay };

struct Tag {
  uint64_t block = 0;
  uint16_t flags = 0;
  std::string_view bytes;  // the tag itself, for its checksum
};

class Log {
 public:
  Log(const BlockDevice& device, const JournalSuperblock& sb) : device_(device), sb_(sb) {}

  const JournalSuperblock& sb() const { return sb_; }

  // A pass starts at the log's start; every block it moves over counts, and a pass that would
  // move over more blocks than the log holds is going round in circles.
  void StartPass() {
    next_ = sb_.start;
    moved_ = 0;
  }
  uint32_t next() const { return next_; }
  std::expected<void, std::string> Advance(uint64_t blocks) {
    moved_ += blocks;
    if (moved_ > uint64_t{sb_.max_len} - sb_.first + 1) {
      return std::unexpected("the log runs on past its own length (its sequence numbers loop)");
    }
    uint64_t length = sb_.max_len - sb_.first;
    uint64_t next = next_ + blocks % length;
    if (next >= sb_.max_len) next -= length;  // the kernel's wrap()
    next_ = static_cast<uint32_t>(next);
    return {};
  }

  std::expected<std::string, std::string> Read(uint32_t block) const {
    auto bytes = device_.Read(uint64_t{block} * sb_.block_size, sb_.block_size);
    if (!bytes)
      return std::unexpected("journal block " + std::to_string(block) + ": " + bytes.error());
    return *bytes;
  }

  size_t TailBytes() const { return sb_.HasCsumV2OrV3() ? kTailBytes : 0; }

  // jbd2_descriptor_block_csum_verify (descriptor and revoke blocks).
  bool DescriptorChecksumOk(std::string block) const {
    if (!sb_.HasCsumV2OrV3()) return true;
    size_t at = block.size() - kTailBytes;
    uint32_t provided = Be32(block, at);
    std::memset(block.data() + at, 0, kTailBytes);
    return Crc32c(sb_.csum_seed, block) == provided;
  }

  // jbd2_commit_block_csum_verify: h_chksum[0] zeroed.
  bool CommitChecksumOk(std::string block) const {
    if (!sb_.HasCsumV2OrV3()) return true;
    constexpr size_t kAt = 16;
    uint32_t provided = Be32(block, kAt);
    std::memset(block.data() + kAt, 0, 4);
    return Crc32c(sb_.csum_seed, block) == provided;
  }

  // jbd2_block_tag_csum_verify: crc32c of the sequence, then of the data block.
  bool TagChecksumOk(const Tag& tag, std::string_view data, uint32_t sequence) const {
    if (!sb_.HasCsumV2OrV3()) return true;
    char seq[4] = {static_cast<char>(sequence >> 24), static_cast<char>(sequence >> 16),
                   static_cast<char>(sequence >> 8), static_cast<char>(sequence)};
    uint32_t crc = Crc32c(Crc32c(sb_.csum_seed, std::string_view(seq, 4)), data);
    if (sb_.csum_v3) return Be32(tag.bytes, 12) == crc;
    return Be16(tag.bytes, 4) == static_cast<uint16_t>(crc);
  }

  // The tags of a descriptor block, as do_one_pass and count_tags walk them.
  std::vector<Tag> Tags(std::string_view block) const {
    std::vector<Tag> tags;
    size_t tag_bytes = sb_.TagBytes();
    size_t limit = block.size() - TailBytes();
    for (size_t at = kHeaderBytes; at + tag_bytes <= limit;) {
      Tag tag;
      tag.bytes = block.substr(at, tag_bytes);
      tag.flags = Be16(block, at + 6);  // low half of tag3's 32-bit flags, too
      tag.block = Be32(block, at);
      if (sb_.has_64bit) tag.block |= uint64_t{Be32(block, at + 8)} << 32;
      tags.push_back(tag);
      at += tag_bytes;
      if (!(tag.flags & kFlagSameUuid)) at += kUuidBytes;
      if (tag.flags & kFlagLastTag) break;
    }
    return tags;
  }

 private:
  const BlockDevice& device_;
  JournalSuperblock sb_;
  uint32_t next_ = 0;
  uint64_t moved_ = 0;
};

struct Recovery {
  std::optional<uint32_t> end_transaction;  // first transaction not replayed
  std::map<uint64_t, uint32_t> revoked;     // filesystem block → newest revoking transaction
  JournalReplay result;
};

std::string InTransaction(uint32_t sequence, uint32_t block, std::string_view what) {
  return "transaction " + std::to_string(sequence) + ": " + std::string(what) +
         " at journal block " + std::to_string(block);
}

// scan_revoke_records.
std::expected<void, std::string> CollectRevokes(const Log& log, std::string_view block,
                                                uint32_t sequence, uint32_t at, Recovery& r) {
  uint32_t count = Be32(block, kHeaderBytes);
  if (count > block.size() - log.TailBytes()) {
    return std::unexpected(InTransaction(sequence, at, "revoke block overruns itself"));
  }
  size_t record = log.sb().has_64bit ? 8 : 4;
  for (size_t off = kRevokeHeaderBytes; off + record <= count; off += record) {
    uint64_t fs_block = record == 8 ? Be64(block, off) : Be32(block, off);
    auto [it, added] = r.revoked.try_emplace(fs_block, sequence);
    if (!added && TidGt(sequence, it->second)) it->second = sequence;
    if (r.revoked.size() > kMaxRevokes) {
      return std::unexpected("more than " + std::to_string(kMaxRevokes) + " revoked blocks");
    }
  }
  return {};
}

bool Revoked(const Recovery& r, uint64_t fs_block, uint32_t sequence) {
  auto it = r.revoked.find(fs_block);
  return it != r.revoked.end() && !TidGt(sequence, it->second);
}

// One pass of do_one_pass.
std::expected<void, std::string> DoPass(Pass pass, Log& log, Recovery& r) {
  uint32_t next_commit = log.sb().sequence;
  bool check_commit_time = false;  // a descriptor or revoke block failed its checksum in scan
  uint64_t last_commit_time = 0;
  log.StartPass();
  while (true) {
    if (pass != Pass::kScan && TidGeq(next_commit, *r.end_transaction)) break;
    uint32_t at = log.next();
    auto block = log.Read(at);
    if (!block) return std::unexpected(block.error());
    if (auto moved = log.Advance(1); !moved) return moved;
    if (Be32(*block, 0) != kJbd2Magic || Be32(*block, 8) != next_commit) break;
    uint32_t type = Be32(*block, 4);
    if (type == kJbd2Descriptor) {
      if (!log.DescriptorChecksumOk(*block)) {
        // Scan may meet stale blocks of an older log (lazy journal init): judged at the commit.
        if (pass != Pass::kScan) {
          return std::unexpected(InTransaction(next_commit, at, "descriptor fails its checksum"));
        }
        check_commit_time = true;
      }
      std::vector<Tag> tags = log.Tags(*block);
      if (pass != Pass::kReplay) {
        if (auto moved = log.Advance(tags.size()); !moved) return moved;
        continue;
      }
      for (const Tag& tag : tags) {
        uint32_t data_at = log.next();
        if (auto moved = log.Advance(1); !moved) return moved;
        if (Revoked(r, tag.block, next_commit)) {
          ++r.result.revoke_hits;
          continue;
        }
        if (log.sb().HasCsumV2OrV3()) {
          auto data = log.Read(data_at);
          if (!data) return std::unexpected(data.error());
          // The kernel skips the block, finishes, and fails the recovery (and the mount).
          if (!log.TagChecksumOk(tag, *data, next_commit)) {
            return std::unexpected(InTransaction(next_commit, data_at,
                                                 "the copy of filesystem block " +
                                                     std::to_string(tag.block) +
                                                     " fails its checksum"));
          }
        }
        r.result.blocks[tag.block] = {data_at, (tag.flags & kFlagEscape) != 0};
        ++r.result.writes;
      }
      continue;
    }
    if (type == kJbd2Commit) {
      uint64_t commit_time = Be64(*block, kCommitTimeAt);
      if (check_commit_time) {
        // A newer commit after a bad block: corruption. An older one: a stale tail, the end.
        if (commit_time >= last_commit_time) {
          return std::unexpected("transaction " + std::to_string(next_commit) +
                                 " holds a block that fails its checksum");
        }
        break;
      }
      if (pass == Pass::kScan && !log.CommitChecksumOk(*block)) {
        if (commit_time < last_commit_time) break;  // stale: the end of the log
        if (!r.end_transaction) r.end_transaction = next_commit;
        // Without async commit the transaction ends the log; with it, scanning goes on but
        // replay still stops before it (end_transaction is set once).
        if (!log.sb().async_commit) continue;
      }
      if (pass == Pass::kScan) last_commit_time = commit_time;
      ++next_commit;
      continue;
    }
    if (type == kJbd2Revoke) {
      if (pass == Pass::kScan && !log.DescriptorChecksumOk(*block)) check_commit_time = true;
      if (pass != Pass::kRevoke) continue;
      if (auto collected = CollectRevokes(log, *block, next_commit, at, r); !collected) {
        return collected;
      }
      continue;
    }
    break;  // an unknown block type ends the log
  }
  if (pass == Pass::kScan) {
    if (!r.end_transaction) r.end_transaction = next_commit;
  } else if (next_commit != *r.end_transaction) {
    return std::unexpected("recovery passes end at different transactions (" +
                           std::to_string(next_commit) + " and " +
                           std::to_string(*r.end_transaction) + ")");
  }
  return {};
}

}  // namespace

std::expected<JournalReplay, std::string> ReplayJournal(const BlockDevice& journal,
                                                        uint32_t fs_block_size) {
  auto head = journal.Read(0, std::min<uint64_t>(journal.size(), 1024));
  if (!head) return std::unexpected(head.error());
  auto sb = ParseJournalSuperblock(*head, journal.size(), fs_block_size);
  if (!sb) return std::unexpected(sb.error());
  Recovery r;
  r.result.block_size = sb->block_size;
  if (sb->start == 0) return r.result;  // an empty log: nothing to replay
  Log log(journal, *sb);
  for (Pass pass : {Pass::kScan, Pass::kRevoke, Pass::kReplay}) {
    if (auto done = DoPass(pass, log, r); !done) return std::unexpected(done.error());
  }
  r.result.transactions = *r.end_transaction - sb->sequence;
  return r.result;
}

}  // namespace imageprobe::images::native
