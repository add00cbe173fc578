// SPDX-License-Identifier: Apache-2.0
#include "scanner/gate/expectations.h"

#include <gtest/gtest.h>

#include "probes/all_probes.h"
#include "probes/expect/path_presence_records.h"
#include "probes/ssh/authorized_keys_records.h"
#include "probes/sshd/sshd_records.h"
#include "probes/users/users_records.h"

namespace imageprobe::gate {
namespace {

constexpr std::string_view kDeployKey = "SHA256:q6w9b1z2y3x4w5v6u7t8s9r0q1p2o3n4m5l6k7j8i9h";
constexpr std::string_view kCiKey = "SHA256:AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKK";

std::string Kind(const RecordKind& kind) { return std::string(kind.name); }

Expectations Parse(std::string_view text) {
  auto parsed = ParseExpectations(text);
  EXPECT_TRUE(parsed) << parsed.error();
  return parsed ? *parsed : Expectations{};
}

std::string ParseError(std::string_view text) {
  auto parsed = ParseExpectations(text);
  EXPECT_FALSE(parsed) << text;
  return parsed ? "" : parsed.error();
}

TEST(ParseExpectations, ReadsEverySection) {
  Expectations e = Parse(R"({
    "version": 1,
    "users": {
      "deploy": {"authorized_keys": [")" +
                         std::string(kDeployKey) + R"("],
                 "sudo": {"all_commands": true, "nopasswd": false},
                 "sshd": {"PasswordAuthentication": "no"}},
      "packer": {"exists": false}
    },
    "sshd": {"permitrootlogin": "no"},
    "paths": {"present": ["/etc/ssh/sshd_config"], "absent": ["/root//.bash_history"]}
  })");
  ASSERT_EQ(e.users.size(), 2u);
  EXPECT_EQ(e.users[0].name, "deploy");
  EXPECT_TRUE(e.users[0].exists);
  EXPECT_EQ(e.users[0].authorized_keys, std::vector<std::string>{std::string(kDeployKey)});
  EXPECT_EQ(e.users[0].sudo.all_commands, true);
  EXPECT_EQ(e.users[0].sudo.nopasswd, false);
  EXPECT_FALSE(e.users[0].sudo.any);
  ASSERT_EQ(e.users[0].sshd.size(), 1u);
  EXPECT_EQ(e.users[0].sshd[0].keyword, "PasswordAuthentication");
  EXPECT_FALSE(e.users[1].exists);
  ASSERT_EQ(e.sshd.size(), 1u);
  EXPECT_EQ(e.paths_absent, std::vector<std::string>{"/root/.bash_history"});
  EXPECT_EQ(e.Paths(), (std::vector<std::string>{"/etc/ssh/sshd_config", "/root/.bash_history"}));
}

TEST(ParseExpectations, ErrorsSayWhereAndWhy) {
  EXPECT_EQ(ParseError(R"({"users": {}})"), "version: missing (this imageprobe reads version 1)");
  EXPECT_EQ(ParseError(R"({"version": 2})"),
            "version: unsupported 2 (this imageprobe reads version 1)");
  EXPECT_EQ(ParseError(R"({"version": 1, "users": {"deploy": {"authorised_keys": []}}})"),
            "users.deploy.authorised_keys: unknown key (allowed: exists, authorized_keys, sudo, "
            "sshd)");
  EXPECT_EQ(ParseError(R"({"version": 1, "users": {"d": {"sudo": {"nopasswd": "no"}}}})"),
            "users.d.sudo.nopasswd: expected true or false");
  EXPECT_EQ(ParseError(R"({"version": 1, "users": {"d": {"authorized_keys": ["MD5:aa:bb"]}}})"),
            "users.d.authorized_keys[0]: expected a SHA256 fingerprint as `ssh-keygen -l` "
            "prints it (SHA256:…)");
  EXPECT_EQ(ParseError(R"({"version": 1, "paths": {"absent": ["root/.bash_history"]}})"),
            "paths.absent[0]: expected an absolute path inside the image");
  EXPECT_EQ(ParseError(R"({"version": 1, "sshd": {"Password Authentication": "no"}})"),
            "sshd.Password Authentication: not an sshd keyword");
  EXPECT_EQ(
      ParseError(R"({"version": 1, "users": {"x": {"exists": false, "sudo": {"any": true}}}})"),
      "users.x: \"exists\": false cannot be combined with keys, sudo or sshd expectations");
  EXPECT_EQ(ParseError("[1, 2]"), "expected an object");
  EXPECT_TRUE(ParseError("{\"version\": 1,\n  \"users\": }")
                  .starts_with("invalid JSON at line 2, column 12: "));
}

TEST(ParseExpectations, HostileInputIsAnErrorNotACrash) {
  EXPECT_FALSE(ParseExpectations(std::string("{\"version\": 1}\0junk", 19)));
  EXPECT_FALSE(ParseExpectations("\xff\xfe{\"version\":1}"));
  EXPECT_FALSE(ParseExpectations(std::string(100000, '[')));
  EXPECT_FALSE(ParseExpectations(""));
  EXPECT_TRUE(ParseExpectations("{\"version\": 1}\r\n"));
  std::string long_user = "{\"version\":1,\"users\":{\"" + std::string(100000, 'a') + "\":{}}}";
  EXPECT_TRUE(ParseExpectations(long_user));
}

// A root as the probes would have left it: the users, keys and sshd facts, every probe ran.
RootReport Root() {
  RootReport root;
  root.os.detected = true;
  for (std::string_view probe : {"users", "ssh.authorized_keys", "sshd.config", "expect.paths"}) {
    root.probes.push_back({std::string(probe)});
  }
  root.facts = {
      {Kind(probes::kPathRecord),
       "/etc/ssh/sshd_config",
       {{"path", "/etc/ssh/sshd_config"}, {"present", true}, {"type", "regular"}}},
      {Kind(probes::kPathRecord),
       "/root/.bash_history",
       {{"path", "/root/.bash_history"}, {"present", true}, {"type", "symlink"}}},
      {Kind(probes::kAuthorizedKeyRecord),
       "deploy|" + std::string(kDeployKey),
       {{"user", "deploy"}, {"path", "/home/deploy/.ssh/authorized_keys"}, {"accepted", true}}},
      {Kind(probes::kAuthorizedKeyRecord),
       "ci|" + std::string(kCiKey),
       {{"user", "ci"}, {"path", "/home/ci/.ssh/authorized_keys"}, {"accepted", false}}},
      {Kind(probes::kSshdSettingRecord),
       "PasswordAuthentication",
       {{"keyword", "PasswordAuthentication"},
        {"value", "yes"},
        {"origins", {"/etc/ssh/sshd_config:12"}}}},
      {Kind(probes::kSshdSettingRecord),
       "PermitRootLogin",
       {{"keyword", "PermitRootLogin"}, {"value", "prohibit-password"}, {"is_default", true}}},
      {Kind(probes::kSshdUserSettingRecord),
       "deploy|PasswordAuthentication",
       {{"keyword", "PasswordAuthentication"}, {"value", "no"}, {"user", "deploy"}}},
      {Kind(probes::kUserRecord),
       "ci",
       {{"name", "ci"}, {"sudo", {{"rules", nlohmann::json::array()}}}}},
      {Kind(probes::kUserRecord),
       "deploy",
       {{"name", "deploy"},
        {"uid", 1001},
        {"shell", "/bin/bash"},
        {"sudo",
         {{"rules",
           {{{"file", "/etc/sudoers.d/90-deploy"},
             {"line", 1},
             {"rule", "deploy ALL=(ALL) NOPASSWD: ALL"}}}},
          {"all_commands", true},
          {"nopasswd", true},
          {"nopasswd_all", true}}}}},
  };
  return root;
}

std::vector<Finding> Evaluate(std::string_view text, const RootReport& root = Root()) {
  Output out;
  EvaluateExpectations(Parse(text), root, probes::AllRecordKinds(), out);
  return out.findings();
}

std::vector<std::string> Rules(const std::vector<Finding>& findings) {
  std::vector<std::string> rules;
  for (const Finding& f : findings) rules.push_back(f.rule_id);
  return rules;
}

TEST(EvaluateExpectations, MetExpectationsRaiseNothing) {
  auto findings = Evaluate(R"({"version": 1,
    "users": {"deploy": {"authorized_keys": [")" +
                           std::string(kDeployKey) + R"("],
                         "sudo": {"any": true, "nopasswd_all": true},
                         "sshd": {"passwordauthentication": "NO"}},
              "ci": {"sudo": {"any": false}},
              "packer": {"exists": false}},
    "sshd": {"PermitRootLogin": "prohibit-password"},
    "paths": {"present": ["/etc/ssh/sshd_config"], "absent": []}})");
  EXPECT_TRUE(findings.empty()) << findings[0].title << ": " << findings[0].evidence;
}

