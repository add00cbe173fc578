// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/shadow.h"

#include <gtest/gtest.h>

namespace imageprobe::parse {
namespace {

using namespace std::string_literals;

TEST(ClassifyPasswordField, StatesAndSchemes) {
  struct Case {
    std::string_view field;
    PasswordState state;
    std::string_view scheme;
  };
  const Case cases[] = {
      {"", PasswordState::kEmpty, ""},
      {"!", PasswordState::kLocked, ""},
      {"!!", PasswordState::kLocked, ""},
      {"*", PasswordState::kLocked, ""},
      {"!$6$salt$hash", PasswordState::kLocked, "sha512crypt"},
      {"!*", PasswordState::kLocked, ""},
      {"$6$rounds=5000$salt$abcdefgh", PasswordState::kUsable, "sha512crypt"},
      {"$y$j9T$salt$hash", PasswordState::kUsable, "yescrypt"},
      {"$5$salt$hash", PasswordState::kUsable, "sha256crypt"},
      {"$2b$12$abcdefghijklmnopqrstuv", PasswordState::kUsable, "bcrypt"},
      {"$1$salt$hash", PasswordState::kUsable, "md5crypt"},
      {"$gy$j9T$salt$hash", PasswordState::kUsable, "gost-yescrypt"},
      {"abCD12./xyZ90", PasswordState::kUsable, "descrypt"},
      {"x", PasswordState::kInvalid, ""},
      {"$6$", PasswordState::kInvalid, ""},
      {"\x01\xff junk", PasswordState::kInvalid, ""},
  };
  for (const auto& c : cases) {
    auto info = ClassifyPasswordField(c.field);
    EXPECT_EQ(info.state, c.state) << c.field;
    EXPECT_EQ(info.scheme, c.scheme) << c.field;
  }
}

TEST(ParseShadow, KeepsStateNeverTheHashAndReportsBadLines) {
  auto parsed = ParseShadow(
      "root:!:19000:0:99999:7:::\r\n"
      "alice:$6$salt$secrethashvalue:19000:0:99999:7::20000:\n"
      "\n"
      "broken\n"
      "\0\xff:x\n"s
      "bob::19000::::::\n");
  ASSERT_EQ(parsed.entries.size(), 4u);
  EXPECT_EQ(parsed.entries[0].password.state, PasswordState::kLocked);
  EXPECT_EQ(parsed.entries[1].password.state, PasswordState::kUsable);
  EXPECT_EQ(parsed.entries[1].expire_days, 20000);
  EXPECT_EQ(parsed.entries[3].name, "bob");
  EXPECT_EQ(parsed.entries[3].password.state, PasswordState::kEmpty);
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].line, 4u);
}

}  // namespace
}  // namespace imageprobe::parse
