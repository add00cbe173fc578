// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/diff.h"

#include <gtest/gtest.h>

#include "probes/all_probes.h"
#include "probes/files/config_files_records.h"
#include "probes/ssh/authorized_keys_records.h"
#include "probes/ssh/keys_records.h"
#include "probes/ssh/trusted_user_ca_records.h"
#include "probes/sshd/sshd_records.h"
#include "probes/users/users_records.h"

namespace imageprobe {
namespace {

std::string Kind(const RecordKind& kind) { return std::string(kind.name); }

Fact Key(std::string user, std::string fp, int line) {
  return {Kind(probes::kAuthorizedKeyRecord),
          user + "|" + fp,
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
  DiffReport d = DiffReports(a, a, probes::AllRecordKinds());
  EXPECT_TRUE(d.Empty());
  EXPECT_TRUE(d.headlines.empty());
  EXPECT_FALSE(d.HasRegression());
}

TEST(DiffReports, ShiftedLinesAndRenamedSingleRootAreNotChanges) {
  Report a = OneRoot("/dev/sda1", {Key("deploy", "SHA256:a", 1)});
  Report b = OneRoot("/dev/nvme0n1p1", {Key("deploy", "SHA256:a", 7)});
  EXPECT_TRUE(DiffReports(a, b, probes::AllRecordKinds()).Empty());
}

TEST(DiffReports, EveryKeyOfSomeUsersGoneIsARegressionHeadline) {
  Report a = OneRoot(
      "/", {Key("deploy", "SHA256:a", 1), Key("ci", "SHA256:b", 1), Key("web", "SHA256:c", 1),
            Key("web", "SHA256:d", 2), Key("ops", "SHA256:e", 1)});
  Report b = OneRoot(
      "/", {Key("web", "SHA256:c", 1), Key("ops", "SHA256:e", 1), Key("ops", "SHA256:f", 2)});
  DiffReport d = DiffReports(a, b, probes::AllRecordKinds());
  ASSERT_GE(d.headlines.size(), 3u);
  EXPECT_EQ(d.headlines[0].text, "authorized_keys removed for 2 users: ci, deploy");
  EXPECT_TRUE(d.headlines[0].regression);
  EXPECT_EQ(d.headlines[1].text, "authorized keys removed for 1 user who keep others: web");
  EXPECT_EQ(d.headlines[2].text, "authorized keys added for 1 user: ops");
  EXPECT_FALSE(d.headlines[2].regression);
  EXPECT_TRUE(d.HasRegression());
  EXPECT_EQ(d.facts.size(), 4u);  // 3 removed, 1 added
}

std::vector<std::string> HeadlineTexts(const DiffReport& d) {
  std::vector<std::string> texts;
  for (const auto& h : d.headlines) texts.push_back(h.text);
  return texts;
}

TEST(DiffReports, SettingChangesAndNewFindingsAreHeadlined) {
  Finding f{.rule_id = "sshd.permit_root_login",
            .severity = Severity::kHigh,
            .identity = "sshd.permit_root_login|/etc/ssh/sshd_config||"};
  Report a = OneRoot(
      "/", {{Kind(probes::kSshdSettingRecord), "PermitRootLogin", {{"value", "prohibit-password"}}},
            {Kind(probes::kUserRecord), "alice", {{"can_log_in", true}}},
            {Kind(probes::kUserRecord), "bob", {{"can_log_in", true}}}});
  Report b = OneRoot("/",
                     {{Kind(probes::kSshdSettingRecord), "PermitRootLogin", {{"value", "yes"}}},
                      {Kind(probes::kUserRecord), "bob", {{"can_log_in", false}}}},
                     {f});
  DiffReport d = DiffReports(a, b, probes::AllRecordKinds());
  std::vector<std::string> texts = HeadlineTexts(d);
  EXPECT_EQ(texts,
            (std::vector<std::string>{"users who could log in removed: alice",
                                      "users who could log in no longer can: bob",
                                      "sshd PermitRootLogin: prohibit-password -> yes",
                                      "1 new high/critical finding: sshd.permit_root_login"}));
  EXPECT_EQ(d.MaxAddedSeverity(), Severity::kHigh);
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].change, Change::kAdded);
}

TEST(DiffReports, ResolvedFindingIsRemovedAndNotARegression) {
  Finding f{.rule_id = "x", .severity = Severity::kCritical, .identity = "x|||"};
  DiffReport d = DiffReports(OneRoot("/", {}, {f}), OneRoot("/", {}), probes::AllRecordKinds());
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].change, Change::kRemoved);
  EXPECT_FALSE(d.MaxAddedSeverity());
  EXPECT_FALSE(d.HasRegression());
}

