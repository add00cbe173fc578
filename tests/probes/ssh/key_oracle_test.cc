// SPDX-License-Identifier: Apache-2.0
// Oracle: every fingerprint, size and type label imageprobe computes must equal what
// `ssh-keygen -lf` prints for the same file. Keys are generated at test time; security-key
// blobs (which need hardware to generate) are built by hand and checked the same way.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "probes/ssh/authorized_keys.h"
#include "probes/ssh/wire.h"
#include "scanner/parse/text.h"
#include "tests/support/run_command.h"

namespace imageprobe::probes::ssh {
namespace {

using testing::RunCommand;
using testing::ScratchDir;
using testing::ShellQuote;

struct KeygenLine {
  uint32_t bits = 0;
  std::string fingerprint;
  std::string comment;
  std::string label;
};

// "256 SHA256:abc comment words (ED25519)" per line.
std::vector<KeygenLine> KeygenFingerprints(const std::filesystem::path& file) {
  auto result =
      RunCommand("ssh-keygen -E sha256 -lf " + ShellQuote(file.string()) + " 2>/dev/null");
  std::vector<KeygenLine> lines;
  parse::ForEachLine(result.output, [&](std::string_view line, uint32_t) {
    KeygenLine out;
    size_t sp1 = line.find(' ');
    size_t sp2 = line.find(' ', sp1 + 1);
    size_t open = line.rfind(" (");
    if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || open < sp2) return;
    out.bits = static_cast<uint32_t>(std::stoul(std::string(line.substr(0, sp1))));
    out.fingerprint = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
    out.comment = std::string(line.substr(sp2 + 1, open - sp2 - 1));
    out.label = std::string(line.substr(open + 2, line.size() - open - 3));
    lines.push_back(out);
  });
  return lines;
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteAll(const std::filesystem::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

bool HaveKeygen() { return RunCommand("command -v ssh-keygen >/dev/null").exit_code == 0; }

std::filesystem::path Generate(const ScratchDir& dir, const std::string& name,
                               const std::string& type, int bits) {
  auto path = dir.path() / name;
  std::string cmd = "ssh-keygen -q -N '' -t " + type + (bits ? " -b " + std::to_string(bits) : "") +
                    " -C " + ShellQuote(name + "@oracle") + " -f " + ShellQuote(path.string()) +
                    " </dev/null >/dev/null 2>&1";
  if (RunCommand(cmd).exit_code != 0) return {};
  return path;
}

void ExpectMatchesKeygen(const std::filesystem::path& pub) {
  SCOPED_TRACE(pub.string());
  auto expected = KeygenFingerprints(pub);
  ASSERT_EQ(expected.size(), 1u) << "ssh-keygen could not read " << pub;
  auto parsed = ParseAuthorizedKeys(ReadAll(pub));
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems[0].message;
  ASSERT_EQ(parsed.keys.size(), 1u);
  const auto& key = parsed.keys[0];
  EXPECT_EQ(key.key.fingerprint, expected[0].fingerprint);
  EXPECT_EQ(key.key.bits, expected[0].bits);
  EXPECT_EQ(key.key.label(), expected[0].label);
  EXPECT_EQ(key.comment, expected[0].comment);
}

TEST(KeyOracle, GeneratedKeysMatchSshKeygen) {
  if (!HaveKeygen()) GTEST_SKIP() << "ssh-keygen not installed";
  ScratchDir dir;
  struct Spec {
    const char* name;
    const char* type;
    int bits;
  };
  const Spec specs[] = {{"rsa1024", "rsa", 1024},   {"rsa2048", "rsa", 2048},
                        {"rsa4096", "rsa", 4096},   {"ecdsa256", "ecdsa", 256},
                        {"ecdsa384", "ecdsa", 384}, {"ecdsa521", "ecdsa", 521},
                        {"ed25519", "ed25519", 0}};
  for (const auto& spec : specs) {
    auto key = Generate(dir, spec.name, spec.type, spec.bits);
    ASSERT_FALSE(key.empty()) << "ssh-keygen failed for " << spec.name;
    ExpectMatchesKeygen(key.string() + ".pub");
  }
}

TEST(KeyOracle, DsaWhereSshKeygenStillMakesIt) {
  if (!HaveKeygen()) GTEST_SKIP() << "ssh-keygen not installed";
  ScratchDir dir;
  auto key = Generate(dir, "dsa", "dsa", 1024);
  if (key.empty()) GTEST_SKIP() << "this ssh-keygen no longer generates DSA keys";
  ExpectMatchesKeygen(key.string() + ".pub");
}

TEST(KeyOracle, CertificateFingerprintIsThePlainKeys) {
  if (!HaveKeygen()) GTEST_SKIP() << "ssh-keygen not installed";
  ScratchDir dir;
  auto ca = Generate(dir, "ca", "ed25519", 0);
  for (auto [name, type, bits] :
       {std::tuple{"user_ed", "ed25519", 0}, std::tuple{"user_rsa", "rsa", 2048},
        std::tuple{"user_ec", "ecdsa", 384}}) {
    auto user = Generate(dir, name, type, bits);
    ASSERT_FALSE(user.empty());
    std::string sign = "ssh-keygen -q -s " + ShellQuote(ca.string()) +
                       " -I deploy-id -n alice,bob -z 42 -V +52w " +
                       ShellQuote(user.string() + ".pub") + " >/dev/null 2>&1";
    ASSERT_EQ(RunCommand(sign).exit_code, 0);
    auto cert = user.string() + "-cert.pub";
    ExpectMatchesKeygen(cert);
    auto parsed = ParseAuthorizedKeys(ReadAll(cert));
    ASSERT_EQ(parsed.keys.size(), 1u);
    const auto& key = parsed.keys[0].key;
    ASSERT_TRUE(key.certificate.has_value());
    EXPECT_EQ(key.certificate->key_id, "deploy-id");
    EXPECT_EQ(key.certificate->serial, 42u);
    EXPECT_EQ(key.certificate->type, "user");
    EXPECT_EQ(key.certificate->principals, (std::vector<std::string>{"alice", "bob"}));
    EXPECT_EQ(key.certificate->ca_fingerprint,
              KeygenFingerprints(ca.string() + ".pub")[0].fingerprint);
    // The plain key's fingerprint, as ssh-keygen prints for the .pub it was made from.
    EXPECT_EQ(key.fingerprint, KeygenFingerprints(user.string() + ".pub")[0].fingerprint);
  }
}

std::string WireString(std::string_view s) {
  std::string out;
  uint32_t n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  return out + std::string(s);
}

TEST(KeyOracle, HandBuiltSecurityKeyBlobs) {
  if (!HaveKeygen()) GTEST_SKIP() << "ssh-keygen not installed";
  ScratchDir dir;
  // A real P-256 point, taken from a generated ECDSA key.
  auto ec = Generate(dir, "ec", "ecdsa", 256);
  auto ec_line = ParseAuthorizedKeys(ReadAll(ec.string() + ".pub"));
  ASSERT_EQ(ec_line.keys.size(), 1u);
  WireReader r(ec_line.keys[0].key.plain_blob);
  std::string_view name, curve, point;
  ASSERT_TRUE(r.ReadString(name) && r.ReadString(curve) && r.ReadString(point));

  std::string sk_ecdsa = WireString("sk-ecdsa-sha2-nistp256@openssh.com") + WireString("nistp256") +
                         WireString(point) + WireString("ssh:");
  std::string pk(32, '\0');
  for (int i = 0; i < 32; ++i) pk[i] = static_cast<char>(i * 7 + 3);
  std::string sk_ed =
      WireString("sk-ssh-ed25519@openssh.com") + WireString(pk) + WireString("ssh:imageprobe");
  WriteAll(dir.path() / "sk_ecdsa.pub",
           "sk-ecdsa-sha2-nistp256@openssh.com " + EncodeBase64(sk_ecdsa) + " yubi@desk\n");
  WriteAll(dir.path() / "sk_ed.pub",
           "sk-ssh-ed25519@openssh.com " + EncodeBase64(sk_ed) + " solo@desk\n");
  ExpectMatchesKeygen(dir.path() / "sk_ecdsa.pub");
  ExpectMatchesKeygen(dir.path() / "sk_ed.pub");
  auto parsed = ParseAuthorizedKeys(ReadAll(dir.path() / "sk_ed.pub"));
  EXPECT_EQ(parsed.keys.at(0).key.application, "ssh:imageprobe");
}

// A whole authorized_keys file with options, aliases, CRLF and junk: ssh-keygen -lf reads it
// with the same sshkey_read/advance-past-options logic sshd uses; both must agree line by line.
TEST(KeyOracle, AuthorizedKeysFileWithOptionsMatchesSshKeygen) {
  if (!HaveKeygen()) GTEST_SKIP() << "ssh-keygen not installed";
  ScratchDir dir;
  auto ed = Generate(dir, "ed", "ed25519", 0);
  auto rsa = Generate(dir, "rsa", "rsa", 2048);
  std::string ed_pub = ReadAll(ed.string() + ".pub"), rsa_pub = ReadAll(rsa.string() + ".pub");
  auto ed_fields = parse::SplitWhitespace(ed_pub);
  auto rsa_fields = parse::SplitWhitespace(rsa_pub);
  std::string ed_blob(ed_fields[1]), rsa_blob(rsa_fields[1]);
  ed_blob = std::string(parse::TrimWhitespace(ed_blob));
  rsa_blob = std::string(parse::TrimWhitespace(rsa_blob));
  std::string file =
      "# comment\n"
      "\n"
      "ssh-ed25519 " +
      ed_blob +
      " plain comment with  spaces\n"
      "restrict,command=\"echo \\\"hi there\\\"; exit\" ssh-ed25519 " +
      ed_blob +
      " quoted\r\n"
      "   from=\"10.0.0.0/8,host name\",no-pty ssh-rsa " +
      rsa_blob +
      " from-line\n"
      "rsa-sha2-512 " +
      rsa_blob +
      " alias-type\n"
      "RSA " +
      rsa_blob +
      " short-name-is-refused\n"
      "ssh-ed25519 " +
      rsa_blob +
      " type-mismatch\n"
      "ssh-rsa AAAA!!notbase64 bad\n"
      "command=\"unterminated ssh-ed25519 " +
      ed_blob +
      " never\n"
      "ssh-ed25519 " +
      ed_blob + "\n";
  auto path = dir.path() / "authorized_keys";
  WriteAll(path, file);
  auto expected = KeygenFingerprints(path);
  auto parsed = ParseAuthorizedKeys(file);
  ASSERT_EQ(parsed.keys.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(parsed.keys[i].key.fingerprint, expected[i].fingerprint);
    EXPECT_EQ(parsed.keys[i].key.bits, expected[i].bits);
    EXPECT_EQ(parsed.keys[i].key.label(), expected[i].label);
    // ssh-keygen prints what follows the blob, CR included (we drop a line-ending CR), and for
    // a line with no comment it prints the line itself.
    std::string keygen_comment = expected[i].comment;
    if (!keygen_comment.empty() && keygen_comment.back() == '\r') keygen_comment.pop_back();
    if (parsed.keys[i].comment.empty()) {
      EXPECT_NE(file.find("\n" + keygen_comment + "\n"), std::string::npos) << keygen_comment;
    } else {
      EXPECT_EQ(parsed.keys[i].comment, keygen_comment);
    }
  }
  EXPECT_EQ(parsed.keys.size(), 5u);
  EXPECT_EQ(parsed.problems.size(), 4u);
}

}  // namespace
}  // namespace imageprobe::probes::ssh
