// SPDX-License-Identifier: Apache-2.0
// The sshd.config probe on small guest trees: facts with origins, and every rule it declares.
#include "probes/sshd/sshd_config_probe.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "probes/sshd/sshd_findings.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

using imageprobe::testing::MemoryFs;

// The probe on `fs` alone, the way the runner runs it.
testing::ProbeResult RunSshdProbe(const MemoryFs& fs) {
  return testing::RunProbe(SshdConfigProbe(), fs);
}

// A Debian-like base: sshd installed and enabled, a clean config, two users.
MemoryFs BaseImage() {
  MemoryFs fs;
  fs.File("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\n"
          "alice:x:1000:1000::/home/alice:/bin/bash\n"
          "deploy:x:1001:1001::/home/deploy:/bin/bash\n");
  fs.File("/etc/group", "root:x:0:\nalice:x:1000:\ndeploy:x:1001:\nadmins:x:2000:deploy\n");
  fs.File("/usr/sbin/sshd",
          "\x7f"
          "ELF",
          {.mode = 0755});
  fs.File("/lib/systemd/system/ssh.service", "[Service]\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n");
  fs.Symlink("/etc/systemd/system/multi-user.target.wants/ssh.service",
             "/lib/systemd/system/ssh.service");
  fs.File("/etc/ssh/sshd_config",
          "Include /etc/ssh/sshd_config.d/*.conf\n"
          "KbdInteractiveAuthentication no\n"
          "UsePAM yes\n");
  fs.File("/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication no\n");
  return fs;
}

TEST(SshdConfigProbe, CleanImageHasFactsWithOriginsAndNoFindings) {
  auto scan = RunSshdProbe(BaseImage());
  EXPECT_TRUE(scan.out.findings().empty()) << scan.out.findings().front().rule_id;
  EXPECT_TRUE(scan.out.errors().empty());
  const Fact* password = scan.FindFact("sshd/setting", "PasswordAuthentication");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->data["value"], "no");
  EXPECT_EQ(password->data["origins"][0], "/etc/ssh/sshd_config.d/50-cloud-init.conf:1");
  const Fact* strict = scan.FindFact("sshd/setting", "StrictModes");
  ASSERT_NE(strict, nullptr);
  EXPECT_EQ(strict->data["origins"][0], "default");
  EXPECT_TRUE(strict->data["is_default"]);
  EXPECT_NE(scan.FindFact("sshd/config_file", "/etc/ssh/sshd_config.d/50-cloud-init.conf"),
            nullptr);
  const Fact* service = scan.FindFact("sshd/service", "command");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->data["exec_start"], "/usr/sbin/sshd -D $SSHD_OPTS");
}

TEST(SshdConfigProbe, UserSettingFactsWhereMatchChangesAValue) {
  MemoryFs fs = BaseImage();
  fs.File("/etc/ssh/sshd_config",
          "PasswordAuthentication no\n"
          "Match Group admins\n"
          "  PasswordAuthentication yes\n"
          "Match Address 10.0.0.0/8\n"
          "  PermitRootLogin yes\n");
  auto scan = RunSshdProbe(fs);
  const Fact* deploy = scan.FindFact("sshd/user_setting", "deploy|PasswordAuthentication");
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->data["value"], "yes");
  EXPECT_EQ(deploy->data["origins"][0], "/etc/ssh/sshd_config:3");
  EXPECT_EQ(deploy->data["match_blocks"][0], "/etc/ssh/sshd_config:2 Match Group admins");
  EXPECT_EQ(scan.FindFact("sshd/user_setting", "alice|PasswordAuthentication"), nullptr);
  const Fact* conditional =
      scan.FindFact("sshd/conditional_match", "/etc/ssh/sshd_config|Address 10.0.0.0/8");
  ASSERT_NE(conditional, nullptr);
  EXPECT_EQ(conditional->data["settings"][0], "PermitRootLogin yes");
  // Password logins for deploy only: one finding, naming the user.
  ASSERT_EQ(scan.Findings("sshd.password_authentication").size(), 1u);
  EXPECT_EQ(scan.FirstFinding("sshd.password_authentication")->user, "deploy");
}

