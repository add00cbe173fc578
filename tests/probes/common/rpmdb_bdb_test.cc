// SPDX-License-Identifier: Apache-2.0
// ReadRpmdbBdb on hand-built Berkeley DB hash files (page layout of db_page.h): inline and
// overflow values, both byte orders, and the broken chains and pages a hostile file can hold.
// The real files db_load writes are read in rpmdb_oracle_test.cc.
#include "probes/common/rpmdb_bdb.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace imageprobe::probes {
namespace {

constexpr uint32_t kPage = 512;

class BdbBuilder {
 public:
  explicit BdbBuilder(bool big_endian = false) : big_(big_endian) {
    AddPage();  // metadata page 0
    Put32(0, 12, 0x061561);
    Put32(0, 20, kPage);
    pages_[0][25] = 8;
  }
  uint32_t AddPage() {
    pages_.emplace_back(kPage, '\0');
    uint32_t pgno = static_cast<uint32_t>(pages_.size() - 1);
    Put32(pgno, 8, pgno);
    return pgno;
  }
  // A hash page holding `items` (type byte included), packed from the page's end.
  uint32_t HashPage(const std::vector<std::string>& items) {
    uint32_t pgno = AddPage();
    pages_[pgno][25] = 13;
    Put16(pgno, 20, static_cast<uint16_t>(items.size()));
    uint32_t end = kPage;
    for (size_t i = 0; i < items.size(); ++i) {
      end -= static_cast<uint32_t>(items[i].size());
      pages_[pgno].replace(end, items[i].size(), items[i]);
      Put16(pgno, 26 + i * 2, static_cast<uint16_t>(end));
    }
    return pgno;
  }
  // An overflow page with `bytes` and a next pointer.
  uint32_t OverflowPage(const std::string& bytes, uint32_t next) {
    uint32_t pgno = AddPage();
    pages_[pgno][25] = 7;
    Put16(pgno, 22, static_cast<uint16_t>(bytes.size()));
    Put32(pgno, 16, next);
    pages_[pgno].replace(26, bytes.size(), bytes);
    return pgno;
  }
  void SetNext(uint32_t pgno, uint32_t next) { Put32(pgno, 16, next); }
  std::string Key(uint32_t hnum) const { return std::string(1, '\1') + U32(hnum); }
  std::string Inline(const std::string& value) const { return std::string(1, '\1') + value; }
  std::string OffPage(uint32_t pgno, uint32_t total) const {
    return std::string(1, '\3') + std::string(3, '\0') + U32(pgno) + U32(total);
  }
  std::string File() {
    Put32(0, 32, static_cast<uint32_t>(pages_.size() - 1));  // last_pgno
    std::string out;
    for (const auto& page : pages_) out += page;
    return out;
  }
  std::vector<std::string>& pages() { return pages_; }