std::vector<std::string> Texts(const DiffReport& d) {
  std::vector<std::string> texts = HeadlineTexts(d);
  return texts;
}

TEST(DiffReports, UserShellSudoAndPasswordChangesAreSpecific) {
  nlohmann::json before = {{"can_log_in", true},
                           {"shell", "/bin/bash"},
                           {"password_state", "locked"},
                           {"sudo", {{"all_commands", false}, {"rules", nlohmann::json::array()}}}};
  nlohmann::json after = before;
  after["shell"] = "/bin/zsh";
  after["password_state"] = "usable";
  after["sudo"] = {{"all_commands", true},
                   {"rules", {{{"file", "/etc/sudoers.d/ops"}, {"line", 3}}}}};
  DiffReport d = DiffReports(OneRoot("/", {{Kind(probes::kUserRecord), "ops", before}}),
                             OneRoot("/", {{Kind(probes::kUserRecord), "ops", after}}),
                             probes::AllRecordKinds());
  ASSERT_EQ(d.facts.size(), 1u);
  EXPECT_EQ(d.facts[0].changed_fields,
            (std::vector<std::string>{"password_state", "shell", "sudo"}));
  EXPECT_EQ(Texts(d),
            (std::vector<std::string>{"users granted full sudo: ops",
                                      "users whose password now works (usable or empty): ops"}));
  EXPECT_FALSE(d.HasRegression());
}

TEST(DiffReports, NestedLinesAndOriginLinesAreNotChanges) {
  nlohmann::json sudo_a = {{"sudo", {{"rules", {{{"file", "/etc/sudoers"}, {"line", 4}}}}}}};
  nlohmann::json sudo_b = {{"sudo", {{"rules", {{{"file", "/etc/sudoers"}, {"line", 9}}}}}}};
  Report a = OneRoot("/", {{Kind(probes::kUserRecord), "u", sudo_a},
                           {Kind(probes::kSshdSettingRecord),
                            "UsePAM",
                            {{"value", "yes"}, {"origins", {"/etc/ssh/sshd_config:5"}}}}});
  Report b = OneRoot("/", {{Kind(probes::kUserRecord), "u", sudo_b},
                           {Kind(probes::kSshdSettingRecord),
                            "UsePAM",
                            {{"value", "yes"}, {"origins", {"/etc/ssh/sshd_config:12"}}}}});
  EXPECT_TRUE(DiffReports(a, b, probes::AllRecordKinds()).Empty());
  // Another file is a change.
  Report c = OneRoot("/", {{Kind(probes::kUserRecord), "u", sudo_b},
                           {Kind(probes::kSshdSettingRecord),
                            "UsePAM",
                            {{"value", "yes"}, {"origins", {"/etc/ssh/sshd_config.d/x.conf:1"}}}}});
  DiffReport d = DiffReports(a, c, probes::AllRecordKinds());
  ASSERT_EQ(d.facts.size(), 1u);
  EXPECT_EQ(d.facts[0].changed_fields, (std::vector<std::string>{"origins"}));
}

TEST(DiffReports, PerUserAccessSettingsFromMatchBlocksAreHeadlined) {
  Report a = OneRoot(
      "/",
      {{Kind(probes::kSshdUserSettingRecord), "deploy|PasswordAuthentication", {{"value", "no"}}},
       {Kind(probes::kSshdUserSettingRecord), "ci|PermitRootLogin", {{"value", "no"}}},
       {Kind(probes::kSshdUserSettingRecord), "ci|Banner", {{"value", "/etc/issue"}}}});
  Report b = OneRoot(
      "/",
      {{Kind(probes::kSshdUserSettingRecord), "deploy|PasswordAuthentication", {{"value", "yes"}}},
       {Kind(probes::kSshdUserSettingRecord), "app|AuthorizedKeysFile", {{"value", "/srv/keys"}}},
       {Kind(probes::kSshdUserSettingRecord), "ci|Banner", {{"value", "none"}}}});
  DiffReport d = DiffReports(a, b, probes::AllRecordKinds());
  std::vector<std::string> texts = HeadlineTexts(d);
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "sshd AuthorizedKeysFile for app (Match): (global value) -> /srv/keys",
                       "sshd PermitRootLogin for ci (Match): no -> (global value)",
                       "sshd PasswordAuthentication for deploy (Match): no -> yes"}));
  EXPECT_EQ(d.facts.size(), 4u);  // Banner changed too: a fact change, not a headline
}

Fact KeyIn(std::string user, std::string fp, std::string path) {
  return {Kind(probes::kAuthorizedKeyRecord),
          user + "|" + fp,
          {{"user", user}, {"fingerprint", fp}, {"path", path}, {"line", 1}}};
}

