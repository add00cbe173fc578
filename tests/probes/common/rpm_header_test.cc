// SPDX-License-Identifier: Apache-2.0
// ParseRpmHeaderBlob on hand-built headers: the fields it extracts, and every way a hostile
// blob can lie about its sizes and offsets.
#include "probes/common/rpm_header.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace imageprobe::probes {
namespace {

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

struct TestEntry {
  uint32_t tag, type, offset, count;
};

// il, dl, the entries, then `data`; `il`/`dl` overridable to lie.
std::string Blob(const std::vector<TestEntry>& entries, const std::string& data,
                 std::optional<uint32_t> il = {}, std::optional<uint32_t> dl = {}) {
  std::string out = Be32(il.value_or(entries.size())) + Be32(dl.value_or(data.size()));
  for (const auto& e : entries) out += Be32(e.tag) + Be32(e.type) + Be32(e.offset) + Be32(e.count);
  return out + data;
}

// NAME "bash", VERSION "5.1.8", RELEASE "6.el9", ARCH "x86_64", then EPOCH 1 and INSTALLTIME
// at aligned offsets.
std::string GoodBlob() {
  std::string data = std::string("bash\0", 5) + std::string("5.1.8\0", 6) +
                     std::string("6.el9\0", 6) + std::string("x86_64\0", 7);  // 24 bytes
  data += Be32(1) + Be32(1700000000);
  return Blob({{1000, 6, 0, 1},
               {1001, 6, 5, 1},
               {1002, 6, 11, 1},
               {1022, 6, 17, 1},
               {1003, 4, 24, 1},
               {1008, 4, 28, 1}},
              data);
}

TEST(RpmHeader, ExtractsNameEpochVersionReleaseArchInstallTime) {
  auto package = ParseRpmHeaderBlob(GoodBlob());
  ASSERT_TRUE(package) << package.error();
  EXPECT_EQ(package->name, "bash");
  EXPECT_EQ(package->version, "5.1.8");
  EXPECT_EQ(package->release, "6.el9");
  EXPECT_EQ(package->arch, "x86_64");
  EXPECT_EQ(package->epoch, 1u);
  EXPECT_EQ(package->install_time, 1700000000u);
  EXPECT_EQ(package->Evr(), "1:5.1.8-6.el9");
  nlohmann::json json = *package;
  EXPECT_EQ(json["epoch"], 1);
  EXPECT_EQ(json["arch"], "x86_64");
}

TEST(RpmHeader, NoEpochMeansVersionReleaseOnly) {
  std::string data = std::string(
      "a\0"
      "1\0"
      "2\0",
      6);
  auto package =
      ParseRpmHeaderBlob(Blob({{1000, 6, 0, 1}, {1001, 6, 2, 1}, {1002, 6, 4, 1}}, data));
  ASSERT_TRUE(package) << package.error();
  EXPECT_FALSE(package->epoch);
  EXPECT_EQ(package->Evr(), "1-2");
  EXPECT_EQ(package->arch, "");
  EXPECT_EQ(nlohmann::json(*package)["epoch"], nullptr);
}

TEST(RpmHeader, TrailingBytesAfterTheDataStoreAreIgnored) {
  EXPECT_TRUE(ParseRpmHeaderBlob(GoodBlob() + std::string(64, '\xff')));
}

TEST(RpmHeader, EveryTruncationIsAnError) {
  std::string good = GoodBlob();
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(ParseRpmHeaderBlob(good.substr(0, n))) << n;
  }
}

TEST(RpmHeader, AbsurdIndexCountOrDataLengthIsRejectedBeforeReading) {
  std::string data = "a";
  EXPECT_FALSE(ParseRpmHeaderBlob(Blob({}, data, 0x7fffffff, 1)));
  EXPECT_FALSE(ParseRpmHeaderBlob(Blob({}, data, 0x00010000, 1)));  // HEADER_TAGS_MAX + 1
  EXPECT_FALSE(ParseRpmHeaderBlob(Blob({{1000, 6, 0, 1}}, data, 1, 0xffffffff)));
  EXPECT_FALSE(ParseRpmHeaderBlob(Blob({{1000, 6, 0, 1}}, data, 1, 0x10000000)));
  auto zero = ParseRpmHeaderBlob(Blob({}, "", 0, 0));
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().find("index count 0"), std::string::npos);
}

