// SPDX-License-Identifier: Apache-2.0
// The effective value as sshd -T prints it: convtime, kex_assemble_names, and the facts that
// carry it (value = effective, configured = as written when it differs).
#include "probes/sshd/sshd_canonical.h"

#include <gtest/gtest.h>

#include "probes/sshd/sshd_config_probe.h"
#include "probes/sshd/sshd_keywords.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

OpensshBuild Build(int major, int minor) {
  OpensshBuild build;
  build.major = major;
  build.minor = minor;
  return build;
}
const OpensshBuild k92 = Build(9, 2);

TEST(SshdConvTime, SumsUnitsAsMiscConvtime) {
  EXPECT_EQ(SshdConvTime("0"), 0);
  EXPECT_EQ(SshdConvTime("90"), 90);
  EXPECT_EQ(SshdConvTime("2m"), 120);
  EXPECT_EQ(SshdConvTime("1h"), 3600);
  EXPECT_EQ(SshdConvTime("1h30m"), 5400);
  EXPECT_EQ(SshdConvTime("1m30"), 90);  // a trailing number without unit is seconds
  EXPECT_EQ(SshdConvTime("10S"), 10);
  EXPECT_EQ(SshdConvTime("1W1D"), 8 * 86400);
  EXPECT_EQ(SshdConvTime("2147483647"), 2147483647);
}

TEST(SshdConvTime, RefusesWhatSshdRefuses) {
  EXPECT_EQ(SshdConvTime(""), std::nullopt);
  EXPECT_EQ(SshdConvTime("m"), std::nullopt);
  EXPECT_EQ(SshdConvTime("1x"), std::nullopt);
  EXPECT_EQ(SshdConvTime("-1"), std::nullopt);
  EXPECT_EQ(SshdConvTime("2147483648"), std::nullopt);
  EXPECT_EQ(SshdConvTime("3000000w"), std::nullopt);
  EXPECT_EQ(SshdConvTime("2000000000s2000000000s"), std::nullopt);
  EXPECT_EQ(SshdConvTime(std::string(100000, '9')), std::nullopt);
}

TEST(CanonicalSshdValue, TimesInSeconds) {
  EXPECT_EQ(CanonicalSshdValue("LoginGraceTime", "2m", k92), "120");
  EXPECT_EQ(CanonicalSshdValue("logingracetime", "2m", k92), "120");
  EXPECT_EQ(CanonicalSshdValue("ClientAliveInterval", "1h", k92), "3600");
  EXPECT_EQ(CanonicalSshdValue("UnusedConnectionTimeout", "none", k92), "none");
  EXPECT_EQ(CanonicalSshdValue("UnusedConnectionTimeout", "5m", k92), "300");
  EXPECT_EQ(CanonicalSshdValue("LoginGraceTime", "soon", k92), "soon");  // sshd refuses: unchanged
}

TEST(CanonicalSshdValue, AlgorithmListsAssembled) {
  EXPECT_TRUE(IsSshdAlgorithmList("PubkeyAcceptedAlgorithms"));
  EXPECT_TRUE(IsSshdAlgorithmList("macs"));
  EXPECT_FALSE(IsSshdAlgorithmList("GSSAPIKexAlgorithms"));
  EXPECT_EQ(CanonicalSshdValue("Ciphers", "+aes128-cbc", k92),
            "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
            "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-cbc");
  EXPECT_EQ(CanonicalSshdValue("Ciphers", "-aes*", k92), "chacha20-poly1305@openssh.com");
  EXPECT_EQ(CanonicalSshdValue("Ciphers", "^aes256-ctr", k92),
            "aes256-ctr,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,"
            "aes128-gcm@openssh.com,aes256-gcm@openssh.com");
  EXPECT_EQ(CanonicalSshdValue("Ciphers", "aes128-ctr", k92), "aes128-ctr");
  // The version's own default list: ssh-rsa was still in it before 8.8.
  EXPECT_EQ(CanonicalSshdValue("PubkeyAcceptedAlgorithms", "-ssh-ed25519*,ecdsa*,sk-*,rsa-sha2*",
                               Build(8, 5)),
            "ssh-rsa-cert-v01@openssh.com,ssh-rsa");
  EXPECT_EQ(
      CanonicalSshdValue("PubkeyAcceptedKeyTypes", "+ssh-dss", Build(9, 2)).ends_with(",ssh-dss"),
      true);
  // DSA is gone in 10.0: "+ssh-dss" enables nothing.
  EXPECT_EQ(CanonicalSshdValue("PubkeyAcceptedAlgorithms", "+ssh-dss", Build(10, 0)).find("dss"),
            std::string::npos);
  // Not canonicalised: the arguments as written.
  EXPECT_EQ(CanonicalSshdValue("PermitRootLogin", "prohibit-password", k92), "prohibit-password");
  EXPECT_EQ(CanonicalSshdValue("NoSuchKeyword", "2m", k92), "2m");
}

