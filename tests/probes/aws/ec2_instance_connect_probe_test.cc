// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/ec2_instance_connect_probe.h"

#include <gtest/gtest.h>

#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

constexpr std::string_view kRpmDropIn =
    "[Service]\nExecStart=\nExecStart=/usr/sbin/sshd -D $OPTIONS -o \"AuthorizedKeysCommand "
    "/opt/aws/bin/eic_run_authorized_keys %%u %%f\" -o \"AuthorizedKeysCommandUser "
    "ec2-instance-connect\"\n";

TEST(Ec2InstanceConnectProbe, UbuntuFixture) {
  testing::MemoryFs fs;
  testing::LoadFixtureRoot("ubuntu-eic", fs);
  auto run = testing::RunProbe(Ec2InstanceConnectProbe(), fs);
  ASSERT_TRUE(run.out.applicable());
  EXPECT_TRUE(run.out.errors().empty());
  EXPECT_TRUE(run.out.findings().empty()) << run.out.findings()[0].rule_id;
  const Fact* install = nullptr;
  const Fact* dropin = nullptr;
  for (const auto& fact : run.out.facts()) {
    if (fact.kind == "aws/ec2_instance_connect/installation") install = &fact;
    if (fact.kind == "aws/ec2_instance_connect/dropin") dropin = &fact;
  }
  ASSERT_NE(install, nullptr);
  EXPECT_EQ(install->data["layout"], "deb");
  EXPECT_EQ(install->data["helpers"].size(), 4u);
  EXPECT_TRUE(install->data["system_user_present"]);
  ASSERT_NE(dropin, nullptr);
  EXPECT_EQ(dropin->key, "/lib/systemd/system/ssh.service.d/ec2-instance-connect.conf");
  EXPECT_EQ(dropin->data["unit"], "ssh.service");
  EXPECT_EQ(dropin->data["authorized_keys_command"],
            "/usr/share/ec2-instance-connect/eic_run_authorized_keys %u %f");
  EXPECT_EQ(dropin->data["authorized_keys_command_user"], "ec2-instance-connect");
}

TEST(Ec2InstanceConnectProbe, RpmLayoutWithMergedUsrIsReportedOnce) {
  testing::MemoryFs fs;
  fs.Symlink("/lib", "usr/lib");
  fs.File("/usr/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf",
          std::string(kRpmDropIn));
  for (auto name : {"eic_run_authorized_keys", "eic_curl_authorized_keys"}) {
    fs.File(std::string("/opt/aws/bin/") + name, "#!/bin/sh\n", {.mode = 0755});
  }
  auto run = testing::RunProbe(Ec2InstanceConnectProbe(), fs);
  size_t dropins = 0;
  for (const auto& fact : run.out.facts()) {
    if (fact.kind == "aws/ec2_instance_connect/dropin") {
      ++dropins;
      EXPECT_EQ(fact.data["authorized_keys_command"], "/opt/aws/bin/eic_run_authorized_keys %u %f");
    }
    if (fact.kind == "aws/ec2_instance_connect/installation") {
      EXPECT_EQ(fact.data["layout"], "rpm");
      EXPECT_FALSE(fact.data["system_user_present"]);
    }
  }
  EXPECT_EQ(dropins, 1u);
  EXPECT_TRUE(run.out.findings().empty());
}

TEST(Ec2InstanceConnectProbe, MissingHelper) {
  testing::MemoryFs fs;
  fs.File("/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf", std::string(kRpmDropIn));
  auto run = testing::RunProbe(Ec2InstanceConnectProbe(), fs);
  ASSERT_EQ(run.Findings("aws.ec2_instance_connect.helper_missing").size(), 1u);
  EXPECT_EQ(run.out.findings()[0].line, 3u);
}

TEST(Ec2InstanceConnectProbe, HelperOrItsFolderWritableByNonRoot) {
  testing::MemoryFs fs;
  fs.File("/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf", std::string(kRpmDropIn));
  fs.File("/opt/aws/bin/eic_run_authorized_keys", "#!/bin/sh\n", {.mode = 0755});
  // Not checked by sshd, called by the run script: group-writable is enough to matter.
  fs.File("/opt/aws/bin/eic_curl_authorized_keys", "#!/bin/sh\n", {.mode = 0775});
  fs.File("/opt/aws/bin/eic_parse_authorized_keys", "#!/bin/sh\n", {.mode = 0755, .uid = 1000});
  auto run = testing::RunProbe(Ec2InstanceConnectProbe(), fs);
  EXPECT_EQ(run.Findings("aws.ec2_instance_connect.helper_writable").size(), 2u);

  testing::MemoryFs dir_writable;
  dir_writable.File("/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf",
                    std::string(kRpmDropIn));
  dir_writable.Dir("/opt/aws/bin", {.mode = 0777});
  dir_writable.File("/opt/aws/bin/eic_run_authorized_keys", "#!/bin/sh\n", {.mode = 0755});
  auto run2 = testing::RunProbe(Ec2InstanceConnectProbe(), dir_writable);
  ASSERT_EQ(run2.Findings("aws.ec2_instance_connect.helper_writable").size(), 1u);
  EXPECT_NE(run2.out.findings()[0].evidence.find("/opt/aws/bin has mode 0777"), std::string::npos);
}

TEST(Ec2InstanceConnectProbe, ASymlinkedHelperIsReportedAsWhatItPointsAt) {
  testing::MemoryFs fs;
  fs.File("/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf", std::string(kRpmDropIn));
  fs.File("/usr/share/ec2-instance-connect/run", "#!/bin/sh\n", {.mode = 0775, .uid = 1000});
  fs.Symlink("/opt/aws/bin/eic_run_authorized_keys", "../../../usr/share/ec2-instance-connect/run");
  auto run = testing::RunProbe(Ec2InstanceConnectProbe(), fs);
  const Fact* install =
      run.FindFact("aws/ec2_instance_connect/installation", "ec2-instance-connect");
  ASSERT_NE(install, nullptr);
  ASSERT_EQ(install->data["helpers"].size(), 1u);
  EXPECT_EQ(install->data["helpers"][0]["mode"], "0775");
  EXPECT_EQ(install->data["helpers"][0]["uid"], 1000);
}

TEST(Ec2InstanceConnectProbe, Al2023StyleSshdConfigIsAnUnconfirmedHint) {
  testing::MemoryFs fs;
  fs.File("/etc/ssh/sshd_config.d/60-ec2-instance-connect.conf",
          "AuthorizedKeysCommand /usr/bin/eic_run_authorized_keys %u %f\n");
  auto run = testing::RunProbe(Ec2InstanceConnectProbe(), fs);
  ASSERT_TRUE(run.out.applicable());
  ASSERT_EQ(run.out.facts().size(), 2u);
  EXPECT_EQ(run.out.facts()[1].kind, "aws/ec2_instance_connect/sshd_config_hint");
  EXPECT_TRUE(run.out.facts()[1].data["unconfirmed"]);
}

TEST(Ec2InstanceConnectProbe, NotInstalled) {
  testing::MemoryFs fs;
  fs.File("/etc/ssh/sshd_config", "Port 22\n");
  auto run = testing::RunProbe(Ec2InstanceConnectProbe(), fs);
  EXPECT_FALSE(run.out.applicable());
}

}  // namespace
}  // namespace imageprobe::probes
