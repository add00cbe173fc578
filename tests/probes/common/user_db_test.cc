// SPDX-License-Identifier: Apache-2.0
#include "probes/common/user_db.h"

#include <gtest/gtest.h>

#include "tests/support/memory_fs.h"

namespace imageprobe::probes {
namespace {

TEST(UserDb, GroupsCombinePrimaryAndSupplementary) {
  auto db = BuildUserDb(parse::ParsePasswd("alice:x:1000:1000::/home/alice:/bin/bash\n"),
                        parse::ParseGroup("alice:x:1000:\nsudo:x:27:bob,alice\nadm:x:4:alice\n"));
  ASSERT_EQ(db.users.size(), 1u);
  EXPECT_EQ(db.users[0].primary_group, "alice");
  EXPECT_EQ(db.users[0].groups, (std::vector<std::string>{"alice", "sudo", "adm"}));
  EXPECT_EQ(db.Find("alice")->passwd.home, "/home/alice");
  EXPECT_EQ(db.FindUid(1000)->passwd.name, "alice");
  EXPECT_EQ(db.Find("nobody"), nullptr);
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
