// SPDX-License-Identifier: Apache-2.0
#include "probes/secrets/aws_credentials.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace imageprobe::probes {
namespace {

TEST(ClassifyAwsAccessKeyId, DocumentedPrefixes) {
  EXPECT_EQ(ClassifyAwsAccessKeyId("AKIAIOSFODNN7EXAMPLE"), AwsKeyKind::kLongTerm);
  EXPECT_EQ(ClassifyAwsAccessKeyId("ASIAIOSFODNN7EXAMPLE"), AwsKeyKind::kTemporary);
  EXPECT_EQ(ClassifyAwsAccessKeyId("AIDAIOSFODNN7EXAMPLE"), AwsKeyKind::kUnrecognised);
  EXPECT_EQ(ClassifyAwsAccessKeyId(""), AwsKeyKind::kNone);
}

TEST(ExtractAwsCredentials, ProfilesWithKeysOnlyAndRedacted) {
  parse::IniFile ini = parse::ParseIni(
      "[default]\r\n"
      "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\n"
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n"
      "[profile sso]\n"
      "sso_start_url = https://example.awsapps.com/start\n"
      "[temp]\n"
      "AWS_ACCESS_KEY_ID=\"ASIAIOSFODNN7EXAMPLE\"\n"
      "aws_secret_access_key=x\n"
      "aws_session_token = FwoGZXIvYXdzEXAMPLE\n"
      "[only-secret]\n"
      "aws_secret_access_key = abcdefghijklmnop\n");
  auto profiles = ExtractAwsCredentials(ini);
  ASSERT_EQ(profiles.size(), 3u);
  EXPECT_EQ(profiles[0].profile, "default");
  EXPECT_EQ(profiles[0].key_kind, AwsKeyKind::kLongTerm);
  EXPECT_EQ(profiles[0].access_key_id, "AKIA…MPLE");
  EXPECT_EQ(profiles[0].secret_access_key_length, 40u);
  EXPECT_EQ(profiles[0].secret_line, 3u);
  EXPECT_EQ(profiles[1].key_kind, AwsKeyKind::kTemporary);  // quotes and key case tolerated
  EXPECT_TRUE(profiles[1].session_token_present);
  EXPECT_EQ(profiles[2].key_kind, AwsKeyKind::kNone);
  EXPECT_TRUE(profiles[2].secret_access_key_present);
  nlohmann::json j = profiles;
  EXPECT_EQ(j.dump().find("wJalr"), std::string::npos);
  EXPECT_EQ(j.dump().find("IOSFODNN7"), std::string::npos);
}

TEST(RaiseAwsCredentialFindings, SeverityFollowsKindAndUsability) {
  constexpr RuleInfo kLong{"t.long", Severity::kCritical, "long", "", ""};
  constexpr RuleInfo kTemp{"t.temp", Severity::kHigh, "temp", "", ""};
  constexpr RuleInfo kOther{"t.other", Severity::kHigh, "other", "", ""};
  auto profiles = ExtractAwsCredentials(parse::ParseIni(
      "[a]\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key=s3cr3ts3cr3ts3cr3t\n"
      "[b]\naws_access_key_id=AKIAIOSFODNN7EXAMPLF\n"
      "[c]\naws_access_key_id=ASIAIOSFODNN7EXAMPLE\naws_secret_access_key=t3mpt3mpt3mpt3mp\n"));
  Output out;
  RaiseAwsCredentialFindings(profiles, "/root/.aws/credentials", "root", "test",
                             {kLong, kTemp, kOther}, out);
  ASSERT_EQ(out.findings().size(), 3u);
  EXPECT_EQ(out.findings()[0].rule_id, "t.long");
  EXPECT_EQ(out.findings()[0].severity, Severity::kCritical);
  EXPECT_EQ(out.findings()[0].line, 3u);
  EXPECT_EQ(out.findings()[1].severity, Severity::kLow);  // key id without its secret
  EXPECT_EQ(out.findings()[2].rule_id, "t.temp");
  for (const auto& f : out.findings()) {
    EXPECT_EQ(f.evidence.find("s3cr3t"), std::string::npos);
    EXPECT_EQ(f.evidence.find("t3mpt3mp"), std::string::npos);
    EXPECT_EQ(f.user, "root");
  }
}

std::string FixtureText(std::string_view name) {
  std::ifstream in(std::string(IMAGEPROBE_FIXTURES_DIR) + "/formats/.aws/" + std::string(name),
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A real credentials file as Notepad leaves it (tests/fixtures/formats/.aws/credentials): UTF-8
// byte order mark, CRLF, ";" and "#" comments, spaces around "=" or none, and a key pasted twice.
TEST(ExtractAwsCredentials, CredentialsFileAsTheGoSdkReadsIt) {
  parse::IniFile ini = parse::ParseIni(FixtureText("credentials"));
  EXPECT_TRUE(ini.problems.empty()) << ini.problems.front().message;
  auto profiles = ExtractAwsCredentials(ini);
  ASSERT_EQ(profiles.size(), 2u);
  // The byte order mark does not hide the first header: the profile keeps its name.
  EXPECT_EQ(profiles[0].profile, "default");
  EXPECT_EQ(profiles[0].key_kind, AwsKeyKind::kLongTerm);
  EXPECT_EQ(profiles[0].secret_access_key_length, 40u);
  // A key given twice: the AWS SDK for Go keeps the last value, so the report shows that one.
  EXPECT_EQ(profiles[1].profile, "rotated");
  EXPECT_EQ(profiles[1].key_kind, AwsKeyKind::kTemporary);
  EXPECT_EQ(profiles[1].access_key_id, "ASIA…MPLE");
  EXPECT_EQ(profiles[1].secret_access_key_length, 40u);
  EXPECT_EQ(profiles[1].secret_line, 11u);
  EXPECT_TRUE(profiles[1].session_token_present);

  parse::IniFile config = parse::ParseIni(FixtureText("config"));
  ASSERT_EQ(config.sections.size(), 2u);
  EXPECT_EQ(config.sections[1].name, "profile  build");  // trimmed inside the brackets
  EXPECT_EQ(config.sections[1].Find("role_arn")->value, "arn:aws:iam::123456789012:role/build");
}

}  // namespace
}  // namespace imageprobe::probes
