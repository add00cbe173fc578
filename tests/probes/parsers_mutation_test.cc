// SPDX-License-Identifier: Apache-2.0
// Every parser of this folder on deterministic random mutations of valid input: bit flips,
// truncations, insertions of NUL/CR/quotes, and length-prefix corruption in key blobs. The
// assertion is that nothing crashes or hangs (run under ASan/UBSan in CI) and that results stay
// self-consistent.
#include <gtest/gtest.h>

#include <random>

#include "probes/ssh/authorized_keys.h"
#include "probes/ssh/known_hosts.h"
#include "probes/ssh/private_key.h"
#include "probes/ssh/wire.h"
#include "probes/users/sudoers.h"
#include "scanner/parse/shadow.h"
#include "tests/probes/ssh/test_keys.h"

namespace imageprobe::probes {
namespace {

std::string Mutate(std::string s, std::mt19937& rng) {
  static constexpr char kInteresting[] = {'\0', '\r', '\n', '"',    '\\',   ',', ' ', '#',
                                          '=',  ':',  '%',  '\xff', '\x80', '!', '@', '('};
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0:
        s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8)));
        break;
      case 1:
        s.resize(at);
        break;
      case 2:
        s.insert(at, 1, kInteresting[rng() % sizeof kInteresting]);
        break;
      case 3:
        s.erase(at, 1 + rng() % 8);
        break;
    }
  }
  return s;
}

TEST(ParsersOnMutations, NeverCrash) {
  std::mt19937 rng(20261123);
  const std::string ed = "ssh-ed25519 " + std::string(ssh::test_keys::kEdABlob);
  const std::string keys = ed + " a\nrestrict,command=\"echo \\\"x\\\"\",from=\"1.2.3.4\" " + ed +
                           " b\nssh-rsa " + std::string(ssh::test_keys::kRsa1024Blob) + " c\n";
  const std::string sudoers =
      "User_Alias A = alice, %ops\nA ALL=(ALL:ALL) NOPASSWD: /bin/x, PASSWD: ALL : h = ALL\n"
      "@includedir /etc/sudoers.d\n#include \"/etc/x y\"\nDefaults env_reset\n";
  const std::string shadow = "root:$6$salt$hash:19000:0:99999:7::20000:\nalice:!:1::::::\n";
  const std::string known = "|1|c2FsdA==|aGFzaA== " + ed + "\n@revoked * " + ed + "\n";
  const std::string pem =
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAA\n"
      "-----END RSA PRIVATE KEY-----\n";
  auto blob = *ssh::DecodeBase64(ssh::test_keys::kRsa1024Blob);
  for (int i = 0; i < 3000; ++i) {
    auto parsed = ssh::ParseAuthorizedKeys(Mutate(keys, rng));
    for (const auto& k : parsed.keys) {
      EXPECT_EQ(k.key.fingerprint.rfind("SHA256:", 0), 0u);
      EXPECT_EQ(k.key.fingerprint, ssh::Sha256Fingerprint(k.key.plain_blob));
    }
    users::ParseSudoers(Mutate(sudoers, rng));
    parse::ParseShadow(Mutate(shadow, rng));
    ssh::CountKnownHosts(Mutate(known, rng));
    ssh::ClassifyPrivateKey(Mutate(pem, rng));
    ssh::DecodePublicKeyBlob(Mutate(blob, rng));
    ssh::ParseKeyOptions(Mutate("restrict,permitopen=\"[::1]:22\",tunnel=\"1\"", rng));
  }
}

}  // namespace
}  // namespace imageprobe::probes
