// SPDX-License-Identifier: Apache-2.0
// Recognises private key files and tells whether they are protected by a passphrase, without
// keeping any key material: the format, the cipher, and (when the container carries it in the
// clear, as openssh-key-v1 does) the public key's type and fingerprint.
//
// References: OpenSSH PROTOCOL.key (openssh-key-v1: magic, ciphername, kdfname, kdfoptions,
// number of keys, public keys, encrypted section); RFC 1421 §4.6.1 (PEM Proc-Type/DEK-Info);
// RFC 5958 / RFC 7468 §10–11 (PKCS#8 "PRIVATE KEY" / "ENCRYPTED PRIVATE KEY"); PuTTY's .ppk
// "Encryption:" header.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace imageprobe::probes::ssh {

struct PrivateKeyInfo {
  std::string format;  // "openssh", "pem-rsa", "pem-dsa", "pem-ec", "pkcs8", "putty"
  bool encrypted = false;
  std::string cipher;      // "none", "aes256-ctr", "AES-128-CBC"; empty when the format hides it
  std::string kdf;         // openssh: "none" or "bcrypt"
  uint32_t key_count = 0;  // openssh containers only
  std::string key_type;    // public key type when the container shows it: "ssh-ed25519"
  uint32_t bits = 0;
  std::string fingerprint;  // "SHA256:…" of the public key, when known
};
void to_json(nlohmann::json& j, const PrivateKeyInfo& k);

// nullopt: the text is not a private key. An error: it says it is one but cannot be read
// (truncated base64, bad openssh-key-v1 container).
std::optional<std::expected<PrivateKeyInfo, std::string>> ClassifyPrivateKey(std::string_view text);

}  // namespace imageprobe::probes::ssh
