// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/systemd_exec_start.h"

#include <gtest/gtest.h>

namespace imageprobe::probes {
namespace {

using namespace std::string_literals;

constexpr std::string_view kDebianDropIn =
    "[Service]\r\n"
    "ExecStart=\r\n"
    "ExecStart=/usr/sbin/sshd -D -o \"AuthorizedKeysCommand "
    "/usr/share/ec2-instance-connect/eic_run_authorized_keys %%u %%f\" -o \\\r\n"
    "\"AuthorizedKeysCommandUser ec2-instance-connect\" $SSHD_OPTS\r\n";

TEST(ParseServiceExecStart, EicDebianDropIn) {
  auto parsed = ParseServiceExecStart(kDebianDropIn);
  EXPECT_TRUE(parsed.resets_exec_start);
  ASSERT_TRUE(parsed.has_exec_start);
  EXPECT_EQ(parsed.line, 3u);
  EXPECT_TRUE(parsed.problems.empty());
  ASSERT_EQ(parsed.sshd.options.size(), 2u);
  EXPECT_EQ(parsed.sshd.options[0].keyword, "AuthorizedKeysCommand");
  EXPECT_EQ(parsed.sshd.options[0].value,
            "/usr/share/ec2-instance-connect/eic_run_authorized_keys %u %f");  // %% unescaped
  EXPECT_EQ(parsed.sshd.options[1].keyword, "AuthorizedKeysCommandUser");
  EXPECT_EQ(parsed.sshd.options[1].value, "ec2-instance-connect");
  EXPECT_EQ(parsed.command.argv.back(), "$SSHD_OPTS");
  EXPECT_EQ(parsed.command.unexpanded, (std::vector<std::string>{"$SSHD_OPTS"}));
}

TEST(ParseServiceExecStart, OnlyServiceSectionAndTheLastExecStartAfterAReset) {
  auto parsed = ParseServiceExecStart(
      "# comment\n[Unit]\nExecStart=/bin/false -o Unit=1\n[Service]\n"
      "ExecStart=/usr/sbin/sshd -o First=1\n; comment\nExecStart=\n");
  EXPECT_TRUE(parsed.resets_exec_start);
  EXPECT_FALSE(parsed.has_exec_start);
  EXPECT_TRUE(parsed.sshd.options.empty());

  auto last = ParseServiceExecStart(
      "[Service]\nExecStart=-/usr/sbin/sshd -oPort=2222\nExecStart = /usr/sbin/sshd "
      "-Do 'PasswordAuthentication=no' -p 22 -oX\n");
  EXPECT_FALSE(last.resets_exec_start);
  EXPECT_EQ(last.line, 3u);
  ASSERT_EQ(last.sshd.options.size(), 2u);
  EXPECT_EQ(last.sshd.options[0].keyword, "PasswordAuthentication");
  EXPECT_EQ(last.sshd.options[0].value, "no");
  EXPECT_EQ(last.sshd.options[1].keyword, "X");
  EXPECT_EQ(last.sshd.options[1].value, "");
}

TEST(ParseServiceExecStart, MalformedInput) {
  auto parsed = ParseServiceExecStart("[Service\nno equals here\nExecStart=/usr/sbin/sshd -o\n");
  EXPECT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(parsed.problems[0].line, 1u);
  EXPECT_EQ(parsed.sshd.problems.size(), 0u);  // [Service was malformed: not in the section

  auto missing = ParseServiceExecStart("[Service]\nExecStart=/usr/sbin/sshd -o\n");
  ASSERT_EQ(missing.sshd.problems.size(), 1u);

  auto quote = ParseServiceExecStart("[Service]\nExecStart=/usr/sbin/sshd -o \"Unclosed value\n");
  EXPECT_EQ(quote.command.problems.size(), 1u);

  std::string junk = "[Service]\nExecStart=\0\xff\\\x1b -o \\x4Fpt=1 \\q\n"s;
  EXPECT_NO_THROW(ParseServiceExecStart(junk));
  EXPECT_NO_THROW(ParseServiceExecStart("[Service]\nExecStart=" + std::string(100'000, 'a')));
  EXPECT_NO_THROW(ParseServiceExecStart("\\\n\\\n\\"));
}

TEST(SplitSystemdCommandLine, QuotesEscapesSpecifiersAndPrefixes) {
  auto line = SplitSystemdCommandLine(
      R"(@-/bin/prog "a b" 'c d' e\ f "g\"h" 100%% %i $$HOME ${VAR}x \x41)");
  EXPECT_EQ(line.prefixes, "@-");
  EXPECT_EQ(line.argv, (std::vector<std::string>{"/bin/prog", "a b", "c d", "e f", "g\"h", "100%",
                                                 "%i", "$HOME", "${VAR}x", "A"}));
  EXPECT_EQ(line.unexpanded, (std::vector<std::string>{"%i", "${VAR}"}));
}

TEST(SplitSshdOption, KeywordValueForms) {
  EXPECT_EQ(SplitSshdOption("Port 22")->value, "22");
  EXPECT_EQ(SplitSshdOption("Port=22")->value, "22");
  EXPECT_EQ(SplitSshdOption("  Port = 22 ")->keyword, "Port");
  EXPECT_EQ(SplitSshdOption("  Port = 22 ")->value, "22");
  EXPECT_FALSE(SplitSshdOption("   "));
}

}  // namespace
}  // namespace imageprobe::probes