TEST(RpmHeader, OffsetsPastTheDataStoreAreRejected) {
  std::string data = std::string(
      "a\0"
      "1\0"
      "2\0",
      6);
  EXPECT_FALSE(ParseRpmHeaderBlob(Blob({{1000, 6, 6, 1}, {1001, 6, 2, 1}, {1002, 6, 4, 1}}, data)));
  EXPECT_FALSE(
      ParseRpmHeaderBlob(Blob({{1000, 6, 0xfffffff0, 1}, {1001, 6, 2, 1}, {1002, 6, 4, 1}}, data)));
  // The string's bytes are there but its NUL is beyond dl (it sits in the trailing bytes).
  std::string unterminated =
      Blob({{1000, 6, 0, 1}, {1001, 6, 0, 1}, {1002, 6, 0, 1}}, "abc") + std::string("\0", 1);
  auto parsed = ParseRpmHeaderBlob(unterminated);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().find("not terminated"), std::string::npos);
  // An int32 whose 4 bytes run past the end, or are misaligned.
  std::string ints = std::string(
                         "a\0"
                         "1\0"
                         "2\0\0\0",
                         8) +
                     Be32(3);
  EXPECT_FALSE(ParseRpmHeaderBlob(
      Blob({{1000, 6, 0, 1}, {1001, 6, 2, 1}, {1002, 6, 4, 1}, {1003, 4, 10, 1}}, ints)));
  EXPECT_FALSE(ParseRpmHeaderBlob(
      Blob({{1000, 6, 0, 1}, {1001, 6, 2, 1}, {1002, 6, 4, 1}, {1003, 4, 12, 1}}, ints)));
  EXPECT_TRUE(ParseRpmHeaderBlob(
      Blob({{1000, 6, 0, 1}, {1001, 6, 2, 1}, {1002, 6, 4, 1}, {1003, 4, 8, 1}}, ints)));
}

TEST(RpmHeader, WrongTypesAndMissingTagsAreErrors) {
  std::string data = std::string(
      "a\0"
      "1\0"
      "2\0",
      6);
  EXPECT_FALSE(ParseRpmHeaderBlob(Blob({{1000, 4, 0, 1}, {1001, 6, 2, 1}, {1002, 6, 4, 1}}, data)));
  EXPECT_FALSE(ParseRpmHeaderBlob(Blob({{1000, 6, 0, 0}, {1001, 6, 2, 1}, {1002, 6, 4, 1}}, data)));
  auto no_name = ParseRpmHeaderBlob(Blob({{1001, 6, 2, 1}, {1002, 6, 4, 1}}, data));
  ASSERT_FALSE(no_name);
  EXPECT_NE(no_name.error().find("NAME"), std::string::npos);
  EXPECT_FALSE(ParseRpmHeaderBlob(Blob({{1000, 6, 0, 1}, {1002, 6, 4, 1}}, data)));
}

TEST(RpmHeader, BinaryJunkNeverCrashes) {
  std::string junk;
  uint32_t x = 12345;
  for (int round = 0; round < 2000; ++round) {
    junk.clear();
    size_t size = x % 300;
    for (size_t i = 0; i < size; ++i) {
      x = x * 1103515245 + 12345;
      junk.push_back(static_cast<char>(x >> 16));
    }
    // Small plausible il/dl so the index loop actually runs over junk entries.
    if (junk.size() >= 8) {
      junk.replace(0, 8, Be32(x % 8 + 1) + Be32(x % 64));
    }
    // A package only with the three tags rpm needs to name it; otherwise a reason.
    if (auto package = ParseRpmHeaderBlob(junk)) {
      EXPECT_FALSE(package->name.empty());
      EXPECT_FALSE(package->version.empty());
      EXPECT_FALSE(package->release.empty());
    } else {
      EXPECT_FALSE(package.error().empty());
    }
  }
}

}  // namespace
}  // namespace imageprobe::probes
