// SPDX-License-Identifier: Apache-2.0
#include "probes/cloudinit/cloudinit_probe.h"

#include <gtest/gtest.h>

#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

TEST(CloudInitProbe, LeftoverFixtureReportsSettingsStateAndSecrets) {
  testing::MemoryFs fs;
  testing::LoadFixtureRoot("cloud-leftover", fs);
  auto run = testing::RunProbe(CloudInitProbe(), fs);
  EXPECT_TRUE(run.out.applicable());
  EXPECT_TRUE(run.out.errors().empty()) << run.out.errors()[0].message;

  const Fact* pwauth = run.FindFact("cloudinit/setting", "ssh_pwauth");
  ASSERT_NE(pwauth, nullptr);
  EXPECT_EQ(pwauth->data["value"], "yes");
  EXPECT_EQ(pwauth->data["source"], "/etc/cloud/cloud.cfg.d/99-build.cfg");
  EXPECT_EQ(run.FindFact("cloudinit/setting", "disable_root")->data["source"],
            "/etc/cloud/cloud.cfg");
  EXPECT_EQ(run.FindFact("cloudinit/setting", "ssh_genkeytypes")->data["source"], "default");

  // default_user merged across files: name from 99-build.cfg, groups from cloud.cfg.
  const Fact* builder = run.FindFact("cloudinit/user", "builder");
  ASSERT_NE(builder, nullptr);
  EXPECT_TRUE(builder->data["user"]["is_default_user"]);
  EXPECT_EQ(builder->data["user"]["groups"].size(), 11u);
  const Fact* deploy = run.FindFact("cloudinit/user", "deploy");
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->data["user"]["ssh_authorized_key_count"], 1);

  const Fact* instance = run.FindFact("cloudinit/instance", "i-0abc123def4567890");
  ASSERT_NE(instance, nullptr);
  EXPECT_TRUE(instance->data["is_current"]);
  EXPECT_TRUE(instance->data["boot_finished"]);
  EXPECT_EQ(instance->data["semaphores"].size(), 3u);
  const Fact* state = run.FindFact("cloudinit/state", "/var/lib/cloud");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->data["data_instance_id"], "i-0abc123def4567890");
  EXPECT_EQ(state->data["once_semaphores"][0], "config_scripts_per_once.once");

  ASSERT_EQ(run.Findings("cloudinit.state.instance_left").size(), 1u);
  EXPECT_NE(run.Findings("cloudinit.state.instance_left")[0]->evidence.find("config_ssh"),
            std::string::npos);
  EXPECT_EQ(run.Findings("cloudinit.state.once_semaphores").size(), 1u);
  EXPECT_EQ(run.Findings("cloudinit.config.ssh_pwauth_enabled").size(), 1u);
  EXPECT_EQ(run.Findings("cloudinit.config.ssh_deletekeys_false").size(), 1u);
  EXPECT_EQ(run.Findings("cloudinit.config.user_password_unlocked").size(), 1u);
  EXPECT_TRUE(run.Findings("cloudinit.config.disable_root_false").empty());

  auto secrets = run.Findings("cloudinit.leftover.secrets");
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(secrets[0]->severity, Severity::kCritical);
  EXPECT_EQ(secrets[0]->path, "/var/lib/cloud/instances/i-0abc123def4567890/user-data.txt");
  for (auto kind : {"aws_access_key_id", "aws_secret_access_key", "password", "token"}) {
    EXPECT_NE(secrets[0]->evidence.find(kind), std::string::npos) << kind;
  }
  // vendor-data and obj.pkl exist but match nothing: reported as leftovers to review.
  EXPECT_EQ(run.Findings("cloudinit.leftover.user_data").size(), 2u);
}

TEST(CloudInitProbe, MalformedFileIsAnErrorWithLineAndTheRestStillCounts) {
  testing::MemoryFs fs;
  fs.File("/etc/cloud/cloud.cfg", "disable_root: false\n");
  fs.File("/etc/cloud/cloud.cfg.d/10-bad.cfg", "ssh_pwauth: true\nusers: [a, b\n");
  fs.File("/etc/cloud/cloud.cfg.d/20-list.cfg", "- just\n- a list\n");
  fs.File("/etc/cloud/cloud.cfg.d/30-ignored.txt", "ssh_pwauth: true\n");
  fs.File("/etc/cloud/cloud.cfg.d/40-nul.cfg", std::string("a: 1\n\0\n", 7));
  auto run = testing::RunProbe(CloudInitProbe(), fs);
  ASSERT_EQ(run.out.errors().size(), 3u);
  EXPECT_EQ(run.out.errors()[0].path, "/etc/cloud/cloud.cfg.d/10-bad.cfg");
  EXPECT_NE(run.out.errors()[0].message.find("line "), std::string::npos);
  EXPECT_NE(run.out.errors()[2].message.find("NUL"), std::string::npos);
  EXPECT_EQ(run.FindFact("cloudinit/setting", "ssh_pwauth")->data["value"], "unchanged");
  EXPECT_EQ(run.Findings("cloudinit.config.disable_root_false").size(), 1u);
  EXPECT_EQ(run.FindFact("cloudinit/config_file", "/etc/cloud/cloud.cfg.d/30-ignored.txt"),
            nullptr);
}

