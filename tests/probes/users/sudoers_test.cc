// SPDX-License-Identifier: Apache-2.0
#include "probes/users/sudoers.h"

#include <gtest/gtest.h>

#include "probes/users/sudoers_tree.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::probes::users {
namespace {

using namespace std::string_literals;
using testing::MemoryFs;

TEST(ParseSudoers, DebianDefaultFile) {
  auto parsed = ParseSudoers(
      "#\n# This file MUST be edited with the 'visudo' command as root.\n#\n"
      "Defaults\tenv_reset\n"
      "Defaults\tsecure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin\"\n"
      "Defaults:%sudo !lecture\n"
      "root\tALL=(ALL:ALL) ALL\n"
      "%sudo\tALL=(ALL:ALL) ALL\n"
      "@includedir /etc/sudoers.d\n");
  EXPECT_TRUE(parsed.problems.empty()) << parsed.problems[0].message;
  ASSERT_EQ(parsed.rules.size(), 2u);
  EXPECT_EQ(parsed.rules[1].users, std::vector<std::string>{"%sudo"});
  EXPECT_EQ(parsed.rules[1].commands[0].runas, "ALL:ALL");
  EXPECT_EQ(parsed.rules[1].commands[0].command, "ALL");
  EXPECT_FALSE(parsed.rules[1].commands[0].nopasswd);
  ASSERT_EQ(parsed.includes.size(), 1u);
  EXPECT_TRUE(parsed.includes[0].directory);
  EXPECT_EQ(parsed.includes[0].path, "/etc/sudoers.d");
}

TEST(ParseSudoers, TagsAliasesContinuationAndSections) {
  auto parsed = ParseSudoers(
      "User_Alias ADMINS = alice, bob : OPS = carol\n"
      "Cmnd_Alias EVERYTHING = ALL\n"
      "ADMINS, #1005 ALL = (root) NOPASSWD: /usr/bin/apt, PASSWD: /bin/sh, \\\n"
      "    NOEXEC: /usr/bin/vi : web01 = SETENV: NOPASSWD: ALL\n"
      "#includedir /etc/sudoers.d\n"
      "#include \"/etc/sudo extra\"\n"
      "%wheel ALL=(ALL) NOPASSWD:ALL # trailing comment\n"
      "ubuntu ALL=(ALL) sha256:abcdef== /usr/bin/id\n"
      "not a valid line\n");
  ASSERT_EQ(parsed.aliases.size(), 3u);
  EXPECT_EQ(parsed.aliases[1].name, "OPS");
  EXPECT_EQ(parsed.aliases[0].members, (std::vector<std::string>{"alice", "bob"}));
  ASSERT_EQ(parsed.rules.size(), 3u);
  const auto& r = parsed.rules[0];
  EXPECT_EQ(r.line, 3u);
  EXPECT_EQ(r.users, (std::vector<std::string>{"ADMINS", "#1005"}));
  ASSERT_EQ(r.commands.size(), 4u);
  EXPECT_TRUE(r.commands[0].nopasswd);
  EXPECT_FALSE(r.commands[1].nopasswd);
  EXPECT_FALSE(r.commands[2].nopasswd);  // PASSWD: carries on to later commands
  EXPECT_EQ(r.commands[2].command, "/usr/bin/vi");
  EXPECT_TRUE(r.commands[3].nopasswd);
  EXPECT_EQ(r.commands[3].command, "ALL");
  EXPECT_EQ(r.hosts, (std::vector<std::string>{"ALL", "web01"}));
  EXPECT_TRUE(parsed.rules[1].commands[0].nopasswd);
  EXPECT_EQ(parsed.rules[2].commands[0].command, "/usr/bin/id");
  ASSERT_EQ(parsed.includes.size(), 2u);
  EXPECT_EQ(parsed.includes[1].path, "/etc/sudo extra");
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].line, 9u);
}

TEST(ParseSudoers, HostileInput) {
  std::string huge(1 << 20, 'a');
  auto parsed = ParseSudoers("alice ALL=(ALL" + huge + "\n" + huge + "\\\n" + huge + "\n" +
                             "\0\xff\xfe = = =\r\n"s + "bob ALL=(ALL) NOPASSWD: ALL\r\n" +
                             "carol ALL=\n" + "x y = ,\n");
  ASSERT_EQ(parsed.rules.size(), 1u);
  EXPECT_EQ(parsed.rules[0].line, 5u);
  EXPECT_EQ(parsed.problems.size(), 4u);
}

TEST(SudoersIncludedir, SkipsBackupsAndDottedNames) {
  EXPECT_FALSE(SudoersIncludedirSkips("90-cloud-init-users"));
  EXPECT_FALSE(SudoersIncludedirSkips("ssm-agent-users"));
  EXPECT_TRUE(SudoersIncludedirSkips("README~"));
  EXPECT_TRUE(SudoersIncludedirSkips("admins.dpkg-old"));
  EXPECT_TRUE(SudoersIncludedirSkips("x.conf"));
}

