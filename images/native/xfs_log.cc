// SPDX-License-Identifier: Apache-2.0
#include "images/native/xfs_log.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "images/byte_reader.h"

namespace imageprobe::images::native {
namespace {

constexpr uint64_t kBasicBlock = 512;
constexpr uint32_t kRecordMagic = 0xFEEDBABE;     // XLOG_HEADER_MAGIC_NUM
constexpr uint32_t kVersion2 = 0x2;               // XLOG_VERSION_2
constexpr uint32_t kHeaderCycleSize = 32 * 1024;  // XLOG_HEADER_CYCLE_SIZE
constexpr uint8_t kUnmountTrans = 0x20;           // XLOG_UNMOUNT_TRANS in oh_flags
// XLOG_TOTAL_REC_SHIFT: eight in-core logs of the largest record size, in basic blocks; the
// kernel looks this far back from the head for a torn write.
constexpr uint64_t kTornWriteWindow = 8 * 256 * 1024 / kBasicBlock;
// A record is at most 256 KiB of data behind at most 8 header blocks: a record header that
// ends at the head lies this close behind it.
constexpr uint64_t kRecordReach = 256 * 1024 / kBasicBlock + 8 + 1;

std::unexpected<std::string> Dirty(std::string why) {
  return std::unexpected(std::string(kXfsLogDirty) + ": " + why);
}

class Log {
 public:
  Log(const BlockDevice& device, uint64_t base, uint64_t blocks)
      : device_(device), base_(base), blocks_(blocks) {}
  uint64_t blocks() const { return blocks_; }

  std::expected<std::string, std::string> Block(uint64_t bb) const {
    return device_.Read(base_ + (bb % blocks_) * kBasicBlock, kBasicBlock);
  }
  // The cycle of each block in [start, start + count), as xlog_get_cycle reads it: a record
  // header keeps it after the magic, every other block in its first word.
  std::expected<std::vector<uint32_t>, std::string> Cycles(uint64_t start, uint64_t count) const {
    std::vector<uint32_t> cycles;
    cycles.reserve(count);
    constexpr uint64_t kChunk = 2048;
    for (uint64_t at = start; at < start + count; at += kChunk) {
      uint64_t n = std::min(kChunk, start + count - at);
      auto bytes = device_.Read(base_ + at * kBasicBlock, n * kBasicBlock);
      if (!bytes) return std::unexpected(bytes.error());
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view b = std::string_view(*bytes).substr(i * kBasicBlock, kBasicBlock);
        cycles.push_back(Be32(b, 0) == kRecordMagic ? Be32(b, 4) : Be32(b, 0));
      }
    }
    return cycles;
  }
  std::expected<uint32_t, std::string> Cycle(uint64_t bb) const {
    auto c = Cycles(bb, 1);
    if (!c) return std::unexpected(c.error());
    return c->front();
  }
  // xlog_find_verify_cycle: the first block in [start, start + count) stamped `cycle`.
  std::expected<std::optional<uint64_t>, std::string> FindCycle(uint64_t start, uint64_t count,
                                                                uint32_t cycle) const {
    auto cycles = Cycles(start, count);
    if (!cycles) return std::unexpected(cycles.error());
    auto it = std::ranges::find(*cycles, cycle);
    if (it == cycles->end()) return std::optional<uint64_t>();
    return std::optional<uint64_t>(start + static_cast<uint64_t>(it - cycles->begin()));
  }

 private:
  const BlockDevice& device_;
  uint64_t base_;
  uint64_t blocks_;
};

// The first block in (lo, hi] whose cycle is not `lo_cycle`, given that lo has it and hi
// does not (xlog_find_cycle_start's binary search).
std::expected<uint64_t, std::string> FirstChange(const Log& log, uint64_t lo, uint64_t hi,
                                                 uint32_t lo_cycle) {
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    auto c = log.Cycle(mid);
    if (!c) return std::unexpected(c.error());
    (*c == lo_cycle ? lo : hi) = mid;
  }
  return hi;
}

