// SPDX-License-Identifier: Apache-2.0
// Private key classification checked on keys ssh-keygen writes in each format (OpenSSH, PEM,
// PKCS#8; with and without a passphrase), then the ssh.keys probe on a MemoryFs tree.
#include "probes/ssh/keys_probe.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "probes/ssh/known_hosts.h"
#include "probes/ssh/private_key.h"
#include "tests/probes/ssh/test_keys.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"
#include "tests/support/run_command.h"

namespace imageprobe::probes::ssh {
namespace {

using testing::MemoryFs;
using testing::RunCommand;
using testing::ShellQuote;

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Generated {
  std::string private_text;
  std::string public_text;
  std::string fingerprint;
};

// ssh-keygen -t TYPE [-m FORMAT] [-N passphrase]; empty private_text when it failed.
Generated Keygen(const testing::ScratchDir& dir, const std::string& name, const std::string& type,
                 const std::string& format, const std::string& passphrase) {
  auto path = dir.path() / name;
  std::string cmd = "ssh-keygen -q -t " + type + (type == "rsa" ? " -b 2048" : "") +
                    (format.empty() ? "" : " -m " + format) + " -N " + ShellQuote(passphrase) +
                    " -C k -f " + ShellQuote(path.string()) + " </dev/null >/dev/null 2>&1";
  if (RunCommand(cmd).exit_code != 0) return {};
  auto fp = RunCommand("ssh-keygen -lf " + ShellQuote(path.string() + ".pub")).output;
  return {ReadAll(path), ReadAll(path.string() + ".pub"), fp.substr(fp.find(' ') + 1, 50)};
}

TEST(ClassifyPrivateKey, FormatsAndPassphrasesAsSshKeygenWritesThem) {
  if (RunCommand("command -v ssh-keygen >/dev/null").exit_code != 0) GTEST_SKIP();
  testing::ScratchDir dir;
  struct Case {
    std::string type, format, passphrase, expect_format, expect_cipher;
    bool encrypted;
  };
  const Case cases[] = {
      {"ed25519", "", "", "openssh", "none", false},
      {"ed25519", "", "s3cret", "openssh", "aes256-ctr", true},
      {"rsa", "PEM", "", "pem-rsa", "none", false},
      {"rsa", "PEM", "s3cret", "pem-rsa", "AES-128-CBC", true},
      {"ecdsa", "PEM", "", "pem-ec", "none", false},
      {"rsa", "PKCS8", "", "pkcs8", "none", false},
      {"rsa", "PKCS8", "s3cret", "pkcs8", "", true},
  };
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.type + "/" + c.format + "/" + (c.encrypted ? "encrypted" : "plain"));
    auto key = Keygen(dir, "k" + std::to_string(n++), c.type, c.format, c.passphrase);
    ASSERT_FALSE(key.private_text.empty());
    auto info = ClassifyPrivateKey(key.private_text);
    ASSERT_TRUE(info.has_value());
    ASSERT_TRUE(info->has_value()) << info->error();
    EXPECT_EQ((*info)->format, c.expect_format);
    EXPECT_EQ((*info)->encrypted, c.encrypted);
    EXPECT_EQ((*info)->cipher, c.expect_cipher);
    if (c.expect_format == "openssh") {
      // The container's clear public key gives the same fingerprint as the .pub.
      EXPECT_EQ((*info)->fingerprint, key.fingerprint.substr(0, key.fingerprint.find(' ')));
      EXPECT_EQ((*info)->kdf, c.encrypted ? "bcrypt" : "none");
    }
  }
  // A public key, a truncated container and junk.
  EXPECT_FALSE(ClassifyPrivateKey("ssh-ed25519 AAAA x\n").has_value());
  auto truncated = ClassifyPrivateKey(
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
      "-----END OPENSSH PRIVATE KEY-----\n");
  ASSERT_TRUE(truncated.has_value());
  EXPECT_FALSE(truncated->has_value());
  auto junk = ClassifyPrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\n\xff\xfe!!\n");
  ASSERT_TRUE(junk.has_value());
  EXPECT_FALSE(junk->has_value());
}

TEST(CountKnownHosts, MarkersHashedAndJunk) {
  std::string ed = "ssh-ed25519 " + std::string(test_keys::kEdABlob);
  auto counts = CountKnownHosts("github.com,140.82.112.3 " + ed + "\n" +
                                "|1|c2FsdA==|aGFzaA== " + ed + "\r\n" + "@cert-authority *.corp " +
                                ed + "\n" + "@revoked * " + ed + "\n" + "# comment\n\n" +
                                "@bogus host " + ed + "\n" + "host ssh-ed25519 !!!\n" + "host\n");
  EXPECT_EQ(counts.entries, 4u);
  EXPECT_EQ(counts.hashed, 1u);
  EXPECT_EQ(counts.cert_authority, 1u);
  EXPECT_EQ(counts.revoked, 1u);
  EXPECT_EQ(counts.malformed, 3u);
}

