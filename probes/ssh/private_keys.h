// SPDX-License-Identifier: Apache-2.0
// The private keys under the image's homes, found once per root and shared through the Context
// (PrivateKeysOf): the ssh.keys probe reports them, the secrets probe cross-references them
// with authorized_keys and ssh client configurations, and neither reads the files twice.
//
// References: ssh(1) FILES (~/.ssh/id_*), ssh-keygen(1) (a ".pub" beside each private key);
// OpenSSH PROTOCOL.key (the public key in clear in openssh-key-v1 containers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "probes/ssh/private_key.h"
#include "scanner/core/model.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes::ssh {

struct FoundPrivateKey {
  std::string owner;  // account whose home holds it; empty for a /home/<dir> no account names
  std::string home;
  std::string path;
  uint32_t mode = 0;
  PrivateKeyInfo info;
  // Where info.fingerprint comes from: "container" (openssh-key-v1 carries the public key in
  // clear), "pub_file" (the "<path>.pub" ssh-keygen writes beside it), or empty when unknown
  // (PEM and PKCS#8 keys without a .pub).
  std::string fingerprint_source;
};
// The ssh/private_key fact: never any key material, only what PrivateKeyInfo describes.
void to_json(nlohmann::json& j, const FoundPrivateKey& k);

struct PrivateKeyInventory {
  std::vector<FoundPrivateKey> keys;
  std::vector<Diagnostic> diagnostics;  // unreadable directories or files, malformed keys
};

// Homes looked into: every account's, /root, and directories under /home no account names (a
// deleted user's files stay), each once, in that order.
struct KeyHome {
  std::string owner;
  std::string home;
};
std::vector<KeyHome> KeyHomes(const Target& target);

// Scans ~/.ssh (everything but the well-known public files) and id_* files in each home.
PrivateKeyInventory CollectPrivateKeys(const Target& target);

// The inventory for this root, computed once.
const PrivateKeyInventory& PrivateKeysOf(const Target& target);

}  // namespace imageprobe::probes::ssh
