// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/authorized_keys.h"

#include <gtest/gtest.h>

#include "tests/probes/ssh/test_keys.h"

namespace imageprobe::probes::ssh {
namespace {

using namespace std::string_literals;
using test_keys::kEdABlob;
using test_keys::kEdAFingerprint;

std::string Ed(std::string_view comment = "a@b") {
  return "ssh-ed25519 " + std::string(kEdABlob) + (comment.empty() ? "" : " ") +
         std::string(comment);
}

TEST(ParseKeyOptions, QuotesEscapesAndFlags) {
  auto o = ParseKeyOptions(
      "restrict,pty,no-agent-forwarding,command=\"echo \\\"a,b c\\\"\",from=\"10.0.0.0/8\","
      "environment=\"A_1=x y\",permitopen=\"host:22\",permitlisten=\"8080\","
      "expiry-time=\"20300101\",tunnel=\"any\",principals=\"alice,bob\",cert-authority");
  ASSERT_TRUE(o) << o.error();
  EXPECT_TRUE(o->restrict);
  EXPECT_EQ(o->pty, true);
  EXPECT_EQ(o->agent_forwarding, false);
  EXPECT_EQ(o->command, "echo \"a,b c\"");
  EXPECT_EQ(o->from, "10.0.0.0/8");
  EXPECT_EQ(o->environment, std::vector<std::string>{"A_1=x y"});
  EXPECT_EQ(o->permitlisten, std::vector<std::string>{"8080"});
  EXPECT_TRUE(o->cert_authority);
  EXPECT_TRUE(o->Restricts());
}

TEST(ParseKeyOptions, RefusesWhatSshdRefuses) {
  for (std::string_view bad :
       {"bogus", "no-restrict", "command=\"a\",command=\"b\"", "command=unquoted", "command=\"open",
        "restrict,", "restrict;pty", "environment=\"=x\"x", "environment=\"A-B=1\"",
        "expiry-time=\"2030\"", "tunnel=\"x\"", "permitopen=\"host\"", "permitopen=\"host:0\"",
        "permitopen=\"[::1\"", "principals=\"a\",principals=\"b\""}) {
    EXPECT_FALSE(ParseKeyOptions(bad)) << bad;
  }
  EXPECT_TRUE(ParseKeyOptions("NO-PTY,Restrict"));  // case-insensitive like strncasecmp
  EXPECT_TRUE(ParseKeyOptions("permitopen=\"[::1]:22\",permitopen=\"*:*\""));
}

TEST(ParseAuthorizedKeys, PlainOptionsCommentsAndBlanks) {
  std::string text = "# header\n\n   " + Ed("first") + "\r\n" + "restrict,command=\"/bin/true\" " +
                     Ed("second key") + "\n\t\n" + "from=\"a b\" " + Ed("") + "\n";
  auto parsed = ParseAuthorizedKeys(text);
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems[0].message;
  ASSERT_EQ(parsed.keys.size(), 3u);
  EXPECT_EQ(parsed.keys[0].line, 3u);
  EXPECT_EQ(parsed.keys[0].comment, "first");  // CR dropped
  EXPECT_EQ(parsed.keys[0].key.fingerprint, kEdAFingerprint);
  EXPECT_EQ(parsed.keys[1].options.command, "/bin/true");
  EXPECT_EQ(parsed.keys[1].comment, "second key");
  EXPECT_EQ(parsed.keys[2].options.from, "a b");
  EXPECT_EQ(parsed.keys[2].comment, "");
}

TEST(ParseAuthorizedKeys, BadLinesAreProblemsWithLineNumbers) {
  std::string text = Ed() + "\n" + "ssh-ed25519 AAAA!notbase64 x\n" +  // 2
                     "ssh-ed25519\n" +                                 // 3
                     "ssh-rsa " + std::string(kEdABlob) + " x\n" +     // 4: type mismatch
                     "unknown-option " + Ed() + "\n" +                 // 5
                     "command=\"never closed " + Ed() + "\n" +         // 6
                     "\x01\x02\xff\xfe binary junk\n" +                // 7
                     "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\n";             // 8: truncated blob
  auto parsed = ParseAuthorizedKeys(text);
  ASSERT_EQ(parsed.keys.size(), 1u);
  ASSERT_EQ(parsed.problems.size(), 7u);
  std::vector<uint32_t> lines;
  for (const auto& p : parsed.problems) lines.push_back(p.line);
  EXPECT_EQ(lines, (std::vector<uint32_t>{2, 3, 4, 5, 6, 7, 8}));
  EXPECT_NE(parsed.problems[0].message.find("base64"), std::string::npos);
  EXPECT_NE(parsed.problems[2].message.find("does not match"), std::string::npos);
  EXPECT_NE(parsed.problems[3].message.find("unsupported option"), std::string::npos);
  EXPECT_NE(parsed.problems[4].message.find("quote"), std::string::npos);
}

TEST(ParseAuthorizedKeys, NulEndsTheLineAsForSshd) {
  auto parsed = ParseAuthorizedKeys(Ed("before") + "\0after\n"s + "\0"s + Ed() + "\n");
  ASSERT_EQ(parsed.keys.size(), 1u);
  EXPECT_EQ(parsed.keys[0].comment, "before");
  EXPECT_TRUE(parsed.problems.empty());  // line 2 starts with NUL: empty for sshd
}

TEST(ParseAuthorizedKeys, VeryLongLinesAndAOneMegabyteLine) {
  std::string long_comment(200'000, 'c');
  std::string megabyte_junk(1 << 20, 'A');  // valid base64 alphabet, not a key
  std::string options_junk = "command=\"" + std::string(1 << 20, 'x') + "\" " + Ed();
  auto parsed = ParseAuthorizedKeys(Ed(long_comment) + "\nssh-rsa " + megabyte_junk + "\n" +
                                    options_junk + "\n" + std::string(1 << 20, '"') + "\n");
  ASSERT_EQ(parsed.keys.size(), 2u);
  EXPECT_EQ(parsed.keys[0].comment.size(), long_comment.size());
  EXPECT_EQ(parsed.keys[1].options.command->size(), size_t{1} << 20);
  ASSERT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(parsed.problems[0].line, 2u);
  EXPECT_EQ(parsed.problems[1].line, 4u);
}

TEST(ParseAuthorizedKeys, WeakAndAliasTypes) {
  auto parsed =
      ParseAuthorizedKeys("ssh-dss " + std::string(test_keys::kDsaBlob) + " d\n" + "rsa-sha2-256 " +
                          std::string(test_keys::kRsa1024Blob) + " r\n");
  ASSERT_EQ(parsed.keys.size(), 2u);
  EXPECT_EQ(parsed.keys[0].key.label(), "DSA");
  EXPECT_EQ(parsed.keys[0].key.bits, 1024u);
  EXPECT_EQ(parsed.keys[0].key.fingerprint, test_keys::kDsaFingerprint);
  EXPECT_EQ(parsed.keys[1].written_type, "rsa-sha2-256");
  EXPECT_EQ(parsed.keys[1].key.type_name(), "ssh-rsa");
  EXPECT_EQ(parsed.keys[1].key.fingerprint, test_keys::kRsa1024Fingerprint);
}

}  // namespace
}  // namespace imageprobe::probes::ssh
