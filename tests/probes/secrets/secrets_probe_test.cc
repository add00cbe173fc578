// SPDX-License-Identifier: Apache-2.0
#include "probes/secrets/secrets_probe.h"

#include <gtest/gtest.h>

#include <map>

#include "probes/ssh/keys_probe.h"
#include "tests/probes/ssh/test_keys.h"
#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

using testing::MemoryFs;
using testing::RunProbe;

TEST(SecretsProbe, FindsAwsFilesAndHistoriesInEveryHome) {
  MemoryFs fs;
  testing::LoadFixtureTree(testing::FixturesDir() / "secrets_everywhere" / "root", fs);
  auto r = RunProbe(SecretsProbe(), fs);

  // /root/.aws/credentials: an AKIA and an ASIA profile (CRLF file).
  auto long_term = r.Findings("secrets.aws.long_term_key");
  ASSERT_EQ(long_term.size(), 3u);  // root credentials, root config [profile ci], bob's
  EXPECT_EQ(long_term[0]->path, "/root/.aws/credentials");
  EXPECT_EQ(long_term[0]->user, "root");
  EXPECT_EQ(long_term[0]->severity, Severity::kCritical);
  EXPECT_EQ(long_term[0]->line, 3u);
  EXPECT_EQ(long_term[1]->path, "/root/.aws/config");
  auto temporary = r.Findings("secrets.aws.temporary_key");
  ASSERT_EQ(temporary.size(), 1u);
  EXPECT_NE(temporary[0]->evidence.find("aws_session_token present"), std::string::npos);
  const Fact* profile = r.FindFact("secrets/aws_profile", "/root/.aws/credentials|default");
  ASSERT_NE(profile, nullptr);
  EXPECT_EQ(profile->data["access_key_id"], "AKIA…0001");
  EXPECT_EQ(profile->data["key_kind"], "long_term");

  // bob's home is /srv/bob (from passwd, not /home): keys before any header still count,
  // and his malformed section header is reported with its line.
  const Finding* bob = long_term[2];
  EXPECT_EQ(bob->path, "/srv/bob/.aws/credentials");
  EXPECT_EQ(bob->user, "bob");
  bool bob_error = false;
  for (const auto& e : r.errors()) {
    bob_error |= e.path == "/srv/bob/.aws/credentials" && e.message.starts_with("line 2:");
  }
  EXPECT_TRUE(bob_error);

  // Histories of three shells.
  const Fact* bash = r.FindFact("secrets/shell_history", "/root/.bash_history");
  ASSERT_NE(bash, nullptr);
  EXPECT_EQ(bash->data["lines"], 11);
  EXPECT_EQ(bash->data["hits"]["mysql_password"], 1);
  const Finding* mysql = r.FirstFinding("secrets.history.mysql_password");
  ASSERT_NE(mysql, nullptr);
  EXPECT_EQ(mysql->line, 5u);
  EXPECT_EQ(mysql->user, "root");
  EXPECT_EQ(mysql->evidence, "line 5: mysql -u root -pMyFa…0rd4 (secret MyFa…0rd4, 17 characters)");
  ASSERT_NE(r.FirstFinding("secrets.history.aws_configure"), nullptr);
  ASSERT_NE(r.FirstFinding("secrets.history.sql_identified_by"), nullptr);
  const Finding* fish = r.FirstFinding("secrets.history.aws_secret_set");
  ASSERT_NE(fish, nullptr);
  EXPECT_EQ(fish->path, "/srv/bob/.local/share/fish/fish_history");
  auto env = r.Findings("secrets.history.aws_secret_env");
  ASSERT_EQ(env.size(), 2u);  // root's export and alice's zsh export
  EXPECT_EQ(env[1]->user, "alice");
  EXPECT_EQ(r.Findings("secrets.history.mysql_password").size(), 1u);  // alice's -p prompts
}

TEST(SecretsProbe, HomesComeFromPasswdRootAndHomeDirectories) {
  MemoryFs fs;
  fs.File("/etc/passwd",
          "root:x:0:0::/root:/bin/bash\nsys:x:2:2::/:/usr/sbin/nologin\n"
          "nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n"
          "app:x:1000:1000::/opt/app/:/bin/sh\ndup:x:1001:1001::/root:/bin/sh\n");
  fs.Dir("/home/gone");
  OsInfo os;
  ScanLimits limits;
  Context context;
  Target target{fs, os, limits, context};
  auto homes = HomesToScan(target);
  ASSERT_EQ(homes.size(), 3u);
  EXPECT_EQ(homes[0].path, "/root");
  EXPECT_EQ(homes[1].path, "/opt/app");
  EXPECT_EQ(homes[1].user, "app");
  EXPECT_EQ(homes[2].path, "/home/gone");
  EXPECT_EQ(homes[2].user, "");
}