TEST(DiffReports, KeysMovedToAnotherUserOrFileArePaired) {
  Report a = OneRoot("/", {KeyIn("deploy", "SHA256:k1", "/home/deploy/.ssh/authorized_keys"),
                           KeyIn("ops", "SHA256:k2", "/home/ops/.ssh/authorized_keys"),
                           KeyIn("ops", "SHA256:k3", "/home/ops/.ssh/authorized_keys")});
  Report b = OneRoot("/", {KeyIn("ci", "SHA256:k1", "/home/ci/.ssh/authorized_keys"),
                           KeyIn("ops", "SHA256:k2", "/home/ops/.ssh/authorized_keys2"),
                           KeyIn("ops", "SHA256:k3", "/home/ops/.ssh/authorized_keys")});
  DiffReport d = DiffReports(a, b, probes::AllRecordKinds());
  ASSERT_EQ(d.facts.size(), 3u);  // ci|k1 added, deploy|k1 removed, ops|k2 changed (path)
  EXPECT_EQ(d.facts[0].key, "ci|SHA256:k1");
  EXPECT_EQ(d.facts[0].moved_from, "deploy|SHA256:k1");
  EXPECT_EQ(d.facts[1].key, "deploy|SHA256:k1");
  EXPECT_EQ(d.facts[1].moved_to, "ci|SHA256:k1");
  EXPECT_EQ(d.facts[2].changed_fields, (std::vector<std::string>{"path"}));
  auto texts = Texts(d);
  // deploy lost its only key: still a regression, even though the key went elsewhere.
  EXPECT_EQ(texts[0], "authorized_keys removed for 1 user: deploy");
  EXPECT_NE(std::ranges::find(texts,
                              "authorized keys moved: deploy -> ci (SHA256:k1); ops: "
                              "/home/ops/.ssh/authorized_keys -> "
                              "/home/ops/.ssh/authorized_keys2 (SHA256:k2)"),
            texts.end());
}

Fact HostKey(std::string type, std::string fp) {
  return {Kind(probes::kHostKeyRecord), type + "|" + fp, {{"type", type}, {"fingerprint", fp}}};
}

TEST(DiffReports, TrustedUserCaRemovedIsARegressionAndMovedIsNot) {
  auto ca = [](std::string path, std::string fp) {
    return Fact{
        Kind(probes::kTrustedUserCaRecord), path + "|" + fp, {{"path", path}, {"fingerprint", fp}}};
  };
  Report a =
      OneRoot("/", {ca("/etc/ssh/ca.pub", "SHA256:corp"), ca("/etc/ssh/ca.pub", "SHA256:old")});
  Report b = OneRoot(
      "/", {ca("/etc/ssh/trusted/ca.pub", "SHA256:corp"), ca("/etc/ssh/ca.pub", "SHA256:new")});
  DiffReport d = DiffReports(a, b, probes::AllRecordKinds());
  std::vector<std::string> texts = HeadlineTexts(d);
  EXPECT_EQ(texts,
            (std::vector<std::string>{
                "user certificate CAs no longer trusted (certificate logins fail): SHA256:old",
                "user certificate CAs newly trusted: SHA256:new"}));
  EXPECT_TRUE(d.HasRegression());
}

TEST(DiffReports, TrustedUserCaNamedOnAnotherLineIsNotAChangeAndInAnotherFileIs) {
  auto ca = [](std::string configured_at, int line) {
    return Fact{Kind(probes::kTrustedUserCaRecord),
                "/etc/ssh/ca.pub|SHA256:corp",
                {{"path", "/etc/ssh/ca.pub"},
                 {"line", line},
                 {"fingerprint", "SHA256:corp"},
                 {"configured_at", configured_at}}};
  };
  Report a = OneRoot("/", {ca("/etc/ssh/sshd_config:3", 1)});
  Report b = OneRoot("/", {ca("/etc/ssh/sshd_config:41", 2)});
  EXPECT_TRUE(DiffReports(a, b, probes::AllRecordKinds()).Empty());
  Report c = OneRoot("/", {ca("/etc/ssh/sshd_config.d/ca.conf:1", 1)});
  DiffReport d = DiffReports(a, c, probes::AllRecordKinds());
  ASSERT_EQ(d.facts.size(), 1u);
  EXPECT_EQ(d.facts[0].changed_fields, (std::vector<std::string>{"configured_at"}));
}

