// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/json_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace imageprobe::parse {
namespace {

std::string Error(std::string_view text, int depth = kJsonDefaultMaxDepth) {
  auto doc = ReadJson(text, depth);
  return doc ? std::string("(parsed)") : doc.error().Message();
}

TEST(ReadJson, NumbersBeyondDoubleAndInt64AreKeptAsText) {
  auto doc =
      ReadJson(R"({"ManagedInstanceID":"mi-0123456789abcdef0","Region":"eu-north-1","Ts":1e400})");
  ASSERT_TRUE(doc) << doc.error().Message();
  EXPECT_EQ((*doc)["ManagedInstanceID"], "mi-0123456789abcdef0");
  EXPECT_FALSE((*doc)["Ts"].is_number());
  EXPECT_FALSE((*doc)["Ts"].is_string());
  EXPECT_EQ(JsonBigNumber((*doc)["Ts"]), "1e400");
  auto big =
      ReadJson("[91e11111111, -1e-400, 123456789012345678901234567890, -9223372036854775809]");
  ASSERT_TRUE(big);
  EXPECT_EQ(JsonBigNumber((*big)[0]), "91e11111111");
  EXPECT_EQ(JsonBigNumber((*big)[1]), "-1e-400");
  EXPECT_EQ(JsonBigNumber((*big)[2]), "123456789012345678901234567890");
  EXPECT_EQ(JsonBigNumber((*big)[3]), "-9223372036854775809");
  auto fits = ReadJson("[18446744073709551615, -9223372036854775808, 1.5e300, 0, -0, 1E+2]");
  ASSERT_TRUE(fits);
  EXPECT_TRUE((*fits)[0].is_number_unsigned());
  EXPECT_EQ((*fits)[1].get<int64_t>(), INT64_MIN);
  EXPECT_DOUBLE_EQ((*fits)[2].get<double>(), 1.5e300);
  EXPECT_EQ((*fits)[5].get<double>(), 100.0);
  EXPECT_FALSE(JsonBigNumber((*fits)[0]));
}

TEST(ReadJson, ByteOrderMarkDuplicateKeysAndScalarDocuments) {
  auto bom = ReadJson("\xEF\xBB\xBF{\"a\":1}");
  ASSERT_TRUE(bom);
  EXPECT_EQ((*bom)["a"], 1);
  auto dup = ReadJson(R"({"Region":"us-east-1","Region":"eu-north-1"})");  // Go: last wins
  ASSERT_TRUE(dup);
  EXPECT_EQ((*dup)["Region"], "eu-north-1");
  EXPECT_EQ(*ReadJson(" \"x\" "), "x");
  EXPECT_EQ(*ReadJson("null"), nullptr);
}

TEST(ReadJson, StringsAreAlwaysUtf8) {
  // A lone surrogate and a byte that is not UTF-8 become U+FFFD (Go's encoding/json).
  auto doc = ReadJson(
      "[\"\\ud800x\", \"a\xff"
      "b\", \"\\ud83d\\ude00\", \"\xc3\xa9\", \"\\u00e9\\n\"]");
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)[0], "\xEF\xBF\xBDx");
  EXPECT_EQ((*doc)[1],
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ((*doc)[2], "\xF0\x9F\x98\x80");
  EXPECT_EQ((*doc)[3], "\xc3\xa9");
  EXPECT_EQ((*doc)[4], "\xc3\xa9\n");
  EXPECT_NO_THROW((void)doc->dump());
}

TEST(ReadJson, NestingWithinTheLimit) {
  std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(ReadJson(ok));
  std::string deep = std::string(65, '[') + std::string(65, ']');
  EXPECT_EQ(Error(deep), "invalid JSON at line 1, column 65: nested deeper than 64 levels");
  EXPECT_FALSE(ReadJson(std::string(1000000, '[')));
}

TEST(ReadJson, ErrorsInOurWordsWithLineAndColumn) {
  EXPECT_EQ(Error(""),
            "invalid JSON at line 1, column 1: no value (the file is empty or only whitespace)");
  EXPECT_EQ(Error("{\"version\": 1,\n  \"users\": }"),
            "invalid JSON at line 2, column 12: expected a value");
  EXPECT_EQ(Error("{\"a\": \"secret"), "invalid JSON at line 1, column 7: unterminated string");
  EXPECT_EQ(Error("{\"a\" 1}"), "invalid JSON at line 1, column 6: expected ':'");
  EXPECT_EQ(Error("[1 2]"), "invalid JSON at line 1, column 4: expected ',' or ']'");
  EXPECT_EQ(Error("{} x"), "invalid JSON at line 1, column 4: more data after the value");
  EXPECT_EQ(Error("[01]"),
            "invalid JSON at line 1, column 3: a number cannot start with 0 followed by a digit");
  EXPECT_EQ(Error("[1.]"), "invalid JSON at line 1, column 4: a number needs a digit after '.'");
  EXPECT_EQ(Error("[\"a\tb\"]"),
            "invalid JSON at line 1, column 4: control character in a string (must be escaped)");
  EXPECT_EQ(Error("[\"\\x\"]"), "invalid JSON at line 1, column 4: unknown escape in a string");
  EXPECT_EQ(Error("{,}"),
            "invalid JSON at line 1, column 2: expected a member name in double quotes");
  EXPECT_EQ(Error("[tru]"), "invalid JSON at line 1, column 2: expected a value");
  EXPECT_EQ(Error("{\"k\":1,"), "invalid JSON at line 1, column 8: unterminated object");
  EXPECT_EQ(Error(std::string("{\"a\":1}\0", 8)),
            "invalid JSON at line 1, column 8: more data after the value");
  // RFC 8259 has no comments, no trailing commas, no single quotes, no NaN.
  EXPECT_FALSE(ReadJson("[1,]"));
  EXPECT_FALSE(ReadJson("{'a':1}"));
  EXPECT_FALSE(ReadJson("[NaN]"));
  EXPECT_FALSE(ReadJson("// x\n{}"));
}

TEST(JsonAccessErrorInOurWords, DropsTheLibraryPrefix) {
  nlohmann::json j = {{"a", 1}};
  try {
    (void)j.at("kind");
    FAIL();
  } catch (const nlohmann::json::exception& e) {
    EXPECT_EQ(JsonAccessErrorInOurWords(e), "member \"kind\" is missing");
  }
  try {
    (void)j.at("a").get<std::string>();
    FAIL();
  } catch (const nlohmann::json::exception& e) {
    EXPECT_EQ(JsonAccessErrorInOurWords(e), "expected a string, found a number");
  }
}

}  // namespace
}  // namespace imageprobe::parse
