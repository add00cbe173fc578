// SPDX-License-Identifier: Apache-2.0
// OpenSSH public keys and certificates decoded from their wire-format blob: algorithm, size as
// ssh-keygen reports it, curve, security-key application, certificate fields, and the SHA256
// fingerprint (of the plain key for a certificate, as sshkey_fingerprint does with
// force_plain=1). Pure: bytes in, struct out.
//
// References: OpenSSH PROTOCOL.key, PROTOCOL.certkeys, PROTOCOL.u2f; sshkey.c
// (keytypes[], sshkey_from_blob_internal, cert_parse, sshkey_size, sshkey_type_from_name).
//
// Deliberately not done: verifying the CA signature of a certificate (sshd does, and refuses a
// bad one). The scanner reports what is on disk; it does not authenticate anyone.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes::ssh {

enum class KeyAlgorithm { kRsa, kDsa, kEcdsa, kEd25519, kEcdsaSk, kEd25519Sk };

// One row of OpenSSH's key type table.
struct KeyTypeInfo {
  std::string_view name;        // as written on a key line: "ssh-rsa", "rsa-sha2-512", …
  std::string_view blob_name;   // the name inside the blob for this type
  std::string_view short_name;  // ssh-keygen's label: "RSA", "ED25519-SK", "ECDSA-CERT"
  KeyAlgorithm algorithm;
  bool certificate;
  std::string_view curve;  // "nistp256" … for ECDSA types, empty otherwise
};

// The type a key line names: exact names, including the signature-only aliases rsa-sha2-256/512
// and webauthn-sk-… that sshkey_read also accepts. nullptr for anything else.
const KeyTypeInfo* LookupKeyTypeName(std::string_view name);

struct CertificateInfo {
  uint64_t serial = 0;
  std::string type;  // "user" or "host"
  std::string key_id;
  std::vector<std::string> principals;
  uint64_t valid_after = 0;
  uint64_t valid_before = 0;
  std::vector<std::string> critical_options;  // names only
  std::vector<std::string> extensions;        // names only
  std::string ca_type;                        // "ssh-ed25519" …
  std::string ca_fingerprint;                 // "SHA256:…"
};
void to_json(nlohmann::json& j, const CertificateInfo& c);

struct PublicKey {
  const KeyTypeInfo* type = nullptr;  // from the blob
  uint32_t bits = 0;                  // sshkey_size(): modulus, p, or curve size
  std::string curve;                  // "nistp256", ECDSA and sk-ECDSA only
  std::string application;            // security keys only: "ssh:" usually
  std::string plain_blob;             // wire blob of the plain key
  std::string fingerprint;            // SHA256 of plain_blob
  std::optional<CertificateInfo> certificate;

  std::string_view type_name() const { return type->blob_name; }
  std::string_view label() const { return type->short_name; }
};

// Decodes a public key or certificate blob as sshkey_from_blob does, refusing what OpenSSH
// refuses: trailing bytes, RSA moduli outside 1024..16384 bits, negative mpints, an ECDSA point
// not on its curve, a curve that contradicts the type, an Ed25519 key that is not 32 bytes, a
// certificate of an unknown kind or whose CA key is itself a certificate.
std::expected<PublicKey, std::string> DecodePublicKeyBlob(std::string_view blob);

}  // namespace imageprobe::probes::ssh
