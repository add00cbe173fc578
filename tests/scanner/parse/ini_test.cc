// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/ini.h"

#include <gtest/gtest.h>

namespace imageprobe::parse {
namespace {

using namespace std::string_literals;

TEST(ParseIni, SectionsKeysCommentsAndCrlf) {
  parse::IniFile ini = parse::ParseIni(
      "# comment\r\n"
      "[default]\r\n"
      "aws_access_key_id = AKIAEXAMPLE\r\n"
      "; another comment\r\n"
      "region=eu-west-1\r\n"
      "\r\n"
      "[profile prod]  # trailing comment\n"
      "role_arn : arn:aws:iam::123:role/x\n");
  ASSERT_EQ(ini.sections.size(), 2u);
  EXPECT_EQ(ini.sections[0].name, "default");
  EXPECT_EQ(ini.sections[0].line, 2u);
  ASSERT_EQ(ini.sections[0].entries.size(), 2u);
  EXPECT_EQ(ini.sections[0].entries[0].value, "AKIAEXAMPLE");  // CR stripped
  EXPECT_EQ(ini.sections[0].entries[1].line, 5u);
  EXPECT_EQ(ini.sections[1].name, "profile prod");
  EXPECT_EQ(ini.sections[1].Find("ROLE_ARN")->value, "arn:aws:iam::123:role/x");
  EXPECT_TRUE(ini.problems.empty());
}

TEST(ParseIni, NestedSubKeysAndKeysBeforeAnyHeader) {
  parse::IniFile ini = parse::ParseIni(
      "orphan = 1\n"
      "[default]\n"
      "s3 =\n"
      "  max_concurrent_requests = 20\n"
      "\tmax_queue_size = 1000\n"
      "region = us-east-1\n");
  ASSERT_EQ(ini.sections.size(), 2u);
  EXPECT_EQ(ini.sections[0].name, "");
  EXPECT_EQ(ini.sections[0].entries[0].key, "orphan");
  const auto& entries = ini.sections[1].entries;
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[1].key, "s3.max_concurrent_requests");
  EXPECT_EQ(entries[2].key, "s3.max_queue_size");
  EXPECT_EQ(entries[3].key, "region");
}

TEST(ParseIni, MalformedLinesBecomeProblemsWithNumbers) {
  parse::IniFile ini = parse::ParseIni("[unterminated\njust words\n= no key\n[ok]\nk = v\n");
  ASSERT_EQ(ini.problems.size(), 3u);
  EXPECT_EQ(ini.problems[0].line, 1u);
  EXPECT_EQ(ini.problems[1].line, 2u);
  EXPECT_EQ(ini.problems[2].line, 3u);
  ASSERT_EQ(ini.sections.size(), 1u);
  EXPECT_EQ(ini.sections[0].Find("k")->value, "v");
}

TEST(ParseIni, SurvivesNulBytesBinaryJunkAndHugeLines) {
  std::string text = "[a\0b]\nkey\0 = va\0lue\n\xff\xfe\x00\x01\n"s;
  text += "[big]\nk = " + std::string(4 << 20, 'x') + "\n";
  text += std::string(1 << 20, '\xc3');  // invalid UTF-8, no newline at the end
  parse::IniFile ini = parse::ParseIni(text);
  ASSERT_GE(ini.sections.size(), 2u);
  EXPECT_EQ(ini.sections[0].name, "a\0b"s);
  EXPECT_EQ(ini.sections[0].entries[0].value, "va\0lue"s);
  EXPECT_EQ(ini.sections[1].entries[0].value.size(), 4u << 20);
  EXPECT_EQ(ini.problems.size(), 2u);  // the junk line and the final invalid line
}

TEST(UnquoteIniValue, TomlStringsAndComments) {
  EXPECT_EQ(parse::UnquoteIniValue("\"/etc/creds\" # on-prem"), "/etc/creds");
  EXPECT_EQ(parse::UnquoteIniValue("'C:\\path'"), "C:\\path");
  EXPECT_EQ(parse::UnquoteIniValue(R"("a \"b\" \\ c")"), R"(a "b" \ c)");
  EXPECT_EQ(parse::UnquoteIniValue("bare value # comment"), "bare value");
  EXPECT_EQ(parse::UnquoteIniValue(""), "");
  EXPECT_EQ(parse::UnquoteIniValue("\"unterminated"), std::nullopt);
  EXPECT_EQ(parse::UnquoteIniValue("\"ends with backslash\\"), std::nullopt);
}

TEST(ParseIni, ByteOrderMarkSkippedAndTheLastDuplicateKeyWins) {
  parse::IniFile ini = parse::ParseIni("\xef\xbb\xbf[default]\nk = first\nK = last\n");
  EXPECT_TRUE(ini.problems.empty());
  ASSERT_EQ(ini.sections.size(), 1u);
  EXPECT_EQ(ini.sections[0].name, "default");
  // The AWS SDK for Go and go-ini keep the last value of a key given twice.
  EXPECT_EQ(ini.sections[0].Find("k")->value, "last");
  EXPECT_EQ(ini.sections[0].entries.size(), 2u);  // both lines stay visible
  // Only a leading mark is one; elsewhere the bytes are text.
  EXPECT_EQ(parse::ParseIni("[a]\n\xef\xbb\xbfk = v\n").sections[0].entries[0].key,
            "\xef\xbb\xbfk");
}

}  // namespace
}  // namespace imageprobe::parse
