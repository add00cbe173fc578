// SPDX-License-Identifier: Apache-2.0
// References: Berkeley DB 5.3 src/dbinc/db_page.h (DBMETA/HMETA layout, PAGE header of 26
//   bytes, P_HASHMETA 8, P_HASH_UNSORTED 2, P_HASH 13, P_OVERFLOW 7, H_KEYDATA 1, H_OFFPAGE 3,
//   HOFFPAGE {type, unused[3], pgno, tlen}, OV_LEN = hf_offset, LEN_HITEM from the index),
//   src/dbinc/hash.h (DB_HASHMAGIC 0x061561); knqyf263/go-rpmdb pkg/bdb (the page walk rpm
//   databases need); rpm lib/backend/bdb_ro.c (Packages keyed by a native-endian uint32).
#include "probes/common/rpmdb_bdb.h"

#include <algorithm>
#include <optional>
#include <set>

namespace imageprobe::probes {
namespace {

constexpr uint32_t kHashMagic = 0x061561;
constexpr uint8_t kPageHashMeta = 8;
constexpr uint8_t kPageHashUnsorted = 2;
constexpr uint8_t kPageHash = 13;
constexpr uint8_t kPageOverflow = 7;
constexpr uint8_t kItemKeyData = 1;
constexpr uint8_t kItemOffPage = 3;
constexpr size_t kPageHeaderSize =
    26;  // lsn 8, pgno 4, prev 4, next 4, entries 2, hf 2, level, type
constexpr size_t kOffPageItemSize = 12;

class Reader {
 public:
  Reader(std::string_view file, bool swap) : file_(file), swap_(swap) {}

  uint32_t U32(size_t at) const {
    auto b = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<unsigned char>(file_[at + i]));
    };
    return swap_ ? b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3)
                 : b(3) << 24 | b(2) << 16 | b(1) << 8 | b(0);
  }
  uint16_t U16(size_t at) const {
    auto b = [&](size_t i) {
      return static_cast<uint16_t>(static_cast<unsigned char>(file_[at + i]));
    };
    return swap_ ? static_cast<uint16_t>(b(0) << 8 | b(1))
                 : static_cast<uint16_t>(b(1) << 8 | b(0));
  }

 private:
  std::string_view file_;
  bool swap_;
};

uint32_t LittleEndian32(std::string_view bytes, size_t at) { return Reader(bytes, false).U32(at); }

struct Db {
  std::string_view file;
  Reader read;
  uint32_t page_size;
  uint32_t page_count;  // pages present in the file (bounded by last_pgno + 1)

  std::string_view Page(uint32_t pgno) const {
    return file.substr(size_t{pgno} * page_size, page_size);
  }
  size_t PageOffset(uint32_t pgno) const { return size_t{pgno} * page_size; }
};

// The value stored on the overflow chain starting at `pgno`, `total` bytes long.
std::expected<std::string, std::string> ReadOverflow(const Db& db, uint32_t pgno, uint32_t total) {
  if (total > kBdbMaxValueBytes) return std::unexpected("overflow item too large");
  std::string value;
  value.reserve(total);
  std::set<uint32_t> visited;
  while (value.size() < total) {
    if (pgno == 0 || pgno >= db.page_count) return std::unexpected("overflow page out of range");
    if (!visited.insert(pgno).second) return std::unexpected("overflow chain loops");
    size_t base = db.PageOffset(pgno);
    if (static_cast<uint8_t>(db.file[base + 25]) != kPageOverflow) {
      return std::unexpected("overflow chain reaches a page that is not an overflow page");
    }
    uint16_t length = db.read.U16(base + 22);  // OV_LEN: the bytes this page holds
    if (length > db.page_size - kPageHeaderSize || length > total - value.size()) {
      return std::unexpected("overflow page length out of range");
    }
    value.append(db.file.substr(base + kPageHeaderSize, length));
    uint32_t next = db.read.U32(base + 16);
    if (value.size() < total && next == 0) return std::unexpected("overflow chain ends early");
    pgno = next;
  }
  return value;
}