TEST(SshdConfigProbe, OneFindingPerMatchLineListingTheUsers) {
  MemoryFs fs = BaseImage();
  std::string passwd = "root:x:0:0:root:/root:/bin/bash\n";
  std::string members;
  for (int i = 0; i < 25; ++i) {
    std::string name = "u" + std::to_string(i);
    passwd += name + ":x:" + std::to_string(2000 + i) + ":100::/home/" + name + ":/bin/sh\n";
    members += (i == 0 ? "" : ",") + name;
  }
  fs.File("/etc/passwd", passwd);
  fs.File("/etc/group", "root:x:0:\nusers:x:100:\nadmins:x:2000:" + members + "\n");
  fs.File("/etc/ssh/sshd_config",
          "PasswordAuthentication no\nMatch Group admins\n  PasswordAuthentication yes\n");
  auto scan = RunSshdProbe(fs);
  ASSERT_EQ(scan.Findings("sshd.password_authentication").size(), 1u);
  const Finding* finding = scan.FirstFinding("sshd.password_authentication");
  EXPECT_EQ(finding->line, 3u);
  EXPECT_TRUE(finding->user.empty());
  EXPECT_NE(finding->title.find("u0, u1, u2"), std::string::npos);
  EXPECT_NE(finding->title.find("and 15 more"), std::string::npos);
  EXPECT_EQ(finding->evidence,
            "PasswordAuthentication yes (/etc/ssh/sshd_config:3, Match Group admins)");
  EXPECT_NE(scan.FindFact("sshd/user_setting", "u24|PasswordAuthentication"), nullptr);
}