TEST(CollectSudoers, FollowsIncludesInOrderAndSkipsPerSudoersRules) {
  MemoryFs fs;
  fs.File("/etc/sudoers", "root ALL=(ALL) ALL\n@includedir /etc/sudoers.d\n#include extra\n");
  fs.File("/etc/sudoers.d/90-cloud-init-users", "ubuntu ALL=(ALL) NOPASSWD:ALL\n");
  fs.File("/etc/sudoers.d/10-admins", "%admin ALL=(ALL) ALL\n");
  fs.File("/etc/sudoers.d/10-admins~", "evil ALL=(ALL) NOPASSWD:ALL\n");
  fs.File("/etc/sudoers.d/old.rpmsave", "evil ALL=(ALL) NOPASSWD:ALL\n");
  fs.Dir("/etc/sudoers.d/subdir");
  fs.File("/etc/extra", "deploy ALL=(ALL) /usr/bin/systemctl\n");  // relative to /etc
  auto tree = CollectSudoers(fs, 1 << 20, 16);
  EXPECT_TRUE(tree.present);
  EXPECT_TRUE(tree.diagnostics.empty()) << tree.diagnostics[0].message;
  std::vector<std::string> paths;
  for (const auto& f : tree.files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/etc/sudoers", "/etc/sudoers.d/10-admins",
                                             "/etc/sudoers.d/90-cloud-init-users", "/etc/extra"}));
}

TEST(CollectSudoers, IncludeCyclesAndDepthAreReportedNotFollowed) {
  MemoryFs fs;
  fs.File("/etc/sudoers", "@include /etc/a\n");
  fs.File("/etc/a", "@include b\nalice ALL=(ALL) ALL\n");
  fs.File("/etc/b", "@include /etc/a\n@include /etc/sudoers\n@include /etc/missing\n");
  fs.Symlink("/etc/c", "/etc/a");
  fs.File("/etc/d", "@include /etc/c\n");
  auto tree = CollectSudoers(fs, 1 << 20, 16);
  ASSERT_EQ(tree.files.size(), 3u);  // sudoers, a, b: each once
  ASSERT_EQ(tree.diagnostics.size(), 3u);
  EXPECT_EQ(tree.diagnostics[0].message,
            "include loop: /etc/sudoers -> /etc/a -> /etc/b -> /etc/a");
  EXPECT_NE(tree.diagnostics[1].message.find("include loop"), std::string::npos);
  EXPECT_NE(tree.diagnostics[2].message.find("not found"), std::string::npos);

  MemoryFs deep;
  deep.File("/etc/sudoers", "@include /etc/l1\n");
  for (int i = 1; i <= 20; ++i) {
    deep.File("/etc/l" + std::to_string(i), "@include /etc/l" + std::to_string(i + 1) + "\n");
  }
  auto deep_tree = CollectSudoers(deep, 1 << 20, 16);
  EXPECT_EQ(deep_tree.files.size(), 17u);
  ASSERT_EQ(deep_tree.diagnostics.size(), 1u);
  EXPECT_NE(deep_tree.diagnostics[0].message.find("deeper than 16"), std::string::npos);
}

TEST(SudoRightsOf, NamesGroupsAliasesAndNegation) {
  MemoryFs fs;
  fs.File("/etc/sudoers",
          "User_Alias ADMINS = alice, %ops, !mallory\n"
          "Cmnd_Alias ANY = ALL\n"
          "ADMINS ALL=(ALL) NOPASSWD: ANY\n"
          "#1002 ALL=(ALL) NOPASSWD: /usr/bin/id\n"
          "%#2000 ALL=(ALL) ALL\n");
  auto tree = CollectSudoers(fs, 1 << 20, 16);
  auto db = BuildUserDb(parse::ParsePasswd("alice:x:1000:1000::/home/alice:/bin/bash\n"
                                           "mallory:x:1001:1001::/home/m:/bin/bash\n"
                                           "bob:x:1002:2000::/home/bob:/bin/bash\n"
                                           "carol:x:1003:1003::/home/c:/bin/bash\n"),
                        parse::ParseGroup("ops:x:3000:mallory,carol\nstaff:x:2000:\n"));
  auto alice = SudoRightsOf(tree, *db.Find("alice"), db);
  EXPECT_TRUE(alice.nopasswd_all);
  auto mallory = SudoRightsOf(tree, *db.Find("mallory"), db);
  EXPECT_TRUE(mallory.grants.empty());  // in %ops but excluded by !mallory, which comes later
  auto carol = SudoRightsOf(tree, *db.Find("carol"), db);
  EXPECT_TRUE(carol.nopasswd_all);
  auto bob = SudoRightsOf(tree, *db.Find("bob"), db);
  ASSERT_EQ(bob.grants.size(), 2u);
  EXPECT_TRUE(bob.any_nopasswd);
  EXPECT_FALSE(bob.nopasswd_all);
  EXPECT_TRUE(bob.all_commands);
}

}  // namespace
}  // namespace imageprobe::probes::users
