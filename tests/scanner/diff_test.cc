// SPDX-License-Identifier: Apache-2.0
#include "scanner/diff.h"

#include <gtest/gtest.h>

namespace imageprobe {
namespace {

Fact Key(std::string user, std::string fp, int line) {
  return {"ssh/authorized_key", user + "|" + fp,
          {{"user", user}, {"fingerprint", fp}, {"line", line}, {"type", "ssh-ed25519"}}};
}

Report OneRoot(std::string name, std::vector<Fact> facts, std::vector<Finding> findings = {}) {
  Report r;
  RootReport root;
  root.root.name = std::move(name);
  root.facts = std::move(facts);
  root.findings = std::move(findings);
  r.roots.push_back(std::move(root));
  return r;
}

TEST(DiffReports, SameReportHasNoChanges) {
  Report a = OneRoot("/dev/sda1", {Key("deploy", "SHA256:a", 1)});
  DiffReport d = DiffReports(a, a);
  EXPECT_TRUE(d.Empty());
  EXPECT_TRUE(d.headlines.empty());
  EXPECT_FALSE(d.HasRegression());
}

TEST(DiffReports, ShiftedLinesAndRenamedSingleRootAreNotChanges) {
  Report a = OneRoot("/dev/sda1", {Key("deploy", "SHA256:a", 1)});
  Report b = OneRoot("/dev/nvme0n1p1", {Key("deploy", "SHA256:a", 7)});
  EXPECT_TRUE(DiffReports(a, b).Empty());
}

TEST(DiffReports, EveryKeyOfSomeUsersGoneIsARegressionHeadline) {
  Report a = OneRoot("/", {Key("deploy", "SHA256:a", 1), Key("ci", "SHA256:b", 1),
                           Key("web", "SHA256:c", 1), Key("web", "SHA256:d", 2),
                           Key("ops", "SHA256:e", 1)});
  Report b = OneRoot("/", {Key("web", "SHA256:c", 1), Key("ops", "SHA256:e", 1),
                           Key("ops", "SHA256:f", 2)});
  DiffReport d = DiffReports(a, b);
  ASSERT_GE(d.headlines.size(), 3u);
  EXPECT_EQ(d.headlines[0].text, "authorized_keys removed for 2 users: ci, deploy");
  EXPECT_TRUE(d.headlines[0].regression);
  EXPECT_EQ(d.headlines[1].text, "authorized keys removed for 1 user who keep others: web");
  EXPECT_EQ(d.headlines[2].text, "authorized keys added for 1 user: ops");
  EXPECT_FALSE(d.headlines[2].regression);
  EXPECT_TRUE(d.HasRegression());
  EXPECT_EQ(d.facts.size(), 4u);  // 3 removed, 1 added
}

TEST(DiffReports, SettingChangesAndNewFindingsAreHeadlined) {
  Finding f{.rule_id = "sshd.permit_root_login", .severity = Severity::kHigh,
            .identity = "sshd.permit_root_login|/etc/ssh/sshd_config||"};
  Report a = OneRoot("/", {{"sshd/setting", "PermitRootLogin", {{"value", "prohibit-password"}}},
                           {"users/user", "alice", {{"can_log_in", true}}},
                           {"users/user", "bob", {{"can_log_in", true}}}});
  Report b = OneRoot("/", {{"sshd/setting", "PermitRootLogin", {{"value", "yes"}}},
                           {"users/user", "bob", {{"can_log_in", false}}}},
                     {f});
  DiffReport d = DiffReports(a, b);
  std::vector<std::string> texts;
  for (const auto& h : d.headlines) texts.push_back(h.text);
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "users who could log in removed: alice",
                       "users who could log in no longer can: bob",
                       "sshd PermitRootLogin: prohibit-password -> yes",
                       "1 new high/critical finding: sshd.permit_root_login"}));
  EXPECT_EQ(d.MaxAddedSeverity(), Severity::kHigh);
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].change, Change::kAdded);
}

TEST(DiffReports, ResolvedFindingIsRemovedAndNotARegression) {
  Finding f{.rule_id = "x", .severity = Severity::kCritical, .identity = "x|||"};
  DiffReport d = DiffReports(OneRoot("/", {}, {f}), OneRoot("/", {}));
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].change, Change::kRemoved);
  EXPECT_FALSE(d.MaxAddedSeverity());
  EXPECT_FALSE(d.HasRegression());
}

}  // namespace
}  // namespace imageprobe
