// SPDX-License-Identifier: Apache-2.0
#include "probes/files/config_file.h"

#include <gtest/gtest.h>

#include "probes/all_probes.h"
#include "probes/cloudinit/secret_hints.h"
#include "scanner/core/runner.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::probes {
namespace {

using testing::MemoryFs;

FileStat Regular(uint32_t mode = 0644) {
  return {.type = FileType::kRegular, .mode = mode, .uid = 0, .gid = 0, .size = 0, .mtime = 0};
}

TEST(ClassifyConfigPath, SystemConfigIsShownSecretsAreHashedHomesAreNotConfig) {
  EXPECT_EQ(ClassifyConfigPath("/etc/ssh/sshd_config"), ConfigFileClass::kText);
  EXPECT_EQ(ClassifyConfigPath("/etc/ssh/ssh_host_ed25519_key.pub"), ConfigFileClass::kText);
  EXPECT_EQ(ClassifyConfigPath("/lib/systemd/system/ssh.service"), ConfigFileClass::kText);
  EXPECT_EQ(ClassifyConfigPath("/etc/ssh/ssh_host_ed25519_key"), ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/etc/ssh/ssh_host_key"), ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/etc/shadow"), ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/etc/gshadow"), ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/var/lib/amazon/ssm/registration"), ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/var/lib/amazon/ssm/Vault/Store/RegistrationKey"),
            ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/var/lib/cloud/instance/user-data.txt"),
            ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/var/lib/cloud/instance/instance-data-sensitive.json"),
            ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/opt/aws/amazon-cloudwatch-agent/etc/credentials"),
            ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/etc/.aws/config"), ConfigFileClass::kHashOnly);
  EXPECT_EQ(ClassifyConfigPath("/home/alice/.ssh/authorized_keys"), ConfigFileClass::kNotConfig);
  EXPECT_EQ(ClassifyConfigPath("/root/.aws/credentials"), ConfigFileClass::kNotConfig);
  EXPECT_EQ(ClassifyConfigPath("/var/lib/dpkg/status"), ConfigFileClass::kNotConfig);
  EXPECT_EQ(ClassifyConfigPath("/etcetera/x"), ConfigFileClass::kNotConfig);
}

TEST(DescribeConfigFile, TextIsRedactedHashIsOfTheRealContent) {
  std::string content =
      "[default]\nregion = eu-west-1\naws_secret_access_key = "
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\npassword=hunter2hunter2\n";
  auto fact = DescribeConfigFile("/etc/app.conf", ConfigFileClass::kText, Regular(0600), content);
  ASSERT_TRUE(fact.text);
  EXPECT_EQ(*fact.text,
            "[default]\nregion = eu-west-1\naws_secret_access_key = wJal…EKEY\n"
            "password=hunt…ter2\n");
  // sha256 of the bytes as read (printf '%s' ... | sha256sum), not of the redacted text.
  EXPECT_EQ(fact.sha256.size(), 64u);
  EXPECT_NE(fact.sha256,
            DescribeConfigFile("/x", ConfigFileClass::kText, Regular(), *fact.text).sha256);
  nlohmann::json j = fact;
  EXPECT_EQ(j["mode"], "0600");
  EXPECT_EQ(j["content"], "text");
  EXPECT_EQ(j["size"], content.size());
  EXPECT_FALSE(j.contains("hash_only_reason"));
}

