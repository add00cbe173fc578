// SPDX-License-Identifier: Apache-2.0
// Structural checks on synthetic containers (the qemu-img-made ones are in detect_path_test):
// layouts qemu-img does not write, such as VMware's streamOptimized with its footer.
#include "images/container_checks.h"

#include <gtest/gtest.h>

namespace imageprobe::images {
namespace {

void PutLe(std::string& s, size_t offset, uint64_t v, int width) {
  for (int i = 0; i < width; ++i) s[offset + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutBe(std::string& s, size_t offset, uint64_t v, int width) {
  for (int i = 0; i < width; ++i) {
    s[offset + i] = static_cast<char>((v >> (8 * (width - 1 - i))) & 0xff);
  }
}

std::string VmdkHeader(uint64_t gd_offset) {
  std::string h(512, '\0');
  h.replace(0, 4, "KDMV");
  PutLe(h, 4, 3, 4);
  PutLe(h, 8, (1u << 16) | (1u << 17), 4);  // compressed grains, markers
  PutLe(h, 12, 128, 8);                     // capacity (sectors)
  PutLe(h, 20, 128, 8);                     // grain size (sectors)
  PutLe(h, 44, 512, 4);                     // entries per grain table
  PutLe(h, 56, gd_offset, 8);
  PutLe(h, 77, 1, 2);  // deflate
  return h;
}

// Sector 0 header (GD at end), 2 grain marker + data, 3 GT marker, 4-7 GT, 8 GD,
// 9 footer marker, 10 footer, 11 end-of-stream marker.
std::string VmwareStream() {
  std::string s = VmdkHeader(~0ull);
  s.resize(12 * 512, '\0');
  PutLe(s, 2 * 512 + 8, 20, 4);  // grain marker: lba 0, 20 compressed bytes
  PutLe(s, 4 * 512, 2, 4);       // GT[0] -> grain at sector 2
  PutLe(s, 8 * 512, 4, 4);       // GD[0] -> GT at sector 4
  PutLe(s, 9 * 512 + 12, 3, 4);  // footer marker type
  s.replace(10 * 512, 512, VmdkHeader(8));
  return s;
}

TEST(CheckVmdkSparse, VmwareStreamNeedsFooterAndEndOfStreamMarker) {
  std::string good = VmwareStream();
  EXPECT_TRUE(CheckVmdkSparse(MemorySource(good)));
  std::string cut = good.substr(0, good.size() - 512);
  auto r = CheckVmdkSparse(MemorySource(cut));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "truncated: streamOptimized VMDK without its end-of-stream marker");
  std::string half = good.substr(0, good.size() / 2);
  EXPECT_FALSE(CheckVmdkSparse(MemorySource(half)));
  std::string bad_gd = good;
  bad_gd.replace(10 * 512, 512, VmdkHeader(1000));
  r = CheckVmdkSparse(MemorySource(bad_gd));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rfind("truncated: VMDK grain directory", 0), 0u) << r.error();
  std::string long_grain = good;
  PutLe(long_grain, 2 * 512 + 8, 100000, 4);  // the compressed grain claims to run past EOF
  r = CheckVmdkSparse(MemorySource(long_grain));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rfind("truncated: VMDK compressed grain end", 0), 0u) << r.error();
}

TEST(CheckVmdkSparse, CorruptHeadersAndParents) {
  std::string h = VmdkHeader(1);
  PutLe(h, 20, 3, 8);  // grain size not a power of two
  EXPECT_NE(CheckVmdkSparse(MemorySource(h)).error().find("grain size"), std::string::npos);
  std::string delta = VmdkHeader(1);
  PutLe(delta, 8, 0, 4);
  PutLe(delta, 77, 0, 2);
  delta.resize(4096, '\0');
  PutLe(delta, 28, 2, 8);  // embedded descriptor at sector 2, 2 sectors
  PutLe(delta, 36, 2, 8);
  delta.replace(
      1024, 60,
      std::string("parentCID=12345678\nparentFileNameHint=\"/dev/sda\"\n").append(60 - 49, ' '));
  auto r = CheckVmdkSparse(MemorySource(delta));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("parent \"/dev/sda\""), std::string::npos) << r.error();
  EXPECT_FALSE(CheckVmdkSparse(MemorySource("KDMV")));
}

TEST(CheckQcow2, HeaderFieldsAndHugeTablesAreBounded) {
  std::string h(4096, '\0');
  h.replace(0, 4, "QFI\xfb");
  PutBe(h, 4, 3, 4);
  PutBe(h, 20, 16, 4);          // 64 KiB clusters
  PutBe(h, 36, 0xffffffff, 4);  // 4 G L1 entries: past EOF, never read
  PutBe(h, 40, 512, 8);
  auto r = CheckQcow2(MemorySource(h));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().rfind("truncated: qcow2 L1 table", 0), 0u) << r.error();
  PutBe(h, 20, 40, 4);
  EXPECT_NE(CheckQcow2(MemorySource(h)).error().find("cluster_bits 40"), std::string::npos);
  PutBe(h, 20, 16, 4);
  PutBe(h, 32, 1, 4);  // AES
  EXPECT_NE(CheckQcow2(MemorySource(h)).error().find("encrypted"), std::string::npos);
  PutBe(h, 32, 0, 4);
  PutBe(h, 72, 4, 8);  // external data file
  EXPECT_NE(CheckQcow2(MemorySource(h)).error().find("external data file"), std::string::npos);
  EXPECT_FALSE(CheckQcow2(MemorySource("QFI\xfb")));
}

TEST(CheckVhd, DynamicWithoutTrailingFooter) {
  std::string footer(512, '\0');
  footer.replace(0, 8, "conectix");
  PutBe(footer, 60, 3, 4);
  std::string disk = footer + std::string(4096, '\0');
  auto r = CheckVhd(MemorySource(disk), true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "truncated: dynamic VHD without its trailing footer");
}

}  // namespace
}  // namespace imageprobe::images