TEST(SshdConfigProbe, MissingConfigWithServerInstalled) {
  MemoryFs bare;
  bare.File("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  bare.File("/usr/sbin/sshd", "ELF", {.mode = 0755});
  bare.Symlink("/etc/systemd/system/multi-user.target.wants/sshd.service",
               "/usr/lib/systemd/system/sshd.service");
  auto scan = RunSshdProbe(bare);
  EXPECT_EQ(scan.Findings("sshd.config.missing").size(), 1u);
  EXPECT_EQ(scan.Findings("sshd.config.unparsable").size(), 0u);
  EXPECT_TRUE(scan.out.errors().empty());
}

TEST(SshdConfigProbe, NotApplicableWithoutSshd) {
  MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  auto scan = RunSshdProbe(fs);
  EXPECT_FALSE(scan.out.applicable());
}

TEST(SshdConfigProbe, IncidentMinimalConfigWithMode0755) {
  MemoryFs fs = BaseImage();
  fs.File("/etc/ssh/sshd_config",
          "PermitRootLogin yes\nPasswordAuthentication yes\nPermitEmptyPasswords yes\n",
          {.mode = 0755});
  auto scan = RunSshdProbe(fs);
  EXPECT_EQ(scan.Findings("sshd.config.executable_mode").size(), 1u);
  EXPECT_EQ(scan.Findings("sshd.config.unsafe_permissions").size(), 0u);
  EXPECT_EQ(scan.Findings("sshd.permit_root_login").size(), 1u);
  EXPECT_EQ(scan.Findings("sshd.password_authentication").size(), 1u);
  EXPECT_EQ(scan.Findings("sshd.permit_empty_passwords").size(), 1u);
  const Finding* root = scan.FirstFinding("sshd.permit_root_login");
  EXPECT_EQ(root->path, "/etc/ssh/sshd_config");
  EXPECT_EQ(root->line, 1u);
  EXPECT_EQ(root->evidence, "PermitRootLogin yes (/etc/ssh/sshd_config:1)");
}

TEST(SshdConfigProbe, WritableOrForeignOwnedIncludedFile) {
  MemoryFs fs = BaseImage();
  fs.File("/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication no\n",
          {.mode = 0666});
  fs.File("/etc/ssh/sshd_config.d/60-user.conf", "MaxAuthTries 3\n", {.mode = 0644, .uid = 1000});
  auto scan = RunSshdProbe(fs);
  EXPECT_EQ(scan.Findings("sshd.config.unsafe_permissions").size(), 2u);
  fs.Dir("/etc/ssh/sshd_config.d", {.mode = 01777});
  EXPECT_EQ(RunSshdProbe(fs).Findings("sshd.config.unsafe_permissions").size(), 3u);
}

TEST(SshdConfigProbe, UnreadableConfigIsAnErrorNotMissing) {
  MemoryFs fs = BaseImage();
  fs.File("/etc/ssh/sshd_config", std::string(20 << 20, '#'));  // over max_file_bytes
  auto scan = RunSshdProbe(fs);
  EXPECT_EQ(scan.Findings("sshd.config.missing").size(), 0u);
  ASSERT_EQ(scan.out.errors().size(), 1u);
  EXPECT_EQ(scan.out.errors()[0].path, "/etc/ssh/sshd_config");
}

TEST(SshdConfigProbe, UnparsableLinesWithLineNumbers) {
  MemoryFs fs = BaseImage();
  fs.File("/etc/ssh/sshd_config",
          "PermitRootLogin maybe\n"
          "NoSuchOption yes\n"
          "Port\n"
          "Match User alice\n"
          "  Port 2222\n"
          "AuthorizedKeysFile \"unterminated\n"
          "Include /etc/ssh/loop.conf\n");
  fs.File("/etc/ssh/loop.conf", "Include /etc/ssh/sshd_config\n");
  auto scan = RunSshdProbe(fs);
  std::vector<uint32_t> lines;
  for (const Finding& finding : scan.out.findings()) {
    if (finding.rule_id == "sshd.config.unparsable") lines.push_back(finding.line.value_or(0));
  }
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<uint32_t>{1, 1, 2, 3, 5, 6}));  // loop is reported at loop.conf:1
}

TEST(SshdConfigProbe, WeakAlgorithms) {
  MemoryFs fs = BaseImage();
  fs.File("/etc/ssh/sshd_config",
          "Ciphers +3des-cbc,aes128-cbc\n"
          "MACs hmac-sha2-256,hmac-md5,hmac-sha1-96\n"
          "KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1\n"
          "PasswordAuthentication no\n");
  auto scan = RunSshdProbe(fs);
  ASSERT_EQ(scan.Findings("sshd.weak_algorithms").size(), 3u);
  EXPECT_EQ(WeakAlgorithms("Ciphers", {"aes128-ctr", "aes256-cbc", "arcfour256"}),
            (std::vector<std::string>{"aes256-cbc", "arcfour256"}));
  EXPECT_EQ(
      WeakAlgorithms("KexAlgorithms", {"curve25519-sha256", "diffie-hellman-group-exchange-sha1"}),
      (std::vector<std::string>{"diffie-hellman-group-exchange-sha1"}));
  // Removing the weak names with "-" leaves nothing to report.
  fs.File("/etc/ssh/sshd_config", "Ciphers -*-cbc\nMACs -hmac-sha1*\nPasswordAuthentication no\n");
  EXPECT_EQ(RunSshdProbe(fs).Findings("sshd.weak_algorithms").size(), 0u);
}

TEST(SshdConfigProbe, HostKeyNamedButMissing) {
  MemoryFs fs = BaseImage();
  fs.File("/etc/ssh/sshd_config",
          "HostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_rsa_key\n"
          "PasswordAuthentication no\n");
  fs.File("/etc/ssh/ssh_host_ed25519_key", "key", {.mode = 0600});
  auto scan = RunSshdProbe(fs);
  ASSERT_EQ(scan.Findings("sshd.host_key_missing").size(), 1u);
  EXPECT_EQ(scan.FirstFinding("sshd.host_key_missing")->line, 2u);
}

