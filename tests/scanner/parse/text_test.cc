// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/text.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace imageprobe::parse {
namespace {

TEST(Text, ForEachLineDropsCrAndKeepsLastLine) {
  std::vector<std::pair<std::string, uint32_t>> lines;
  ForEachLine("a\r\n\nb", [&](std::string_view line, uint32_t n) { lines.emplace_back(line, n); });
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], (std::pair<std::string, uint32_t>{"a", 1}));
  EXPECT_EQ(lines[1], (std::pair<std::string, uint32_t>{"", 2}));
  EXPECT_EQ(lines[2], (std::pair<std::string, uint32_t>{"b", 3}));
}

TEST(Text, SplitFieldsKeepsEmptyFields) {
  EXPECT_EQ(SplitFields("a::b", ':'), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(SplitFields("", ':'), (std::vector<std::string_view>{""}));
}

TEST(Text, SplitWhitespaceDropsRuns) {
  EXPECT_EQ(SplitWhitespace(" a \t b  "), (std::vector<std::string_view>{"a", "b"}));
}

TEST(Text, CaseHelpersAreAscii) {
  EXPECT_EQ(ToLower("PermitRootLogin"), "permitrootlogin");
  EXPECT_TRUE(EqualsIgnoreCase("UsePAM", "usepam"));
  EXPECT_FALSE(EqualsIgnoreCase("UsePAM", "usepa"));
  EXPECT_TRUE(StartsWithIgnoreCase("Match User x", "match"));
}

TEST(Text, TrimAndOctal) {
  EXPECT_EQ(TrimWhitespace(" \tx y\r\n"), "x y");
  EXPECT_EQ(OctalMode(0100644), "0644");
  EXPECT_EQ(OctalMode(04755), "4755");
}

TEST(Text, JoinTakesAnyRangeOfStrings) {
  EXPECT_EQ(Join(std::vector<std::string>{}, ", "), "");
  EXPECT_EQ(Join(std::vector<std::string>{"a"}, ", "), "a");
  EXPECT_EQ(Join(std::set<std::string>{"b", "a"}, ", "), "a, b");
  EXPECT_EQ(Join(std::vector<std::string_view>{"x", "y", "z"}, ","), "x,y,z");
}

}  // namespace
}  // namespace imageprobe::parse
