// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/passwd.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace imageprobe::parse {
namespace {

TEST(ParsePasswd, ReadsFieldsAndReportsMalformedLines) {
  auto parsed = ParsePasswd(
      "root:x:0:0:root:/root:/bin/bash\r\n"
      "# comment\n"
      "\n"
      "broken:x:notanumber:0::/:/bin/sh\n"
      "short:x:1\n"
      "deploy:x:1001:1001:Deploy,,,:/home/deploy:/bin/bash");
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].shell, "/bin/bash");  // CR stripped
  EXPECT_EQ(parsed.entries[1].name, "deploy");
  EXPECT_EQ(parsed.entries[1].uid, 1001u);
  EXPECT_EQ(parsed.entries[1].line, 6u);
  ASSERT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(parsed.problems[0].line, 4u);
  EXPECT_EQ(parsed.problems[1].line, 5u);
}

TEST(ParsePasswd, SurvivesBinaryJunk) {
  using namespace std::string_literals;
  std::string junk = "\0\xff\xfe:::\n\x1b[2J::::::\n"s;
  auto parsed = ParsePasswd(junk);
  EXPECT_TRUE(parsed.entries.empty());
  EXPECT_EQ(parsed.problems.size(), 2u);
}

TEST(ParseGroup, ReadsMembersAndReportsMalformedLines) {
  auto parsed = ParseGroup("sudo:x:27:bob,,alice\nadm:x:4:\nbad:x:four:\nshort:x\n");
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].members, (std::vector<std::string>{"bob", "alice"}));
  EXPECT_TRUE(parsed.entries[1].members.empty());
  ASSERT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(parsed.problems[0].line, 3u);
}

TEST(IsNoLoginShell, RefusingShells) {
  EXPECT_TRUE(IsNoLoginShell("/usr/sbin/nologin"));
  EXPECT_TRUE(IsNoLoginShell("/bin/false"));
  EXPECT_FALSE(IsNoLoginShell("/bin/bash"));
}

}  // namespace
}  // namespace imageprobe::parse