TEST(DiffReports, HostKeysIdenticalAcrossTwoVersionsAreARegression) {
  Report a =
      OneRoot("/", {HostKey("ed25519", "SHA256:h1"),
                    HostKey("rsa", "SHA256:h2"),
                    {Kind(probes::kSshdSettingRecord), "PermitRootLogin", {{"value", "no"}}}});
  Report b =
      OneRoot("/", {HostKey("ed25519", "SHA256:h1"),
                    HostKey("rsa", "SHA256:h2"),
                    {Kind(probes::kSshdSettingRecord), "PermitRootLogin", {{"value", "yes"}}}});
  DiffReport d = DiffReports(a, b, probes::AllRecordKinds());
  ASSERT_FALSE(d.headlines.empty());
  EXPECT_EQ(d.headlines[0].text,
            "host keys identical in both versions: 2 keys (ed25519, rsa); every instance of "
            "both releases shares them");
  EXPECT_TRUE(d.headlines[0].regression);
  // The same release compared with itself: nothing to say.
  DiffReport same = DiffReports(a, a, probes::AllRecordKinds());
  EXPECT_TRUE(same.headlines.empty());
  // Regenerated: removed + added, not identical.
  Report c =
      OneRoot("/", {HostKey("ed25519", "SHA256:h9"),
                    {Kind(probes::kSshdSettingRecord), "PermitRootLogin", {{"value", "no"}}}});
  EXPECT_EQ(Texts(DiffReports(a, c, probes::AllRecordKinds())),
            (std::vector<std::string>{"host keys regenerated"}));
}

TEST(DiffReports, FindingSeverityChangeIsAChangeAndRaisedToHighIsHeadlined) {
  Finding low{.rule_id = "os.eol",
              .severity = Severity::kLow,
              .evidence = "EOL 2027",
              .identity = "os.eol|/etc/os-release||"};
  Finding high = low;
  high.severity = Severity::kHigh;
  DiffReport d =
      DiffReports(OneRoot("/", {}, {low}), OneRoot("/", {}, {high}), probes::AllRecordKinds());
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].change, Change::kChanged);
  EXPECT_EQ(d.findings[0].old_finding->severity, Severity::kLow);
  EXPECT_EQ(d.findings[0].new_finding->severity, Severity::kHigh);
  EXPECT_EQ(d.MaxAddedSeverity(), Severity::kHigh);
  EXPECT_EQ(Texts(d), (std::vector<std::string>{"1 new high/critical finding: os.eol"}));
  // Lowered: a change, no headline, nothing added.
  DiffReport back =
      DiffReports(OneRoot("/", {}, {high}), OneRoot("/", {}, {low}), probes::AllRecordKinds());
  ASSERT_EQ(back.findings.size(), 1u);
  EXPECT_TRUE(back.headlines.empty());
  EXPECT_FALSE(back.MaxAddedSeverity());
}

TEST(DiffReports, SuppressedNewFindingIsListedButGatesNothing) {
  Finding f{.rule_id = "sshd.permit_root_login",
            .severity = Severity::kCritical,
            .identity = "sshd.permit_root_login|/etc/ssh/sshd_config||"};
  f.suppressed = Suppression{.by = "ignore_file", .reason = "accepted", .expires = ""};
  DiffReport d = DiffReports(OneRoot("/", {}), OneRoot("/", {}, {f}), probes::AllRecordKinds());
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_FALSE(d.MaxAddedSeverity());
  EXPECT_TRUE(d.headlines.empty());
}

TEST(DiffReports, ConfigFileTextChangeCarriesAUnifiedDiff) {
  auto file = [](std::string text, std::string mode) {
    return Fact{Kind(probes::kConfigFileRecord),
                "/etc/ssh/sshd_config",
                {{"path", "/etc/ssh/sshd_config"}, {"mode", mode}, {"text", text}}};
  };
  DiffReport d = DiffReports(OneRoot("/", {file("A\nPermitRootLogin no\nB\n", "0644")}),
                             OneRoot("/", {file("A\nPermitRootLogin yes\nB\n", "0755")}),
                             probes::AllRecordKinds());
  ASSERT_EQ(d.facts.size(), 1u);
  EXPECT_EQ(d.facts[0].changed_fields, (std::vector<std::string>{"mode", "text"}));
  EXPECT_EQ(d.facts[0].text_diff,
            (std::vector<std::string>{"@@ -1,3 +1,3 @@", " A", "-PermitRootLogin no",
                                      "+PermitRootLogin yes", " B"}));
  // Hash-only files (no text on either side): no diff, the hash change says it.
  Fact a{Kind(probes::kConfigFileRecord), "/etc/shadow", {{"sha256", "aa"}}};
  Fact b{Kind(probes::kConfigFileRecord), "/etc/shadow", {{"sha256", "bb"}}};
  DiffReport h = DiffReports(OneRoot("/", {a}), OneRoot("/", {b}), probes::AllRecordKinds());
  ASSERT_EQ(h.facts.size(), 1u);
  EXPECT_TRUE(h.facts[0].text_diff.empty());
}

}  // namespace
}  // namespace imageprobe