TEST(EvaluateExpectations, LostAndRefusedKeysNameWhatWasFound) {
  auto findings = Evaluate(R"({"version": 1, "users": {
      "deploy": {"authorized_keys": [")" +
                           std::string(kCiKey) + R"("]},
      "ci": {"authorized_keys": [")" +
                           std::string(kCiKey) + R"("]}}})");
  ASSERT_EQ(Rules(findings), (std::vector<std::string>{"expect.authorized_key.missing",
                                                       "expect.authorized_key.missing"}));
  // Users in name order: ci, then deploy.
  EXPECT_EQ(findings[0].path, "/home/ci/.ssh/authorized_keys");
  EXPECT_NE(findings[0].evidence.find("sshd refuses it: StrictModes"), std::string::npos);
  EXPECT_EQ(findings[1].user, "deploy");
  EXPECT_EQ(findings[1].severity, Severity::kHigh);
  EXPECT_EQ(findings[1].evidence, "expected: " + std::string(kCiKey) +
                                      " authorizes deploy; found: 1 other key (" +
                                      std::string(kDeployKey) + ")");
  EXPECT_EQ(findings[1].identity, "expect.authorized_key.missing||deploy|" + std::string(kCiKey));
}

TEST(EvaluateExpectations, UserWithNoKeysLeft) {
  RootReport root = Root();
  std::erase_if(root.facts,
                [](const Fact& f) { return f.kind == probes::kAuthorizedKeyRecord.name; });
  auto findings = Evaluate(R"({"version": 1, "users": {"deploy": {"authorized_keys": [")" +
                               std::string(kDeployKey) + R"("]}}})",
                           root);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence, "expected: " + std::string(kDeployKey) +
                                      " authorizes deploy; found: no authorized keys for deploy");
}