TEST(KeysProbe, HostKeysPrivateKeysAndKnownHosts) {
  if (RunCommand("command -v ssh-keygen >/dev/null").exit_code != 0) GTEST_SKIP();
  testing::ScratchDir dir;
  auto host = Keygen(dir, "ssh_host_ed25519_key", "ed25519", "", "");
  auto plain = Keygen(dir, "id_ed25519", "ed25519", "", "");
  auto locked = Keygen(dir, "id_rsa", "rsa", "", "pass phrase");
  ASSERT_FALSE(host.private_text.empty());
  std::string host_fp = host.fingerprint.substr(0, host.fingerprint.find(' '));
  std::string plain_fp = plain.fingerprint.substr(0, plain.fingerprint.find(' '));

  MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
  fs.File("/etc/ssh/ssh_host_ed25519_key", host.private_text, {.mode = 0600});
  fs.File("/etc/ssh/ssh_host_ed25519_key.pub", host.public_text);
  fs.File("/etc/ssh/ssh_host_rsa_key.pub",
          "ssh-rsa " + std::string(test_keys::kRsa1024Blob) + " root@build\n");
  fs.File("/etc/ssh/ssh_host_ecdsa_key", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n", {.mode = 0644});
  fs.File("/etc/ssh/sshd_config", "PermitRootLogin no\n");
  fs.File("/root/.ssh/id_ed25519", plain.private_text, {.mode = 0600});
  fs.File("/root/.ssh/id_ed25519.pub", plain.public_text);
  fs.File("/root/.ssh/authorized_keys", plain.public_text);
  fs.File("/home/alice/.ssh/deploy_key", locked.private_text, {.mode = 0600, .uid = 1000});
  fs.File("/home/alice/.ssh/known_hosts",
          "github.com ssh-ed25519 " + std::string(test_keys::kEdABlob) + "\n", {.uid = 1000});
  fs.File("/home/alice/id_backup", plain.private_text, {.mode = 0644, .uid = 1000});
  fs.File("/home/alice/notes.txt", "-----BEGIN RSA PRIVATE KEY-----\n");  // not id_*: ignored
  fs.File("/home/gone/.ssh/id_ecdsa", "-----BEGIN PRIVATE KEY-----\nAAAA\n");

  auto run = testing::RunProbe(KeysProbe(), fs);
  EXPECT_TRUE(run.out.errors().empty()) << run.out.errors()[0].message;

  auto host_keys = run.Facts("ssh/host_key");
  ASSERT_EQ(host_keys.size(), 3u);
  const Fact* ed = run.FindFact("ssh/host_key", "ssh-ed25519|" + host_fp);
  ASSERT_NE(ed, nullptr);
  EXPECT_EQ(ed->data["private_encrypted"], false);
  EXPECT_NE(run.FindFact("ssh/host_key", "ssh-rsa|" + std::string(test_keys::kRsa1024Fingerprint)),
            nullptr);
  EXPECT_NE(run.FindFact("ssh/host_key", "ecdsa|/etc/ssh/ssh_host_ecdsa_key"), nullptr);
  EXPECT_EQ(run.Findings("ssh.host_keys.present").size(), 3u);
  auto perms = run.Findings("ssh.host_keys.bad_permissions");
  ASSERT_EQ(perms.size(), 1u);
  EXPECT_EQ(perms[0]->path, "/etc/ssh/ssh_host_ecdsa_key");

  auto unencrypted = run.Findings("ssh.private_key.unencrypted");
  std::vector<std::string> paths;
  for (const auto* f : unencrypted) paths.push_back(f->path);
  std::ranges::sort(paths);
  EXPECT_EQ(paths, (std::vector<std::string>{"/home/alice/id_backup", "/home/gone/.ssh/id_ecdsa",
                                             "/root/.ssh/id_ed25519"}));
  auto encrypted = run.Findings("ssh.private_key.encrypted");
  ASSERT_EQ(encrypted.size(), 1u);
  EXPECT_EQ(encrypted[0]->path, "/home/alice/.ssh/deploy_key");
  const Fact* root_key = run.FindFact("ssh/private_key", "/root/.ssh/id_ed25519");
  ASSERT_NE(root_key, nullptr);
  EXPECT_EQ(root_key->data["fingerprint"], plain_fp);
  EXPECT_EQ(root_key->data["user"], "root");

  // Key material never leaves the probe.
  std::string body = plain.private_text.substr(plain.private_text.find('\n') + 1, 60);
  for (const auto& f : run.out.facts()) EXPECT_EQ(f.data.dump().find(body), std::string::npos);
  for (const auto& f : run.out.findings()) EXPECT_EQ(f.evidence.find(body), std::string::npos);

  const Fact* known = run.FindFact("ssh/known_hosts", "alice|/home/alice/.ssh/known_hosts");
  ASSERT_NE(known, nullptr);
  EXPECT_EQ(known->data["entries"], 1);
}

TEST(KeysProbe, PemKeyTakesItsFingerprintFromThePubFileBesideIt) {
  if (RunCommand("command -v ssh-keygen >/dev/null").exit_code != 0) GTEST_SKIP();
  testing::ScratchDir dir;
  auto pem = Keygen(dir, "id_rsa", "rsa", "PEM", "");
  ASSERT_FALSE(pem.private_text.empty());
  std::string oracle = pem.fingerprint.substr(0, pem.fingerprint.find(' '));  // ssh-keygen -l
  MemoryFs fs;
  fs.File("/root/.ssh/id_rsa", pem.private_text, {.mode = 0600});
  fs.File("/root/.ssh/id_rsa.pub", pem.public_text);
  fs.File("/root/.ssh/id_nopub", pem.private_text, {.mode = 0600});
  auto run = testing::RunProbe(KeysProbe(), fs);
  const Fact* with_pub = run.FindFact("ssh/private_key", "/root/.ssh/id_rsa");
  ASSERT_NE(with_pub, nullptr);
  EXPECT_EQ(with_pub->data["format"], "pem-rsa");
  EXPECT_EQ(with_pub->data["fingerprint"], oracle);
  EXPECT_EQ(with_pub->data["fingerprint_source"], "pub_file");
  EXPECT_EQ(with_pub->data["bits"], 2048);
  const Fact* alone = run.FindFact("ssh/private_key", "/root/.ssh/id_nopub");
  ASSERT_NE(alone, nullptr);
  EXPECT_FALSE(alone->data.contains("fingerprint"));
  EXPECT_FALSE(alone->data.contains("fingerprint_source"));
}

}  // namespace
}  // namespace imageprobe::probes::ssh
