// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/line_diff.h"

#include <gtest/gtest.h>

#include <random>

namespace imageprobe {
namespace {

using Lines = std::vector<std::string>;

// Applies hunks produced by UnifiedDiff to `old_text`: the property every diff must satisfy.
std::string Apply(std::string_view old_text, const Lines& hunks) {
  Lines old_lines;
  for (size_t start = 0; start < old_text.size();) {
    size_t nl = old_text.find('\n', start);
    if (nl == std::string_view::npos) nl = old_text.size();
    old_lines.emplace_back(old_text.substr(start, nl - start));
    start = nl + 1;
  }
  Lines result;
  size_t next_old = 0;  // 0-based
  for (const std::string& line : hunks) {
    if (line.starts_with("@@")) {
      size_t first = std::stoul(line.substr(4));
      size_t comma = line.find(',', 4), space = line.find(' ', 4);
      size_t count = comma < space ? std::stoul(line.substr(comma + 1)) : 1;
      size_t start = count == 0 ? first : first - 1;
      while (next_old < start) result.push_back(old_lines[next_old++]);
      continue;
    }
    if (line[0] == ' ') {
      EXPECT_EQ(line.substr(1), old_lines.at(next_old));
      result.push_back(old_lines[next_old++]);
    } else if (line[0] == '-') {
      EXPECT_EQ(line.substr(1), old_lines.at(next_old));
      ++next_old;
    } else {
      result.push_back(line.substr(1));
    }
  }
  while (next_old < old_lines.size()) result.push_back(old_lines[next_old++]);
  std::string out;
  for (const auto& l : result) out += l + "\n";
  return out;
}

TEST(UnifiedDiff, EqualTextsHaveNoHunks) {
  EXPECT_TRUE(UnifiedDiff("a\nb\n", "a\nb\n").empty());
  EXPECT_TRUE(UnifiedDiff("", "").empty());
}

TEST(UnifiedDiff, OneChangedLineLikeDiffU) {
  // diff -u of these two files prints exactly these hunk lines.
  Lines expected = {"@@ -2,7 +2,7 @@",      " 2", " 3", " 4", "-PermitRootLogin no",
                    "+PermitRootLogin yes", " 6", " 7", " 8"};
  EXPECT_EQ(UnifiedDiff("1\n2\n3\n4\nPermitRootLogin no\n6\n7\n8\n9\n",
                        "1\n2\n3\n4\nPermitRootLogin yes\n6\n7\n8\n9\n"),
            expected);
}

TEST(UnifiedDiff, InsertIntoEmptyAndDeleteAll) {
  EXPECT_EQ(UnifiedDiff("", "a\nb\n"), (Lines{"@@ -0,0 +1,2 @@", "+a", "+b"}));
  EXPECT_EQ(UnifiedDiff("a\n", ""), (Lines{"@@ -1 +0,0 @@", "-a"}));
}

TEST(UnifiedDiff, DistantChangesMakeTwoHunks) {
  std::string a, b;
  for (int i = 0; i < 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 || i == 17 ? "x" : std::to_string(i)) + "\n";
  }
  Lines hunks = UnifiedDiff(a, b);
  EXPECT_EQ(std::count_if(hunks.begin(), hunks.end(),
                          [](const std::string& l) { return l.starts_with("@@"); }),
            2);
  EXPECT_EQ(hunks.front(), "@@ -1,6 +1,6 @@");
  EXPECT_EQ(Apply(a, hunks), b);
}

TEST(UnifiedDiff, CrlfNulAndInvalidBytesAreJustBytes) {
  std::string a = "a\r\nb\0c\r\n\xff\xfe\n";
  a.insert(4, 1, '\0');
  std::string b = "a\r\nB\r\n\xff\xfe\n";
  Lines hunks = UnifiedDiff(a, b);
  ASSERT_FALSE(hunks.empty());
  EXPECT_EQ(Apply(a, hunks), b);
}

TEST(UnifiedDiff, RandomEditsApplyBack) {
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    std::string a, b;
    int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      std::string line(1, static_cast<char>('a' + rng() % 4));
      a += line + "\n";
      int op = static_cast<int>(rng() % 5);
      if (op == 0) continue;                    // delete
      if (op == 1) b += "new" + line + "\n";    // replace
      if (op == 2) b += line + "\n" + "ins\n";  // insert after
      if (op >= 3) b += line + "\n";            // keep
    }
    Lines hunks = UnifiedDiff(a, b);
    EXPECT_EQ(Apply(a, hunks), b) << "round " << round;
  }
}

TEST(UnifiedDiff, TooBigForTheTableIsOneReplacementAndStillCorrect) {
  std::string a, b;
  for (int i = 0; i < 300; ++i) {
    a += "old" + std::to_string(i) + "\n";
    b += "new" + std::to_string(i) + "\n";
  }
  Lines hunks = UnifiedDiff(a, b, {.max_lines = 10000, .max_table_cells = 1000});
  EXPECT_EQ(hunks.size(), 601u);
  EXPECT_EQ(Apply(a, hunks), b);
}

TEST(UnifiedDiff, OutputIsBoundedWithANote) {
  std::string a, b;
  for (int i = 0; i < 1000; ++i) b += std::to_string(i) + "\n";
  Lines hunks = UnifiedDiff(a, b, {.max_lines = 50});
  ASSERT_EQ(hunks.size(), 51u);
  EXPECT_EQ(hunks.back(), "… 951 more diff lines left out");
}

}  // namespace
}  // namespace imageprobe