// Item `index` of a hash page: its type byte and bytes, or nothing when it does not fit.
std::optional<std::string_view> Item(const Db& db, std::string_view page, size_t page_base,
                                     uint16_t entries, uint16_t index) {
  uint16_t start = db.read.U16(page_base + kPageHeaderSize + size_t{index} * 2);
  // Items are packed from the end of the page down: item i ends where item i-1 starts.
  uint32_t end = index == 0 ? db.page_size
                            : db.read.U16(page_base + kPageHeaderSize + (size_t{index} - 1) * 2);
  size_t index_end = kPageHeaderSize + size_t{entries} * 2;
  if (start < index_end || start >= end || end > db.page_size) return std::nullopt;
  return page.substr(start, end - start);
}

}  // namespace

std::expected<std::vector<RpmdbBlob>, std::string> ReadRpmdbBdb(std::string_view file,
                                                                size_t* skipped) {
  size_t local_skipped = 0;
  if (!skipped) skipped = &local_skipped;
  *skipped = 0;
  if (file.size() < 512) return std::unexpected("too short for a Berkeley DB metadata page");
  bool swap;
  if (LittleEndian32(file, 12) == kHashMagic) {
    swap = false;
  } else if (Reader(file, true).U32(12) == kHashMagic) {
    swap = true;
  } else {
    return std::unexpected("not a Berkeley DB hash database (magic mismatch)");
  }
  Reader read(file, swap);
  if (static_cast<uint8_t>(file[25]) != kPageHashMeta) {
    return std::unexpected("metadata page has the wrong page type");
  }
  if (file[24] != 0) return std::unexpected("encrypted Berkeley DB database (not supported)");
  if (static_cast<uint8_t>(file[26]) & 0x01) {  // DBMETA_CHKSUM: page headers carry checksums
    return std::unexpected("checksummed Berkeley DB database (not supported)");
  }
  uint32_t page_size = read.U32(20);
  // Berkeley DB page sizes are powers of two from 512 bytes to 64 KiB.
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
    return std::unexpected("page size " + std::to_string(page_size) + " out of range");
  }
  uint32_t last_pgno = read.U32(32);
  uint64_t pages_in_file = file.size() / page_size;
  uint32_t page_count =
      static_cast<uint32_t>(std::min<uint64_t>(pages_in_file, uint64_t{last_pgno} + 1));
  Db db{file, read, page_size, page_count};

  std::vector<RpmdbBlob> blobs;
  uint64_t total_bytes = 0;
  for (uint32_t pgno = 1; pgno < page_count; ++pgno) {
    size_t base = db.PageOffset(pgno);
    std::string_view page = db.Page(pgno);
    uint8_t type = static_cast<uint8_t>(page[25]);
    if (type != kPageHash && type != kPageHashUnsorted) continue;
    uint16_t entries = read.U16(base + 20);
    if (kPageHeaderSize + size_t{entries} * 2 > page_size) {
      ++*skipped;
      continue;
    }
    for (uint16_t i = 0; i + 1 < entries; i += 2) {  // key, data pairs
      auto key = Item(db, page, base, entries, i);
      auto data = Item(db, page, base, entries, static_cast<uint16_t>(i + 1));
      if (!key || !data || key->size() != 5 || static_cast<uint8_t>((*key)[0]) != kItemKeyData) {
        ++*skipped;
        continue;
      }
      uint32_t hnum = read.U32(static_cast<size_t>(key->data() - file.data()) + 1);
      if (hnum == 0) continue;  // rpm's "next instance number" record
      std::string value;
      uint8_t data_type = static_cast<uint8_t>((*data)[0]);
      if (data_type == kItemKeyData) {
        value.assign(data->substr(1));
      } else if (data_type == kItemOffPage && data->size() >= kOffPageItemSize) {
        size_t at = static_cast<size_t>(data->data() - file.data());
        auto overflow = ReadOverflow(db, read.U32(at + 4), read.U32(at + 8));
        if (!overflow) {
          ++*skipped;
          continue;
        }
        value = std::move(*overflow);
      } else {
        ++*skipped;  // duplicates (H_DUPLICATE, H_OFFDUP) never hold rpm headers
        continue;
      }
      total_bytes += value.size();
      if (total_bytes > kBdbMaxTotalValueBytes || blobs.size() >= kRpmdbMaxHeaders) {
        return std::unexpected("database larger than the reader's bounds");
      }
      blobs.push_back({hnum, std::move(value)});
    }
  }
  return blobs;
}

}  // namespace imageprobe::probes
