// SPDX-License-Identifier: Apache-2.0
#include "probes/secrets/secrets_probe.h"

#include <gtest/gtest.h>

#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/run_probe.h"

namespace imageprobe::probes {
namespace {

using testing::MemoryFs;
using testing::RunProbe;

TEST(SecretsProbe, FindsAwsFilesAndHistoriesInEveryHome) {
  MemoryFs fs;
  testing::LoadFixtureTree(testing::FixturesDir() / "secrets_everywhere" / "root", fs);
  auto r = RunProbe(SecretsProbe(), fs);

  // /root/.aws/credentials: an AKIA and an ASIA profile (CRLF file).
  auto long_term = r.FindingsOf("secrets.aws.long_term_key");
  ASSERT_EQ(long_term.size(), 3u);  // root credentials, root config [profile ci], bob's
  EXPECT_EQ(long_term[0]->path, "/root/.aws/credentials");
  EXPECT_EQ(long_term[0]->user, "root");
  EXPECT_EQ(long_term[0]->severity, Severity::kCritical);
  EXPECT_EQ(long_term[0]->line, 3u);
  EXPECT_EQ(long_term[1]->path, "/root/.aws/config");
  auto temporary = r.FindingsOf("secrets.aws.temporary_key");
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
  const Finding* mysql = r.FindingOf("secrets.history.mysql_password");
  ASSERT_NE(mysql, nullptr);
  EXPECT_EQ(mysql->line, 5u);
  EXPECT_EQ(mysql->user, "root");
  EXPECT_EQ(mysql->evidence, "line 5: mysql -u root -pMyFa…0rd4 (secret MyFa…0rd4, 17 characters)");
  ASSERT_NE(r.FindingOf("secrets.history.aws_configure"), nullptr);
  ASSERT_NE(r.FindingOf("secrets.history.sql_identified_by"), nullptr);
  const Finding* fish = r.FindingOf("secrets.history.aws_secret_set");
  ASSERT_NE(fish, nullptr);
  EXPECT_EQ(fish->path, "/srv/bob/.local/share/fish/fish_history");
  auto env = r.FindingsOf("secrets.history.aws_secret_env");
  ASSERT_EQ(env.size(), 2u);  // root's export and alice's zsh export
  EXPECT_EQ(env[1]->user, "alice");
  EXPECT_EQ(r.FindingsOf("secrets.history.mysql_password").size(), 1u);  // alice's -p prompts
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
  ASSERT_NE(r.FindingOf("secrets.history.pgpassword"), nullptr);
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].path, "/root/.zsh_history");
}

}  // namespace
}  // namespace imageprobe::probes
