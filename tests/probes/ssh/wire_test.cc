// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/wire.h"

#include <gtest/gtest.h>

#include "probes/ssh/public_key.h"

namespace imageprobe::probes::ssh {
namespace {

using namespace std::string_literals;

TEST(DecodeBase64, FollowsBPton) {
  EXPECT_EQ(DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64("aGVs bG8=\r\n"), "hello");  // whitespace anywhere is skipped
  EXPECT_EQ(DecodeBase64("aGVsbA=="), "hell");
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("aGVsbG8"));     // no padding: partial quantum refused
  EXPECT_FALSE(DecodeBase64("aGVsbG9="));    // unused bits not zero
  EXPECT_FALSE(DecodeBase64("aGVsbA="));     // one '=' where two are needed
  EXPECT_FALSE(DecodeBase64("aGVsbG8=x"));   // data after padding
  EXPECT_FALSE(DecodeBase64("a==="));        // '=' too early
  EXPECT_FALSE(DecodeBase64("aGV!bG8="));    // not base64
  EXPECT_FALSE(DecodeBase64("aGV\0bG8="s));  // NUL is not base64
  EXPECT_FALSE(DecodeBase64("\xff\xfe\x80\x81"));
}

TEST(EncodeBase64, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(DecodeBase64(EncodeBase64(bytes)), bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
}

TEST(WireReader, NeverReadsPastTheEnd) {
  std::string data = "\x00\x00\x00\x05hello\xff\xff\xff\xff"s;
  WireReader r(data);
  std::string_view s;
  ASSERT_TRUE(r.ReadString(s));
  EXPECT_EQ(s, "hello");
  EXPECT_FALSE(r.ReadString(s));  // claims 4 GiB
  uint32_t v = 0;
  EXPECT_TRUE(r.ReadU32(v));  // the failed read consumed nothing
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_TRUE(r.empty());
  uint64_t w;
  EXPECT_FALSE(r.ReadU64(w));
}

TEST(WireReader, MpintRules) {
  std::string negative = "\x00\x00\x00\x01\x80"s;
  std::string_view m;
  WireReader neg(negative);
  EXPECT_FALSE(neg.ReadMpint(m));
  std::string padded = "\x00\x00\x00\x03\x00\x00\x81"s;  // non-minimal but accepted, stripped
  WireReader pad(padded);
  ASSERT_TRUE(pad.ReadMpint(m));
  EXPECT_EQ(m, "\x81");
  EXPECT_EQ(BitLength(m), 8u);
  EXPECT_EQ(BitLength("\x01\x00"s), 9u);
  EXPECT_EQ(BitLength(""), 0u);
}

TEST(Sha256Fingerprint, KnownVector) {
  // SHA-256("") in unpadded base64.
  EXPECT_EQ(Sha256Fingerprint(""), "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
}

TEST(DecodePublicKeyBlob, RefusesHostileBlobs) {
  EXPECT_FALSE(DecodePublicKeyBlob(""));
  EXPECT_FALSE(DecodePublicKeyBlob("\x00\x00\x00\x07ssh-foo"s));
  // Ed25519 with a 31-byte key.
  std::string short_ed = "\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x1f"s + std::string(31, 'k');
  EXPECT_FALSE(DecodePublicKeyBlob(short_ed));
  std::string ok_ed = "\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20"s + std::string(32, 'k');
  EXPECT_TRUE(DecodePublicKeyBlob(ok_ed));
  EXPECT_FALSE(DecodePublicKeyBlob(ok_ed + "x"));  // trailing byte
  // ECDSA whose point is not on the curve.
  std::string bad_point =
      "\x00\x00\x00\x13"
      "ecdsa-sha2-nistp256\x00\x00\x00\x08nistp256\x00\x00\x00\x41\x04"s +
      std::string(64, '\x01');
  auto ec = DecodePublicKeyBlob(bad_point);
  ASSERT_FALSE(ec);
  EXPECT_NE(ec.error().find("not on its curve"), std::string::npos);
  // RSA with a 512-bit modulus: OpenSSH refuses keys under 1024 bits.
  std::string small_rsa =
      "\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x01\x03\x00\x00\x00\x41\x00"s + std::string(64, '\xc1');
  auto rsa = DecodePublicKeyBlob(small_rsa);
  ASSERT_FALSE(rsa);
  EXPECT_NE(rsa.error().find("512 bits"), std::string::npos);
  // A certificate cut short after its nonce.
  std::string cert = "\x00\x00\x00\x1cssh-ed25519-cert-v01@openssh.com\x00\x00\x00\x01n"s;
  EXPECT_FALSE(DecodePublicKeyBlob(cert));
}

}  // namespace
}  // namespace imageprobe::probes::ssh
