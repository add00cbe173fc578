// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/private_key.h"

#include "probes/ssh/public_key.h"
#include "probes/ssh/wire.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::ssh {

namespace {

using Error = std::unexpected<std::string>;
using Result = std::optional<std::expected<PrivateKeyInfo, std::string>>;

// The text between "-----BEGIN <label>-----" and "-----END <label>-----"; nullopt without BEGIN.
std::optional<std::string_view> PemBody(std::string_view text, std::string_view label) {
  std::string begin = "-----BEGIN " + std::string(label) + "-----";
  size_t start = text.find(begin);
  if (start == std::string_view::npos) return std::nullopt;
  start += begin.size();
  size_t end = text.find("-----END " + std::string(label) + "-----", start);
  return text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
}

Result OpenSshContainer(std::string_view body) {
  auto bytes = DecodeBase64(body);
  if (!bytes) return Error("openssh private key: invalid base64");
  constexpr std::string_view kMagic("openssh-key-v1\0", 15);
  if (!std::string_view(*bytes).starts_with(kMagic)) {
    return Error("openssh private key: missing openssh-key-v1 magic");
  }
  WireReader r(std::string_view(*bytes).substr(kMagic.size()));
  std::string_view cipher, kdf, kdf_options;
  uint32_t count = 0;
  if (!r.ReadString(cipher) || !r.ReadString(kdf) || !r.ReadString(kdf_options) ||
      !r.ReadU32(count)) {
    return Error("openssh private key: truncated header");
  }
  PrivateKeyInfo info;
  info.format = "openssh";
  info.cipher = std::string(cipher.substr(0, 64));
  info.kdf = std::string(kdf.substr(0, 64));
  info.encrypted = cipher != "none";
  info.key_count = count;
  if (count > 0 && count < 1024) {
    std::string_view first;
    if (!r.ReadString(first)) return Error("openssh private key: truncated public key");
    if (auto key = DecodePublicKeyBlob(first)) {
      info.key_type = std::string(key->type_name());
      info.bits = key->bits;
      info.fingerprint = key->fingerprint;
    }
  }
  return info;
}

}  // namespace

void to_json(nlohmann::json& j, const PrivateKeyInfo& k) {
  j = nlohmann::json{{"format", k.format}, {"encrypted", k.encrypted}};
  if (!k.cipher.empty()) j["cipher"] = k.cipher;
  if (!k.kdf.empty()) j["kdf"] = k.kdf;
  if (k.key_count) j["key_count"] = k.key_count;
  if (!k.key_type.empty()) j["type"] = k.key_type;
  if (k.bits) j["bits"] = k.bits;
  if (!k.fingerprint.empty()) j["fingerprint"] = k.fingerprint;
}

Result ClassifyPrivateKey(std::string_view text) {
  if (auto body = PemBody(text, "OPENSSH PRIVATE KEY")) return OpenSshContainer(*body);
  struct Legacy {
    std::string_view label;
    std::string_view format;
  };
  for (const auto& [label, format] :
       {Legacy{"RSA PRIVATE KEY", "pem-rsa"}, Legacy{"DSA PRIVATE KEY", "pem-dsa"},
        Legacy{"EC PRIVATE KEY", "pem-ec"}}) {
    auto body = PemBody(text, label);
    if (!body) continue;
    PrivateKeyInfo info;
    info.format = std::string(format);
    // RFC 1421 headers precede the base64: "Proc-Type: 4,ENCRYPTED", "DEK-Info: CIPHER,IV".
    info.encrypted = body->find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos;
    if (size_t dek = body->find("DEK-Info:"); dek != std::string_view::npos) {
      std::string_view rest = parse::TrimWhitespace(body->substr(dek + 9, 64));
      info.cipher = std::string(rest.substr(0, rest.find_first_of(",\r\n")));
    } else if (!info.encrypted) {
      info.cipher = "none";
    }
    return info;
  }
  if (PemBody(text, "ENCRYPTED PRIVATE KEY")) return PrivateKeyInfo{"pkcs8", true};
  if (PemBody(text, "PRIVATE KEY")) return PrivateKeyInfo{"pkcs8", false, "none"};
  if (text.starts_with("PuTTY-User-Key-File-")) {
    PrivateKeyInfo info;
    info.format = "putty";
    size_t at = text.find("\nEncryption:");
    if (at == std::string_view::npos) return Error("PuTTY key without an Encryption header");
    std::string_view rest = parse::TrimWhitespace(text.substr(at + 12, 64));
    info.cipher = std::string(rest.substr(0, rest.find_first_of("\r\n")));
    info.encrypted = info.cipher != "none";
    size_t colon = text.find(':');
    std::string_view type =
        parse::TrimWhitespace(text.substr(colon + 1, text.find('\n') - colon - 1));
    info.key_type = std::string(type.substr(0, 64));
    return info;
  }
  return std::nullopt;
}

}  // namespace imageprobe::probes::ssh