TEST(SecretsProbe, OversizedHistoryIsReadPartiallyAndUnreadableFilesAreErrors) {
  MemoryFs fs;
  fs.File("/root/.bash_history", "PGPASSWORD=EarlyPassw0rd psql\n" + std::string(4096, 'x') + "\n");
  fs.Special("/root/.zsh_history", FileType::kFifo);
  ScanLimits limits;
  limits.max_file_bytes = 1024;
  auto r = RunProbe(SecretsProbe(), fs, limits);
  const Fact* bash = r.FindFact("secrets/shell_history", "/root/.bash_history");
  ASSERT_NE(bash, nullptr);
  EXPECT_EQ(bash->data["truncated"], true);
  ASSERT_NE(r.FirstFinding("secrets.history.pgpassword"), nullptr);
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].path, "/root/.zsh_history");
}

TEST(SecretsProbe, CrossReferencesPrivateKeysOfTheFixture) {
  MemoryFs fs;
  testing::LoadFixtureTree(testing::FixturesDir() / "secrets_everywhere" / "root", fs);
  auto r = RunProbe(SecretsProbe(), fs);

  // root's id_ed25519 (openssh container): authorized for alice and bob, offered by root's
  // ~/.ssh/config to one host.
  const Fact* root_key = r.FindFact("secrets/private_key_use", "/root/.ssh/id_ed25519");
  ASSERT_NE(root_key, nullptr);
  EXPECT_EQ(root_key->data["fingerprint"], "SHA256:goJ1oeYAMseEJXFd2AJysTF+1H+3Rlh7YAD2MxMER4o");
  EXPECT_EQ(root_key->data["fingerprint_source"], "container");
  EXPECT_EQ(root_key->data["opens_accounts"], nlohmann::json({"alice", "bob"}));
  ASSERT_EQ(root_key->data["client_config_references"].size(), 1u);
  EXPECT_EQ(root_key->data["client_config_references"][0]["path"], "/root/.ssh/config");
  EXPECT_EQ(root_key->data["client_config_references"][0]["line"], 3);
  EXPECT_EQ(root_key->data["client_config_references"][0]["block"], "Host git.internal.example");
  auto opens = r.Findings("secrets.private_key.opens_accounts");
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_EQ(opens[0]->severity, Severity::kHigh);
  EXPECT_EQ(opens[0]->path, "/root/.ssh/id_ed25519");
  EXPECT_EQ(opens[0]->title,
            "Private key /root/.ssh/id_ed25519 opens accounts alice, bob of this image");
  EXPECT_NE(opens[0]->evidence.find("offered by /root/.ssh/config line 3"), std::string::npos);

  // alice's PEM deploy_key: fingerprint from its .pub, authorized nowhere, offered via %d.
  const Fact* deploy = r.FindFact("secrets/private_key_use", "/home/alice/.ssh/deploy_key");
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->data["fingerprint"], "SHA256:a0NDsap5kLzXxIcfwyS+rdDYjUqwBS2ygVOYw0ijuWg");
  EXPECT_EQ(deploy->data["fingerprint_source"], "pub_file");
  EXPECT_TRUE(deploy->data["opens_accounts"].empty());
  EXPECT_EQ(deploy->data["client_config_references"][0]["path"], "/home/alice/.ssh/config");

  const Fact* summary = r.FindFact("secrets/summary", "summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->data["private_keys"], 2);
  EXPECT_EQ(summary->data["private_keys_unencrypted"], 2);
  EXPECT_EQ(summary->data["private_keys_opening_accounts"], 1);
  EXPECT_EQ(summary->data["private_keys_in_client_configs"], 2);
  EXPECT_GE(summary->data["aws_files"].get<int>(), 3);
  EXPECT_GE(summary->data["shell_history_hits"].get<int>(), 8);
}