 private:
  std::string U32(uint32_t v) const {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[big_ ? 3 - i : i] = static_cast<char>(v >> (8 * i));
    return s;
  }
  void Put32(uint32_t pgno, size_t at, uint32_t v) { pages_[pgno].replace(at, 4, U32(v)); }
  void Put16(uint32_t pgno, size_t at, uint16_t v) {
    pages_[pgno][at + (big_ ? 1 : 0)] = static_cast<char>(v);
    pages_[pgno][at + (big_ ? 0 : 1)] = static_cast<char>(v >> 8);
  }
  bool big_;
  std::vector<std::string> pages_;
};

TEST(RpmdbBdb, InlineAndOverflowValuesInBothByteOrders) {
  for (bool big : {false, true}) {
    SCOPED_TRACE(big ? "big-endian" : "little-endian");
    BdbBuilder b(big);
    std::string long_value(1200, 'x');  // three 512-byte overflow pages
    uint32_t third = b.OverflowPage(long_value.substr(2 * 486), 0);
    uint32_t second = b.OverflowPage(long_value.substr(486, 486), third);
    uint32_t first = b.OverflowPage(long_value.substr(0, 486), second);
    b.HashPage({b.Key(0), b.Inline("counter"), b.Key(7), b.Inline("seven"), b.Key(9),
                b.OffPage(first, 1200)});
    size_t skipped = 99;
    auto blobs = ReadRpmdbBdb(b.File(), &skipped);
    ASSERT_TRUE(blobs) << blobs.error();
    EXPECT_EQ(skipped, 0u);
    ASSERT_EQ(blobs->size(), 2u);  // key 0 (rpm's counter) is not a header
    EXPECT_EQ((*blobs)[0].hnum, 7u);
    EXPECT_EQ((*blobs)[0].blob, "seven");
    EXPECT_EQ((*blobs)[1].hnum, 9u);
    EXPECT_EQ((*blobs)[1].blob, long_value);
  }
}

TEST(RpmdbBdb, EmptyDatabaseHasNoBlobs) {
  BdbBuilder b;
  auto blobs = ReadRpmdbBdb(b.File());
  ASSERT_TRUE(blobs) << blobs.error();
  EXPECT_TRUE(blobs->empty());
  BdbBuilder with_empty_page;
  with_empty_page.HashPage({});
  EXPECT_TRUE(ReadRpmdbBdb(with_empty_page.File())->empty());
}

TEST(RpmdbBdb, OverflowPageThatPointsToItselfIsSkippedNotLooped) {
  BdbBuilder b;
  uint32_t self = b.OverflowPage(std::string(486, 'a'), 0);
  b.SetNext(self, self);
  b.HashPage({b.Key(1), b.OffPage(self, 5000), b.Key(2), b.Inline("fine")});
  size_t skipped = 0;
  auto blobs = ReadRpmdbBdb(b.File(), &skipped);
  ASSERT_TRUE(blobs) << blobs.error();
  EXPECT_EQ(skipped, 1u);
  ASSERT_EQ(blobs->size(), 1u);
  EXPECT_EQ((*blobs)[0].blob, "fine");
}

TEST(RpmdbBdb, BrokenOverflowChainsAreSkipped) {
  BdbBuilder b;
  uint32_t short_chain = b.OverflowPage("abc", 0);
  uint32_t hash_page_pgno = 2;                          // the hash page below: not an overflow page
  b.HashPage({b.Key(1), b.OffPage(short_chain, 10),     // chain ends early
              b.Key(2), b.OffPage(999, 10),             // page past the end
              b.Key(3), b.OffPage(hash_page_pgno, 10),  // wrong page type
              b.Key(4), b.OffPage(short_chain, 0xffffffff),  // absurd total length
              b.Key(5), b.OffPage(short_chain, 3)});
  size_t skipped = 0;
  auto blobs = ReadRpmdbBdb(b.File(), &skipped);
  ASSERT_TRUE(blobs) << blobs.error();
  EXPECT_EQ(skipped, 4u);
  ASSERT_EQ(blobs->size(), 1u);
  EXPECT_EQ((*blobs)[0].blob, "abc");
}

TEST(RpmdbBdb, ItemOffsetsOutsideThePageAreSkipped) {
  BdbBuilder b;
  uint32_t pgno = b.HashPage({b.Key(1), b.Inline("one"), b.Key(2), b.Inline("two")});
  // Entry 1's offset points into the index area; entry 3's past the page.
  auto& page = b.pages()[pgno];
  page[26 + 2] = 4;
  page[26 + 3] = 0;
  page[26 + 6] = static_cast<char>(0xff);
  page[26 + 7] = static_cast<char>(0xff);
  size_t skipped = 0;
  auto blobs = ReadRpmdbBdb(b.File(), &skipped);
  ASSERT_TRUE(blobs) << blobs.error();
  EXPECT_EQ(skipped, 2u);
  // An entry count larger than the page can index.
  b.pages()[pgno][20] = static_cast<char>(0xff);
  b.pages()[pgno][21] = static_cast<char>(0xff);
  blobs = ReadRpmdbBdb(b.File(), &skipped);
  ASSERT_TRUE(blobs);
  EXPECT_TRUE(blobs->empty());
}

TEST(RpmdbBdb, BadMetadataIsAnError) {
  EXPECT_FALSE(ReadRpmdbBdb(""));
  EXPECT_FALSE(ReadRpmdbBdb(std::string(4096, '\0')));
  BdbBuilder good;
  good.HashPage({good.Key(1), good.Inline("one")});
  std::string file = good.File();
  for (size_t n : {size_t{0}, size_t{100}, size_t{511}})
    EXPECT_FALSE(ReadRpmdbBdb(file.substr(0, n)));
  // A truncated file reads the pages it has.
  auto first_page_only = ReadRpmdbBdb(file.substr(0, kPage));
  ASSERT_TRUE(first_page_only);
  EXPECT_TRUE(first_page_only->empty());

  std::string bad_size = file;
  bad_size[20] = 0x00, bad_size[21] = 0x03;  // 768: not a power of two
  EXPECT_FALSE(ReadRpmdbBdb(bad_size));
  std::string encrypted = file;
  encrypted[24] = 1;
  EXPECT_NE(ReadRpmdbBdb(encrypted).error().find("encrypted"), std::string::npos);
  std::string btree = file;
  btree[25] = 9;  // P_BTREEMETA
  EXPECT_FALSE(ReadRpmdbBdb(btree));
  std::string huge_last = file;
  huge_last[32] = huge_last[33] = huge_last[34] = huge_last[35] = static_cast<char>(0xff);
  auto clipped = ReadRpmdbBdb(huge_last);  // last_pgno beyond the file: only real pages read
  ASSERT_TRUE(clipped);
  EXPECT_EQ(clipped->size(), 1u);
}

TEST(RpmdbBdb, BinaryJunkAfterAValidMetadataPageNeverCrashes) {
  BdbBuilder b;
  for (int i = 0; i < 8; ++i) b.AddPage();
  std::string file = b.File();
  uint32_t x = 777;
  for (int round = 0; round < 300; ++round) {
    std::string junk = file;
    for (size_t i = kPage; i < junk.size(); ++i) {
      x = x * 1103515245 + 12345;
      junk[i] = static_cast<char>(x >> 16);
    }
    for (size_t p = 1; p < 9; ++p) {  // make most pages hash or overflow pages
      junk[p * kPage + 25] = static_cast<char>(p % 2 ? 13 : 7);
      junk[p * kPage + 21] = 0;  // entries < 256
    }
    // The metadata page is intact: junk in the data pages skips items, never fails the file,
    // and no value is made of more bytes than the file holds.
    size_t skipped = 0;
    auto blobs = ReadRpmdbBdb(junk, &skipped);
    ASSERT_TRUE(blobs) << blobs.error();
    for (const RpmdbBlob& b : *blobs) EXPECT_LE(b.blob.size(), junk.size());
  }
}

}  // namespace
}  // namespace imageprobe::probes
