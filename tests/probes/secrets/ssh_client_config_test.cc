// SPDX-License-Identifier: Apache-2.0
#include "probes/secrets/ssh_client_config.h"

#include <gtest/gtest.h>

namespace imageprobe::probes {
namespace {

TEST(SshClientConfig, IdentityFilesWithTheirBlocks) {
  auto parsed = ParseSshClientConfig(
      "# comment\n"
      "IdentityFile ~/.ssh/id_top\n"
      "Host git.internal.example *.corp\n"
      "  User git\n"
      "  identityfile=\"~/.ssh/with space\"\r\n"
      "Match user deploy\n"
      "\tIDENTITYFILE = %d/.ssh/deploy_key # trailing words are other arguments\n");
  ASSERT_EQ(parsed.identity_files.size(), 3u);
  EXPECT_TRUE(parsed.problems.empty());
  EXPECT_EQ(parsed.identity_files[0].path, "~/.ssh/id_top");
  EXPECT_EQ(parsed.identity_files[0].block, "");
  EXPECT_EQ(parsed.identity_files[0].line, 2u);
  EXPECT_EQ(parsed.identity_files[1].path, "~/.ssh/with space");
  EXPECT_EQ(parsed.identity_files[1].block, "Host git.internal.example *.corp");
  EXPECT_EQ(parsed.identity_files[2].path, "%d/.ssh/deploy_key");
  EXPECT_EQ(parsed.identity_files[2].block, "Match user deploy");
  EXPECT_EQ(parsed.identity_files[2].line, 7u);
}

TEST(SshClientConfig, MalformedLinesBecomeProblems) {
  auto parsed = ParseSshClientConfig("IdentityFile \"unterminated\nIdentityFile\n" +
                                     std::string("IdentityFile ") + std::string(5000, 'a') +
                                     "\n\xff\xfe junk =\n=\n");
  ASSERT_EQ(parsed.problems.size(), 3u);
  EXPECT_EQ(parsed.problems[0].line, 1u);
  EXPECT_EQ(parsed.problems[1].line, 2u);
  EXPECT_EQ(parsed.problems[2].line, 3u);
  // A literal with an embedded NUL: std::string stops there, so build it explicitly.
  std::string text = "IdentityFile /ok";
  text += '\0';
  text += "/after-nul\n";
  auto nul = ParseSshClientConfig(text);
  ASSERT_EQ(nul.identity_files.size(), 1u);
  EXPECT_EQ(nul.identity_files[0].path, "/ok");
}

TEST(SshClientConfig, ExpandsHomeAndUserTokensOnly) {
  EXPECT_EQ(ExpandIdentityFile("~/.ssh/id_rsa", "alice", "/home/alice"), "/home/alice/.ssh/id_rsa");
  EXPECT_EQ(ExpandIdentityFile("%d/keys/%u.pem", "alice", "/home/alice"),
            "/home/alice/keys/alice.pem");
  EXPECT_EQ(ExpandIdentityFile("/etc/keys/100%%", "a", "/h"), "/etc/keys/100%");
  EXPECT_EQ(ExpandIdentityFile("~/.ssh/%h_key", "a", "/h"), std::nullopt);  // per connection
  EXPECT_EQ(ExpandIdentityFile("none", "a", "/h"), std::nullopt);
  EXPECT_EQ(ExpandIdentityFile("relative/key", "a", "/h"), std::nullopt);
  EXPECT_EQ(ExpandIdentityFile("~bob/.ssh/id", "a", "/h"), std::nullopt);
  EXPECT_EQ(ExpandIdentityFile("/trailing%", "a", "/h"), std::nullopt);
}

}  // namespace
}  // namespace imageprobe::probes
