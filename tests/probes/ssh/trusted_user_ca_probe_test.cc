// SPDX-License-Identifier: Apache-2.0
// The ssh.trusted_user_ca probe on MemoryFs trees: which CA files sshd reads for whom (global
// and Match overrides), their keys as facts (fingerprints from ssh-keygen -lf, test_keys.h),
// and the missing / writable findings.
#include "probes/ssh/trusted_user_ca_probe.h"

#include <gtest/gtest.h>

#include "tests/probes/ssh/test_keys.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes::ssh {
namespace {

using testing::MemoryFs;

constexpr std::string_view kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "deploy:x:1000:1000::/home/deploy:/bin/bash\n"
    "alice:x:1001:1001::/home/alice:/bin/bash\n";

std::string CaFile() {
  return "# user CAs\n\nssh-ed25519 " + std::string(test_keys::kEdABlob) + " corp-user-ca\n" +
         "ssh-ed25519 " + std::string(test_keys::kEdBBlob) + "\n";
}

MemoryFs Tree(std::string_view sshd_config) {
  MemoryFs fs;
  fs.File("/etc/passwd", std::string(kPasswd));
  fs.File("/etc/group", "root:x:0:\ndeploy:x:1000:\nalice:x:1001:\n");
  fs.File("/etc/ssh/sshd_config", std::string(sshd_config));
  return fs;
}

TEST(TrustedUserCaProbe, GlobalCaKeysAreFactsAndAMatchOverrideToAMissingFileIsFound) {
  MemoryFs fs = Tree(
      "TrustedUserCAKeys /etc/ssh/user_ca.pub\n"
      "Match User deploy\n"
      "  TrustedUserCAKeys /etc/ssh/deploy_ca.pub\n");
  fs.File("/etc/ssh/user_ca.pub", CaFile());
  auto outcome = testing::RunProbe(TrustedUserCaProbe(), fs);
  ASSERT_TRUE(outcome.out.applicable());

  auto facts = outcome.Facts("ssh/trusted_user_ca");
  ASSERT_EQ(facts.size(), 2u);
  const Fact* a = outcome.FindFact(
      "ssh/trusted_user_ca", "/etc/ssh/user_ca.pub|" + std::string(test_keys::kEdAFingerprint));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->data["line"], 3);
  EXPECT_EQ(a->data["type"], "ED25519");
  EXPECT_EQ(a->data["comment"], "corp-user-ca");
  EXPECT_EQ(a->data["all_users"], true);
  EXPECT_EQ(a->data["configured_at"], "/etc/ssh/sshd_config:1");

  auto trusted = outcome.Findings("ssh.trusted_user_ca.present");
  ASSERT_EQ(trusted.size(), 2u);
  EXPECT_NE(trusted[0]->title.find("for every user"), std::string::npos) << trusted[0]->title;

  auto missing = outcome.Findings("ssh.trusted_user_ca.missing");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->path, "/etc/ssh/deploy_ca.pub");
  EXPECT_NE(missing[0]->evidence.find("/etc/ssh/sshd_config:3 for deploy"), std::string::npos)
      << missing[0]->evidence;
  EXPECT_TRUE(outcome.Findings("ssh.trusted_user_ca.writable").empty());
}

TEST(TrustedUserCaProbe, AFileOrDirectoryOthersCanWriteIsHigh) {
  MemoryFs fs = Tree("TrustedUserCAKeys /etc/ssh/ca/user_ca.pub\n");
  fs.Dir("/etc/ssh/ca", {.mode = 0777});
  fs.File("/etc/ssh/ca/user_ca.pub", CaFile());
  auto outcome = testing::RunProbe(TrustedUserCaProbe(), fs);
  auto writable = outcome.Findings("ssh.trusted_user_ca.writable");
  ASSERT_EQ(writable.size(), 1u);
  EXPECT_EQ(writable[0]->severity, Severity::kHigh);
  EXPECT_NE(writable[0]->evidence.find("/etc/ssh/ca"), std::string::npos) << writable[0]->evidence;

  MemoryFs owned = Tree("TrustedUserCAKeys /etc/ssh/user_ca.pub\n");
  owned.File("/etc/ssh/user_ca.pub", CaFile(), {.mode = 0644, .uid = 1000});
  EXPECT_EQ(testing::RunProbe(TrustedUserCaProbe(), owned)
                .Findings("ssh.trusted_user_ca.writable")
                .size(),
            1u);
}

TEST(TrustedUserCaProbe, NoneOrNoSshdIsNotApplicable) {
  EXPECT_FALSE(
      testing::RunProbe(TrustedUserCaProbe(), Tree("PermitRootLogin no\n")).out.applicable());
  EXPECT_FALSE(
      testing::RunProbe(TrustedUserCaProbe(), Tree("TrustedUserCAKeys NONE\n")).out.applicable());
  MemoryFs no_sshd;
  no_sshd.File("/etc/passwd", std::string(kPasswd));
  EXPECT_FALSE(testing::RunProbe(TrustedUserCaProbe(), no_sshd).out.applicable());
}

TEST(TrustedUserCaProbe, ARelativePathIsTakenFromTheRootAndJunkLinesAreErrors) {
  MemoryFs fs = Tree("TrustedUserCAKeys etc/ssh/user_ca.pub\n");
  fs.File("/etc/ssh/user_ca.pub", CaFile() + "ssh-ed25519 !!!notbase64\n\x01\x02 junk\n");
  auto outcome = testing::RunProbe(TrustedUserCaProbe(), fs);
  EXPECT_EQ(outcome.Facts("ssh/trusted_user_ca").size(), 2u);
  EXPECT_GE(outcome.out.errors().size(), 1u);
  EXPECT_EQ(outcome.out.errors().front().path, "/etc/ssh/user_ca.pub");
}

}  // namespace
}  // namespace imageprobe::probes::ssh