TEST(DescribeConfigFile, KnownEmptyStringHash) {
  auto fact = DescribeConfigFile("/etc/empty", ConfigFileClass::kText, Regular(), "");
  EXPECT_EQ(fact.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(fact.text, "");
}

TEST(DescribeConfigFile, SecretBearingPrivateKeyBinaryAndLargeAreHashOnly) {
  auto shadow = DescribeConfigFile("/etc/shadow", ConfigFileClass::kHashOnly, Regular(0640),
                                   "root:$6$salt$hash:19000:0:99999:7:::\n");
  EXPECT_FALSE(shadow.text);
  EXPECT_EQ(shadow.hash_only_reason, "secret-bearing");
  nlohmann::json j = shadow;
  EXPECT_EQ(j.dump().find("$6$"), std::string::npos);
  EXPECT_EQ(j["content"], "hash_only");

  auto key = DescribeConfigFile(
      "/etc/app/tls.conf", ConfigFileClass::kText, Regular(),
      "cert = x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n");
  EXPECT_FALSE(key.text);
  EXPECT_EQ(key.hash_only_reason, "private key");

  std::string binary("ab\0cd", 5);
  EXPECT_EQ(DescribeConfigFile("/etc/ld.so.cache", ConfigFileClass::kText, Regular(), binary)
                .hash_only_reason,
            "binary");
  EXPECT_EQ(DescribeConfigFile("/etc/latin1", ConfigFileClass::kText, Regular(), "caf\xe9\n")
                .hash_only_reason,
            "binary");
  std::string large(kMaxConfigTextBytes + 1, 'a');
  EXPECT_EQ(
      DescribeConfigFile("/etc/big", ConfigFileClass::kText, Regular(), large).hash_only_reason,
      "too large");
}

TEST(RedactSecretsInText, LeavesSettingsAndRedactsValuesOnly) {
  EXPECT_EQ(RedactSecretsInText("PasswordAuthentication no\nlock_passwd: true\n"),
            "PasswordAuthentication no\nlock_passwd: true\n");
  EXPECT_EQ(RedactSecretsInText("key AKIAABCDEFGHIJKLMNOP here\r\napi_key: 0123456789abcdef\r\n"),
            "key AKIA…MNOP here\r\napi_key: 0123…cdef\r\n");
  EXPECT_EQ(RedactSecretsInText("password: short\n"), "password: ****\n");
  // The shell-history rules apply too: a proxy URL with a password, PGPASSWORD.
  EXPECT_EQ(RedactSecretsInText("http_proxy = \"http://u:ProxyPassw0rd99@proxy:3128\"\n"
                                "export PGPASSWORD=pgsecretvalue1\n"),
            "http_proxy = \"http://u:Prox…rd99@proxy:3128\"\nexport PGPASSWORD=pgse…lue1\n");
  std::string junk("\xff\xfe\0\x01password=\x80\x81\x82", 15);
  EXPECT_NO_THROW(RedactSecretsInText(junk));
}

// Through the runner: the files other probes read (and only config ones) become facts.
TEST(ConfigFilesProbe, InventoriesWhatTheProbesReadThroughTheRunner) {
  MemoryFs fs;
  fs.File("/etc/os-release", "ID=debian\nVERSION_ID=12\n");
  fs.File("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
  fs.File("/etc/group", "root:x:0:\n");
  fs.File("/etc/shadow", "root:$6$salt$secret:19000:0:99999:7:::\n", {.mode = 0640});
  fs.File("/etc/ssh/sshd_config", "PermitRootLogin no\n");
  fs.File("/home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAA x\n");
  fs.File("/etc/unrelated.conf", "nobody reads me\n");
  RootInfo root{.name = "/"};
  RootReport report = RunProbes(fs, root, AllProbes(), ScanLimits{});
  std::map<std::string, nlohmann::json> files;
  for (const Fact& f : report.facts) {
    if (f.kind == "file/config") files[f.key] = f.data;
  }
  ASSERT_TRUE(files.contains("/etc/ssh/sshd_config"));
  EXPECT_EQ(files["/etc/ssh/sshd_config"]["text"], "PermitRootLogin no\n");
  ASSERT_TRUE(files.contains("/etc/shadow"));
  EXPECT_FALSE(files["/etc/shadow"].contains("text"));
  EXPECT_EQ(files["/etc/shadow"]["mode"], "0640");
  EXPECT_TRUE(files.contains("/etc/passwd"));
  EXPECT_FALSE(files.contains("/etc/unrelated.conf"));               // no probe read it
  EXPECT_FALSE(files.contains("/home/alice/.ssh/authorized_keys"));  // not config
  for (const auto& [path, data] : files) EXPECT_TRUE(path.starts_with("/etc/")) << path;
  EXPECT_EQ(report.probes.back().name, "files.config");
}

}  // namespace
}  // namespace imageprobe::probes