TEST(EvaluateExpectations, UsersSudoAndSshdMismatches) {
  auto findings = Evaluate(R"({"version": 1,
    "users": {"web": {}, "ci": {"exists": false},
              "deploy": {"sudo": {"nopasswd": false, "all_commands": true},
                         "sshd": {"PasswordAuthentication": "yes"}}},
    "sshd": {"PasswordAuthentication": "no", "PermitRootLogin": "no", "Banner": "/etc/issue"}})");
  // Users in name order (ci, deploy, web), then the global settings in keyword order.
  ASSERT_EQ(Rules(findings),
            (std::vector<std::string>{"expect.user.unexpected", "expect.sudo.mismatch",
                                      "expect.sshd.mismatch", "expect.user.missing",
                                      "expect.sshd.mismatch", "expect.sshd.mismatch",
                                      "expect.sshd.mismatch"}));
  EXPECT_EQ(findings[0].evidence, "expected: no user ci; found: user ci exists");
  EXPECT_EQ(findings[1].evidence,
            "expected: sudo nopasswd false; found: deploy ALL=(ALL) NOPASSWD: ALL "
            "(/etc/sudoers.d/90-deploy:1)");
  EXPECT_EQ(findings[2].user, "deploy");
  EXPECT_EQ(findings[2].evidence.rfind("expected: PasswordAuthentication yes; found: no", 0), 0u)
      << findings[2].evidence;
  EXPECT_EQ(findings[3].user, "web");
  EXPECT_EQ(findings[4].evidence, "expected: Banner /etc/issue; found: not set");
  EXPECT_EQ(findings[5].evidence,
            "expected: PasswordAuthentication no; found: yes (from /etc/ssh/sshd_config:12)");
  EXPECT_EQ(findings[6].evidence,
            "expected: PermitRootLogin no; found: prohibit-password (from sshd's default)");
}

// Facts carry the effective value as sshd -T prints it; an expectation may be written as it
// would be configured ("2m", "+aes128-cbc") and still match.
TEST(EvaluateExpectations, SshdValuesCompareInSshdTForm) {
  RootReport root = Root();
  root.facts.push_back({Kind(probes::kSshdSettingRecord),
                        "LoginGraceTime",
                        {{"keyword", "LoginGraceTime"}, {"value", "120"}, {"configured", "2m"}}});
  root.facts.push_back({Kind(probes::kSshdSettingRecord),
                        "ClientAliveInterval",
                        {{"keyword", "ClientAliveInterval"}, {"value", "3600"}}});
  root.facts.push_back(
      {Kind(probes::kSshdSettingRecord),
       "Ciphers",
       {{"keyword", "Ciphers"},
        {"value",
         "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
         "aes256-gcm@openssh.com,aes128-cbc"}}});
  EXPECT_TRUE(Evaluate(R"({"version": 1, "sshd": {"LoginGraceTime": "2m",
      "ClientAliveInterval": "1h", "Ciphers": "+aes128-cbc"}})",
                       root)
                  .empty());
  EXPECT_TRUE(Evaluate(R"({"version": 1, "sshd": {"LoginGraceTime": "120"}})", root).empty());
  auto findings = Evaluate(R"({"version": 1, "sshd": {"LoginGraceTime": "1m",
      "Ciphers": "-*cbc"}})",
                           root);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule_id, "expect.sshd.mismatch");
  EXPECT_EQ(findings[1].rule_id, "expect.sshd.mismatch");
  // A report saved before facts carried effective values still compares.
  RootReport old_root = Root();
  old_root.facts.push_back({Kind(probes::kSshdSettingRecord),
                            "LoginGraceTime",
                            {{"keyword", "LoginGraceTime"}, {"value", "2m"}}});
  EXPECT_TRUE(Evaluate(R"({"version": 1, "sshd": {"LoginGraceTime": "120"}})", old_root).empty());
}