TEST(CloudInitProbe, InstanceLinkIsReadNotFollowed) {
  testing::MemoryFs fs;
  fs.File("/etc/cloud/cloud.cfg", "{}\n");
  fs.Symlink("/var/lib/cloud/instance", "../../../../etc");
  fs.Dir("/var/lib/cloud/instances");
  auto run = testing::RunProbe(CloudInitProbe(), fs);
  const Fact* state = run.FindFact("cloudinit/state", "/var/lib/cloud");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->data["instance_link"], "../../../../etc");
  EXPECT_EQ(state->data["current_instance_id"], "");
  EXPECT_TRUE(run.Findings("cloudinit.state.instance_left").empty());
}

TEST(CloudInitProbe, YamlBombInConfigIsAnErrorAndTheScanGoesOn) {
  std::string bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  for (char name = 'b'; name <= 'i'; ++name) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? "," : "") + "*" + char(name - 1);
    bomb += "]\n";
  }
  testing::MemoryFs fs;
  fs.File("/etc/cloud/cloud.cfg", bomb);
  fs.File("/etc/cloud/cloud.cfg.d/99.cfg", "ssh_deletekeys: false\n");
  auto run = testing::RunProbe(CloudInitProbe(), fs);
  ASSERT_EQ(run.out.errors().size(), 1u);
  EXPECT_EQ(run.Findings("cloudinit.config.ssh_deletekeys_false").size(), 1u);
}

TEST(CloudInitProbe, UserDataScriptsAreScannedAndBounded) {
  testing::MemoryFs fs;
  fs.File("/etc/cloud/cloud.cfg", "users: [default]\n");
  const std::string dir = "/var/lib/cloud/instances/iid-datasource-none/scripts/";
  fs.File(dir + "part-001", "#!/bin/sh\nexport DB_PASSWORD=CorrectHorseBattery\n", {.mode = 0700});
  for (int i = 0; i < 70; ++i) fs.File(dir + "z" + std::to_string(100 + i), "echo\n");
  auto run = testing::RunProbe(CloudInitProbe(), fs);
  auto secrets = run.Findings("cloudinit.leftover.secrets");
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(secrets[0]->severity, Severity::kHigh);  // a password, not a key
  EXPECT_EQ(secrets[0]->path, dir + "part-001");
  EXPECT_EQ(secrets[0]->evidence.find("CorrectHorse"), std::string::npos);
  ASSERT_EQ(run.out.errors().size(), 1u);
  EXPECT_NE(run.out.errors()[0].message.find("more than 64"), std::string::npos);
}

TEST(CloudInitProbe, SecretsInConfigurationFiles) {
  testing::MemoryFs fs;
  fs.File("/etc/cloud/cloud.cfg", "users: [default]\n");
  fs.File("/etc/cloud/cloud.cfg.d/99-pw.cfg",
          "chpasswd:\n  users:\n    - {name: admin, password: Sup3rSecretValue, type: text}\n");
  auto run = testing::RunProbe(CloudInitProbe(), fs);
  auto secrets = run.Findings("cloudinit.leftover.secrets");
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(secrets[0]->path, "/etc/cloud/cloud.cfg.d/99-pw.cfg");
  EXPECT_EQ(secrets[0]->title, "cloud-init configuration seems to hold secrets");
  EXPECT_EQ(secrets[0]->evidence.find("Sup3rSecret"), std::string::npos);
}

TEST(CloudInitProbe, NotApplicableWithoutCloudInit) {
  testing::MemoryFs fs;
  fs.File("/etc/hostname", "x\n");
  auto run = testing::RunProbe(CloudInitProbe(), fs);
  EXPECT_FALSE(run.out.applicable());
  EXPECT_TRUE(run.out.facts().empty());
}

TEST(CloudInitProbe, SensitiveInstanceDataUnderRunIsScanned) {
  testing::MemoryFs fs;
  fs.File("/etc/cloud/cloud.cfg", "users: [default]\n");
  fs.File(
      "/run/cloud-init/instance-data-sensitive.json",
      "{\"ds\": {\"meta_data\": {\"identity-credentials\": {\"ec2\": {\"info\": "
      "{\"AccessKeyId\": \"ASIAFAKEFAKEFAKE1234\", \"Token\": \"IQoJb3JpZ2luX2VjEFAKE\"}}}}}}\n",
      {.mode = 0600});
  auto run = testing::RunProbe(CloudInitProbe(), fs);
  auto secrets = run.Findings("cloudinit.leftover.secrets");
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(secrets[0]->severity, Severity::kCritical);
  EXPECT_EQ(secrets[0]->evidence.find("ASIAFAKEFAKEFAKE1234"), std::string::npos);
}

}  // namespace
}  // namespace imageprobe::probes