TEST(SshdConfigProbe, AuthorizedKeysCommandFromEicDropIn) {
  MemoryFs fs = BaseImage();
  fs.File("/lib/systemd/system/ssh.service.d/ec2-instance-connect.conf",
          "[Service]\nExecStart=\nExecStart=/usr/sbin/sshd -D -o \"AuthorizedKeysCommand "
          "/usr/share/ec2-instance-connect/eic_run_authorized_keys %%u %%f\" -o "
          "\"AuthorizedKeysCommandUser ec2-instance-connect\" $SSHD_OPTS\n");
  auto missing = RunSshdProbe(fs);
  ASSERT_EQ(missing.Findings("sshd.authorized_keys_command.missing").size(), 1u);
  EXPECT_EQ(missing.FirstFinding("sshd.authorized_keys_command.missing")->path,
            "/lib/systemd/system/ssh.service.d/ec2-instance-connect.conf");
  const Fact* fact = missing.FindFact("sshd/setting", "AuthorizedKeysCommand");
  ASSERT_NE(fact, nullptr);
  EXPECT_EQ(fact->data["value"], "/usr/share/ec2-instance-connect/eic_run_authorized_keys %u %f");

  fs.File("/usr/share/ec2-instance-connect/eic_run_authorized_keys", "#!/bin/sh\n", {.mode = 0755});
  EXPECT_EQ(RunSshdProbe(fs).Findings("sshd.authorized_keys_command.missing").size(), 0u);
  EXPECT_EQ(RunSshdProbe(fs).Findings("sshd.authorized_keys_command.unsafe").size(), 0u);

  fs.File("/usr/share/ec2-instance-connect/eic_run_authorized_keys", "#!/bin/sh\n", {.mode = 0775});
  EXPECT_EQ(RunSshdProbe(fs).Findings("sshd.authorized_keys_command.unsafe").size(), 1u);
  fs.File("/usr/share/ec2-instance-connect/eic_run_authorized_keys", "#!/bin/sh\n",
          {.mode = 0755, .uid = 1000});
  EXPECT_EQ(RunSshdProbe(fs).Findings("sshd.authorized_keys_command.unsafe").size(), 1u);
  fs.File("/usr/share/ec2-instance-connect/eic_run_authorized_keys", "#!/bin/sh\n", {.mode = 0755});
  fs.Dir("/usr/share/ec2-instance-connect", {.mode = 0777});
  EXPECT_EQ(RunSshdProbe(fs).Findings("sshd.authorized_keys_command.unsafe").size(), 1u);
}

TEST(SshdConfigProbe, ServiceNotEnabled) {
  MemoryFs disabled;
  disabled.File("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  disabled.File("/usr/sbin/sshd", "ELF", {.mode = 0755});
  disabled.File("/etc/ssh/sshd_config", "PasswordAuthentication no\n");
  disabled.Symlink("/etc/systemd/system/multi-user.target.wants/cron.service",
                   "/lib/systemd/system/cron.service");
  EXPECT_EQ(RunSshdProbe(disabled).Findings("sshd.service.not_enabled").size(), 1u);
  disabled.Symlink("/etc/systemd/system/sockets.target.wants/ssh.socket",
                   "/lib/systemd/system/ssh.socket");
  EXPECT_EQ(RunSshdProbe(disabled).Findings("sshd.service.not_enabled").size(), 0u);
}

TEST(SshdConfigProbe, DeclaresEveryRuleItRaises) {
  SshdConfigProbe probe;
  std::vector<std::string_view> ids;
  for (const RuleInfo& rule : probe.rules()) ids.push_back(rule.id);
  EXPECT_EQ(ids.size(), 12u);
  for (std::string_view id : ids) EXPECT_TRUE(id.starts_with("sshd."));
}

}  // namespace
}  // namespace imageprobe::probes
