// SPDX-License-Identifier: Apache-2.0
#include "probes/cloudinit/secret_hints.h"

#include <gtest/gtest.h>

namespace imageprobe::probes {
namespace {

using namespace std::string_literals;

const SecretHint* Find(const std::vector<SecretHint>& hints, std::string_view kind) {
  for (const auto& hint : hints) {
    if (hint.kind == kind) return &hint;
  }
  return nullptr;
}

TEST(FindSecretHints, RecognisesKindsAndRedacts) {
  std::string text =
      "#cloud-config\r\n"
      "aws_access_key_id = AKIAABCDEFGHIJKLMNOP\r\n"
      "aws_secret_access_key: abcdefghijABCDEFGHIJ0123456789/+abcdefgh\r\n"
      "other: ASIAQRSTUVWXYZ234567\n"
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
      "  \"password\": \"s3cretValue!\",\n"
      "GITHUB_TOKEN=ghp_abcdefghijklmnop0123\n";
  auto hints = FindSecretHints(text);
  const SecretHint* key_id = Find(hints, "aws_access_key_id");
  ASSERT_NE(key_id, nullptr);
  EXPECT_EQ(key_id->count, 2u);
  EXPECT_EQ(key_id->first_line, 2u);
  EXPECT_EQ(key_id->redacted, "AKIA…MNOP");
  ASSERT_NE(Find(hints, "aws_secret_access_key"), nullptr);
  EXPECT_EQ(Find(hints, "aws_secret_access_key")->redacted, "abcd…efgh");
  ASSERT_NE(Find(hints, "private_key"), nullptr);
  EXPECT_EQ(Find(hints, "private_key")->redacted, "OPENSSH PRIVATE KEY");
  ASSERT_NE(Find(hints, "password"), nullptr);
  EXPECT_EQ(Find(hints, "password")->first_line, 7u);
  EXPECT_EQ(Find(hints, "password")->redacted.find("s3cretValue"), std::string::npos);
  ASSERT_NE(Find(hints, "token"), nullptr);
  for (const auto& hint : hints) {
    EXPECT_EQ(hint.redacted.find("abcdefghijABCDEFGHIJ"), std::string::npos);
  }
}

TEST(FindSecretHints, SettingsAreNotSecrets) {
  auto hints = FindSecretHints(
      "lock_passwd: true\nssh_pwauth: false\nhashed_passwd: '!'\n"
      "users: [default]\nAKIA123\n"
      "sudo: ['ALL=(ALL) NOPASSWD:ALL']\nsudo: ALL=(ALL) PASSWD: ALL\n"
      "sudo: ALL=(root) PASSWD:/usr/bin/systemctl\n");
  EXPECT_TRUE(hints.empty()) << hints[0].kind;
}

TEST(FindSecretHints, BinaryAndNulInput) {
  std::string pickle = "\x80\x04\x95\0\0AKIAABCDEFGHIJKLMNOP\0\xff\xfe password\0"s;
  auto hints = FindSecretHints(pickle);
  ASSERT_NE(Find(hints, "aws_access_key_id"), nullptr);
  EXPECT_NO_THROW(FindSecretHints(std::string(1 << 20, '\xff')));
  EXPECT_TRUE(FindSecretHints("").empty());
}

}  // namespace
}  // namespace imageprobe::probes