TEST(EvaluateExpectations, PathsPresentAndAbsent) {
  auto findings = Evaluate(R"({"version": 1, "paths": {
      "present": ["/etc/ssh/sshd_config", "/etc/motd"], "absent": ["/root/.bash_history"]}})");
  ASSERT_EQ(Rules(findings),
            (std::vector<std::string>{"expect.unverifiable", "expect.path.unexpected"}));
  EXPECT_EQ(findings[0].path, "/etc/motd");  // no fact: the report was made without this path
  EXPECT_EQ(findings[1].evidence, "expected: /root/.bash_history absent; found: a symlink");
}

TEST(EvaluateExpectations, AProbeThatDidNotRunMakesItsExpectationsUnverifiable) {
  RootReport root = Root();
  std::erase_if(root.probes, [](const ProbeRun& p) { return p.name == "ssh.authorized_keys"; });
  root.probes.push_back({"sshd.config", ProbeStatus::kFailed, "boom"});
  std::erase_if(root.probes, [](const ProbeRun& p) {
    return p.name == "sshd.config" && p.status == ProbeStatus::kRan;
  });
  auto findings = Evaluate(R"({"version": 1,
    "users": {"deploy": {"authorized_keys": [")" +
                               std::string(kDeployKey) + R"("]}},
    "sshd": {"PasswordAuthentication": "no"}})",
                           root);
  ASSERT_EQ(Rules(findings),
            (std::vector<std::string>{"expect.unverifiable", "expect.unverifiable"}));
  EXPECT_EQ(findings[0].evidence, "the ssh.authorized_keys probe did not run");
  EXPECT_EQ(findings[1].evidence, "the sshd.config probe failed: boom");
}

TEST(ApplyExpectations, ChecksEachRootWithAnOsOrAllRootsTogether) {
  Expectations e = Parse(R"({"version": 1, "users": {"deploy": {}}})");
  Report two_systems;
  two_systems.roots = {Root(), Root(), RootReport{}};
  two_systems.roots[1].facts.clear();  // a second OS without deploy
  ApplyExpectations(e, probes::AllRecordKinds(), two_systems);
  EXPECT_TRUE(two_systems.roots[0].findings.empty());
  EXPECT_EQ(Rules(two_systems.roots[1].findings), std::vector<std::string>{"expect.user.missing"});
  EXPECT_TRUE(two_systems.roots[2].findings.empty());  // no OS: not a system to check

  Report bare;  // no OS anywhere: /boot and / of a partial image, checked together
  bare.roots = {Root(), Root()};
  for (RootReport& r : bare.roots) r.os.detected = false;
  bare.roots[0].facts.clear();
  bare.roots[0].probes.clear();
  ApplyExpectations(e, probes::AllRecordKinds(), bare);
  EXPECT_TRUE(bare.roots[0].findings.empty());
  EXPECT_TRUE(bare.roots[1].findings.empty());

  Report empty;
  ApplyExpectations(e, probes::AllRecordKinds(), empty);
  EXPECT_TRUE(empty.partial);
  ASSERT_EQ(empty.errors.size(), 1u);
}

TEST(ExpectationRules, AreHighAndNamedExpect) {
  ASSERT_EQ(ExpectationRules().size(), 8u);
  for (const RuleInfo& r : ExpectationRules()) {
    EXPECT_TRUE(r.id.starts_with("expect.")) << r.id;
    EXPECT_EQ(r.severity, Severity::kHigh) << r.id;
    EXPECT_FALSE(r.rationale.empty());
    EXPECT_FALSE(r.remediation.empty());
  }
}

}  // namespace
}  // namespace imageprobe::gate