TEST(SshdEffectiveValue, DefaultsAreAssembledToo) {
  const SshdKeyword* macs = FindSshdKeyword("MACs");
  SshdSetting setting{macs, {{{std::string(macs->default_value)}, {}}}};
  ASSERT_TRUE(setting.is_default());
  EXPECT_EQ(SshdEffectiveValue(setting, k92), macs->default_value);
  const SshdKeyword* grace = FindSshdKeyword("LoginGraceTime");
  EXPECT_EQ(SshdEffectiveValue(SshdSetting{grace, {{{"120"}, {}}}}, k92), "120");
}

TEST(SshdSettingFacts, ValueIsEffectiveAndConfiguredKeptWhenItDiffers) {
  imageprobe::testing::MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nci:x:1000:1000::/home/ci:/bin/sh\n");
  fs.File("/usr/sbin/sshd",
          std::string("\x7f"
                      "ELF\0OpenSSH_9.2p1\0",
                      19),
          {.mode = 0755});
  fs.File("/etc/ssh/sshd_config",
          "LoginGraceTime 2m\n"
          "ClientAliveInterval 300\n"
          "PubkeyAcceptedAlgorithms -ssh-ed25519*,sk-*\n"
          "Match User ci\n"
          "  ClientAliveInterval 1h\n");
  auto run = imageprobe::testing::RunProbe(SshdConfigProbe(), fs);
  const Fact* grace = run.FindFact("sshd/setting", "LoginGraceTime");
  ASSERT_NE(grace, nullptr);
  EXPECT_EQ(grace->data["value"], "120");
  EXPECT_EQ(grace->data["configured"], "2m");
  const Fact* alive = run.FindFact("sshd/setting", "ClientAliveInterval");
  ASSERT_NE(alive, nullptr);
  EXPECT_EQ(alive->data["value"], "300");
  EXPECT_FALSE(alive->data.contains("configured"));
  const Fact* pubkey = run.FindFact("sshd/setting", "PubkeyAcceptedAlgorithms");
  ASSERT_NE(pubkey, nullptr);
  EXPECT_EQ(pubkey->data["value"],
            "ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
            "ecdsa-sha2-nistp521-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,"
            "rsa-sha2-256-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
            "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256");
  EXPECT_EQ(pubkey->data["configured"], "-ssh-ed25519*,sk-*");
  const Fact* ciphers = run.FindFact("sshd/setting", "Ciphers");
  ASSERT_NE(ciphers, nullptr);
  EXPECT_TRUE(ciphers->data["is_default"]);
  EXPECT_FALSE(ciphers->data.contains("configured"));
  const Fact* ci = run.FindFact("sshd/user_setting", "ci|ClientAliveInterval");
  ASSERT_NE(ci, nullptr);
  EXPECT_EQ(ci->data["value"], "3600");
  EXPECT_EQ(ci->data["configured"], "1h");
}

}  // namespace
}  // namespace imageprobe::probes