TEST(SecretsProbe, PrivateKeySeverityFollowsRootPassphraseAndWhatSshdAccepts) {
  using namespace ssh::test_keys;
  auto pem = [](bool encrypted) {
    return std::string("-----BEGIN RSA PRIVATE KEY-----\n") +
           (encrypted ? "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n" : "") +
           "MIIfake\n-----END RSA PRIVATE KEY-----\n";
  };
  auto pub = [](std::string_view blob) { return "ssh-ed25519 " + std::string(blob) + " k\n"; };
  MemoryFs fs;
  fs.File("/etc/passwd",
          "root:x:0:0::/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/bash\n"
          "ops:x:1001:1001::/home/ops:/bin/bash\n");
  fs.Dir("/root", {.mode = 0700});
  fs.Dir("/home/app", {.mode = 0755, .uid = 1000});
  fs.Dir("/home/ops", {.mode = 0755, .uid = 1001});
  fs.File("/root/.ssh/authorized_keys", pub(kEdABlob));
  fs.File("/home/app/.ssh/authorized_keys",
          pub(kEdABlob) + "cert-authority " + pub(kEdBBlob) + pub(kEdCBlob), {.uid = 1000});
  // Group-writable: sshd (StrictModes) never reads it, so B opens nothing here either.
  fs.File("/home/ops/.ssh/authorized_keys", pub(kEdBBlob), {.mode = 0664, .uid = 1001});
  fs.File("/home/app/.ssh/id_a", pem(false), {.mode = 0600, .uid = 1000});
  fs.File("/home/app/.ssh/id_a.pub", pub(kEdABlob), {.uid = 1000});
  fs.File("/home/app/.ssh/id_b", pem(false), {.mode = 0600, .uid = 1000});
  fs.File("/home/app/.ssh/id_b.pub", pub(kEdBBlob), {.uid = 1000});
  fs.File("/root/.ssh/id_c", pem(true), {.mode = 0600});
  fs.File("/root/.ssh/id_c.pub", pub(kEdCBlob));
  fs.File("/etc/ssh/ssh_config", "Host *\n  IdentityFile ~/.ssh/id_b\n");
  auto r = RunProbe(SecretsProbe(), fs);

  auto opens = r.Findings("secrets.private_key.opens_accounts");
  ASSERT_EQ(opens.size(), 2u);
  const Finding* a = opens[0]->path == "/home/app/.ssh/id_a" ? opens[0] : opens[1];
  const Finding* c = opens[0]->path == "/root/.ssh/id_c" ? opens[0] : opens[1];
  EXPECT_EQ(a->severity, Severity::kCritical);  // no passphrase, opens root
  EXPECT_EQ(a->user, "app");
  EXPECT_EQ(r.FindFact("secrets/private_key_use", "/home/app/.ssh/id_a")->data["opens_accounts"],
            nlohmann::json({"app", "root"}));
  EXPECT_EQ(c->path, "/root/.ssh/id_c");
  EXPECT_EQ(c->severity, Severity::kMedium);  // encrypted
  // id_b: only a cert-authority line and a refused file name it; the system-wide client
  // config offers it for app (the home that holds it).
  const Fact* b = r.FindFact("secrets/private_key_use", "/home/app/.ssh/id_b");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->data["opens_accounts"].empty());
  EXPECT_EQ(b->data["client_config_references"][0]["path"], "/etc/ssh/ssh_config");
  EXPECT_EQ(r.FindFact("secrets/summary", "summary")->data["private_keys_opening_accounts"], 2);
}

TEST(SecretsProbe, SummaryEvenWhenNothingIsFound) {
  MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0::/root:/bin/bash\n");
  auto r = RunProbe(SecretsProbe(), fs);
  const Fact* summary = r.FindFact("secrets/summary", "summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->data["private_keys"], 0);
  EXPECT_EQ(summary->data["aws_files"], 0);
  EXPECT_TRUE(r.out.findings().empty());
}

// Counts reads per path, to show that the secrets probe reuses the ssh.keys inventory.
class CountingFs final : public Filesystem {
 public:
  explicit CountingFs(const Filesystem& inner) : inner_(inner) {}
  FsResult<FileStat> Lstat(std::string_view path) const override { return inner_.Lstat(path); }
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override {
    return inner_.List(dir);
  }
  FsResult<std::string> ReadLink(std::string_view path) const override {
    return inner_.ReadLink(path);
  }
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override {
    ++reads_[std::string(path)];
    return inner_.ReadAt(path, offset, length);
  }
  std::string Describe() const override { return "counting"; }
  int Reads(const std::string& path) const {
    auto it = reads_.find(path);
    return it == reads_.end() ? 0 : it->second;
  }

 private:
  const Filesystem& inner_;
  mutable std::map<std::string, int> reads_;
};

TEST(SecretsProbe, PrivateKeysAreReadOnceForBothProbesThroughTheContext) {
  MemoryFs memory;
  testing::LoadFixtureTree(testing::FixturesDir() / "secrets_everywhere" / "root", memory);
  CountingFs fs(memory);
  Context context;
  testing::RunProbe(ssh::KeysProbe(), fs, context);
  int after_keys = fs.Reads("/root/.ssh/id_ed25519");
  ASSERT_GT(after_keys, 0);
  auto secrets = testing::RunProbe(SecretsProbe(), fs, context);
  EXPECT_EQ(fs.Reads("/root/.ssh/id_ed25519"), after_keys);
  EXPECT_FALSE(secrets.Facts("secrets/private_key_use").empty());
}

}  // namespace
}  // namespace imageprobe::probes
