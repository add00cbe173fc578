// SPDX-License-Identifier: Apache-2.0
#include "probes/common/user_db.h"

#include <gtest/gtest.h>

#include "tests/support/memory_fs.h"

namespace imageprobe::probes {
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

TEST(UserDb, GroupsCombinePrimaryAndSupplementary) {
  auto db = BuildUserDb(ParsePasswd("alice:x:1000:1000::/home/alice:/bin/bash\n"),
                        ParseGroup("alice:x:1000:\nsudo:x:27:bob,alice\nadm:x:4:alice\n"));
  ASSERT_EQ(db.users.size(), 1u);
  EXPECT_EQ(db.users[0].primary_group, "alice");
  EXPECT_EQ(db.users[0].groups, (std::vector<std::string>{"alice", "sudo", "adm"}));
  EXPECT_EQ(db.Find("alice")->passwd.home, "/home/alice");
  EXPECT_EQ(db.FindUid(1000)->passwd.name, "alice");
  EXPECT_EQ(db.Find("nobody"), nullptr);
}

TEST(UserDb, NoLoginShells) {
  EXPECT_TRUE(IsNoLoginShell("/usr/sbin/nologin"));
  EXPECT_TRUE(IsNoLoginShell("/bin/false"));
  EXPECT_FALSE(IsNoLoginShell("/bin/bash"));
}

TEST(UsersOf, ReadsOncePerRootThroughTheContext) {
  testing::MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0::/root:/bin/sh\nbad line\n");
  OsInfo os;
  ScanLimits limits;
  Context context;
  Target target{fs, os, limits, context};
  const UserDb& first = UsersOf(target);
  EXPECT_TRUE(first.passwd_present);
  EXPECT_EQ(first.users.size(), 1u);
  ASSERT_EQ(first.diagnostics.size(), 1u);
  EXPECT_EQ(first.diagnostics[0].path, "/etc/passwd");
  EXPECT_EQ(&UsersOf(target), &first);  // memoised
}

}  // namespace
}  // namespace imageprobe::probes
