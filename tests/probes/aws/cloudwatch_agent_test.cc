// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "probes/aws/cloudwatch_agent_probe.h"
#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

using testing::MemoryFs;
using testing::RunProbe;
using namespace std::string_literals;

TEST(ParseCloudWatchCommonConfig, ShippedTemplateShapeAndOverrides) {
  auto c = ParseCloudWatchCommonConfig(
      "# comment\r\n"
      "[credentials]\r\n"
      "   shared_credential_profile = \"AmazonCloudWatchAgent\"\r\n"
      "   shared_credential_file = \"/root/.aws/credentials\"  # on-prem\r\n"
      "[proxy]\n"
      "   https_proxy = \"http://user:pa55w0rd-long@proxy:3128\"\n"
      "   no_proxy = \"169.254.169.254\"\n"
      "[ssl]\n"
      "   ca_bundle_path = \"/etc/ssl/ca.pem\"\n");
  EXPECT_EQ(c.shared_credential_profile, "AmazonCloudWatchAgent");
  EXPECT_EQ(c.shared_credential_file, "/root/.aws/credentials");
  EXPECT_EQ(c.https_proxy, "http://user:pa55…long@proxy:3128");
  EXPECT_TRUE(c.proxy_has_credentials);
  EXPECT_EQ(c.ca_bundle_path, "/etc/ssl/ca.pem");
  EXPECT_TRUE(c.problems.empty());
}

TEST(ParseCloudWatchCommonConfig, CommentedTemplateAndMalformedValues) {
  auto commented = ParseCloudWatchCommonConfig(
      "# [credentials]\n#    shared_credential_profile = \"{profile_name}\"\n");
  EXPECT_EQ(commented.shared_credential_file, "");
  auto bad = ParseCloudWatchCommonConfig(
      "[credentials]\nshared_credential_file = \"/unterminated\n\0junk\n"
      "[credentials\n"s);
  EXPECT_EQ(bad.shared_credential_file, "");
  EXPECT_EQ(bad.problems.size(), 3u);
}

TEST(RedactUrlPassword, OnlyUserinfoPasswordIsRedacted) {
  bool had = false;
  EXPECT_EQ(RedactUrlPassword("http://proxy:3128", &had), "http://proxy:3128");
  EXPECT_FALSE(had);
  EXPECT_EQ(RedactUrlPassword("http://u:p@proxy", &had), "http://u:****@proxy");
  EXPECT_TRUE(had);
  EXPECT_EQ(RedactUrlPassword("http://proxy/a@b:c", &had), "http://proxy/a@b:c");
  EXPECT_FALSE(had);
  EXPECT_EQ(RedactUrlPassword("", &had), "");
}

TEST(CloudWatchAgentProbe, ConfigFilesAndTheCredentialsFileTheyName) {
  MemoryFs fs;
  testing::LoadFixtureTree(testing::FixturesDir() / "secrets_everywhere" / "root", fs);
  auto r = RunProbe(CloudWatchAgentProbe(), fs);
  EXPECT_TRUE(r.errors().empty());
  const Fact* json =
      r.FindFact("cloudwatch/config_file",
                 "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json");
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(json->data["sha256"].get<std::string>().size(), 64u);
  const Fact* dropin =
      r.FindFact("cloudwatch/config_file",
                 "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.d/file_config.json");
  ASSERT_NE(dropin, nullptr);
  EXPECT_EQ(dropin->data["kind"], "fetched config (file)");
  const Fact* token =
      r.FindFact("cloudwatch/config_file", "/opt/aws/amazon-cloudwatch-agent/etc/.oidc-token");
  ASSERT_NE(token, nullptr);
  EXPECT_FALSE(token->data.contains("sha256"));
  ASSERT_NE(r.FirstFinding("cloudwatch.oidc_token.present"), nullptr);
  ASSERT_NE(r.FirstFinding("cloudwatch.proxy.credentials"), nullptr);

  const Fact* creds = r.FindFact("cloudwatch/credentials_file", "/etc/cwagent/credentials");
  ASSERT_NE(creds, nullptr);
  EXPECT_EQ(creds->data["exists"], true);
  EXPECT_EQ(creds->data["profile"], "AmazonCloudWatchAgent");
  EXPECT_EQ(creds->data["profiles"][0]["access_key_id"], "AKIA…0012");
  const Finding* key = r.FirstFinding("cloudwatch.credentials_file.long_term_key");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->path, "/etc/cwagent/credentials");
  EXPECT_EQ(key->line, 3u);
}

TEST(CloudWatchAgentProbe, MissingOrRelativeCredentialsFileAndNotInstalled) {
  MemoryFs fs;
  fs.File("/opt/aws/amazon-cloudwatch-agent/etc/common-config.toml",
          "[credentials]\nshared_credential_file = \"/nowhere/credentials\"\n");
  auto r = RunProbe(CloudWatchAgentProbe(), fs);
  EXPECT_EQ(r.FindFact("cloudwatch/credentials_file", "/nowhere/credentials")->data["exists"],
            false);
  EXPECT_TRUE(r.out.findings().empty());

  // There but not a file it can read: it exists, and the error says why it was not read.
  MemoryFs unreadable;
  unreadable
      .File("/opt/aws/amazon-cloudwatch-agent/etc/common-config.toml",
            "[credentials]\nshared_credential_file = \"/etc/cwagent/credentials\"\n")
      .Dir("/etc/cwagent/credentials");
  auto ru = RunProbe(CloudWatchAgentProbe(), unreadable);
  EXPECT_EQ(ru.FindFact("cloudwatch/credentials_file", "/etc/cwagent/credentials")->data["exists"],
            true);
  ASSERT_FALSE(ru.out.errors().empty());
  EXPECT_EQ(ru.out.errors()[0].path, "/etc/cwagent/credentials");

  MemoryFs relative;
  relative.File("/opt/aws/amazon-cloudwatch-agent/etc/common-config.toml",
                "[credentials]\nshared_credential_file = \"~/.aws/credentials\"\n");
  auto rr = RunProbe(CloudWatchAgentProbe(), relative);
  EXPECT_TRUE(
      rr.FindFact("cloudwatch/credentials_file", "~/.aws/credentials")->data["exists"].is_null());

  MemoryFs empty;
  EXPECT_FALSE(RunProbe(CloudWatchAgentProbe(), empty).out.applicable());
}

}  // namespace
}  // namespace imageprobe::probes