// xlog_find_head, without its repair of a torn head (that is left to "needs recovery" below).
// Returns the head in [0, blocks]; nothing means the log is empty (never written).
std::expected<std::optional<uint64_t>, std::string> FindHead(const Log& log) {
  const uint64_t n = log.blocks();
  auto first = log.Cycle(0);
  if (!first) return std::unexpected(first.error());
  auto last = log.Cycle(n - 1);
  if (!last) return std::unexpected(last.error());
  if (*first == 0) return std::optional<uint64_t>();  // xlog_find_zeroed: a totally zeroed log
  uint64_t head;
  uint32_t stop_on_cycle;
  if (*last == 0) {
    // Partly zeroed (a log not yet wrapped once): the head is the first zeroed block.
    auto h = FirstChange(log, 0, n - 1, *first);
    if (!h) return std::unexpected(h.error());
    head = *h;
    stop_on_cycle = 0;
  } else if (*first == *last) {
    head = n;  // the whole log stamped alike: the head is at its physical end (== block 0)
    stop_on_cycle = *last - 1;
  } else {
    auto h = FirstChange(log, 0, n - 1, *first);
    if (!h) return std::unexpected(h.error());
    head = *h;
    stop_on_cycle = *last;
  }
  // A write torn across several blocks leaves older cycles before the head: the head is the
  // first of them.
  const uint64_t window = std::min(n, kTornWriteWindow);
  if (head >= window) {
    auto found = log.FindCycle(head - window, window, stop_on_cycle);
    if (!found) return std::unexpected(found.error());
    if (*found) head = **found;
  } else {
    auto end = log.FindCycle(n - (window - head), window - head, stop_on_cycle - 1);
    if (!end) return std::unexpected(end.error());
    if (*end) return std::optional<uint64_t>(**end);
    auto found = log.FindCycle(0, head, stop_on_cycle);
    if (!found) return std::unexpected(found.error());
    if (*found) head = **found;
  }
  return std::optional<uint64_t>(head);
}

}  // namespace

std::expected<void, std::string> CheckXfsLogClean(const BlockDevice& device,
                                                  const XfsSuperblock& sb) {
  auto base = sb.FsblockOffset(sb.log_start);
  if (!base) return std::unexpected("log: " + base.error());
  const uint64_t bytes = uint64_t{sb.log_blocks} * sb.block_size;
  if (*base > device.size() || bytes > device.size() - *base) {
    return std::unexpected("log lies past the end of " + device.Describe());
  }
  Log log(device, *base, bytes / kBasicBlock);
  auto found = FindHead(log);
  if (!found) return std::unexpected("log: " + found.error());
  if (!*found) return {};  // never written: nothing to replay
  const uint64_t n = log.blocks();
  const uint64_t head = **found % n;

  // The last record header before the head (xlog_find_tail's backward search, with wrap).
  for (uint64_t back = 1; back <= std::min(n, kRecordReach); ++back) {
    const uint64_t at = (head + n - back) % n;
    auto block = log.Block(at);
    if (!block) return std::unexpected("log: " + block.error());
    if (Be32(*block, 0) != kRecordMagic) continue;
    const uint32_t version = Be32(*block, 8);
    const uint64_t length = Be32(*block, 12);
    const uint32_t logops = Be32(*block, 40);
    const uint32_t h_size = Be32(*block, 320);
    uint64_t header_blocks = 1;
    if ((version & kVersion2) && h_size > kHeaderCycleSize) {
      header_blocks = (h_size + kHeaderCycleSize - 1) / kHeaderCycleSize;
    }
    const uint64_t data_blocks = (length + kBasicBlock - 1) / kBasicBlock;
    if (header_blocks + data_blocks > n || (at + header_blocks + data_blocks) % n != head) {
      return Dirty("the last record does not end at the head");
    }
    if (logops != 1) return Dirty("the last record is not an unmount record");
    auto op = log.Block(at + header_blocks);
    if (!op) return std::unexpected("log: " + op.error());
    if (!(static_cast<uint8_t>((*op)[9]) & kUnmountTrans)) {
      return Dirty("the last record is not an unmount record");
    }
    return {};
  }
  return Dirty("no record header before the head");
}

}  // namespace imageprobe::images::native
