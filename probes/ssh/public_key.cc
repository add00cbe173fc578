// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/public_key.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <array>
#include <memory>

#include "probes/ssh/wire.h"

namespace imageprobe::probes::ssh {

namespace {

constexpr std::string_view kCertSuffix = "-cert-v01@openssh.com";

// sshkey.c keytypes[], in its order (the first short-name match wins there too).
constexpr KeyTypeInfo kKeyTypes[] = {
    {"ssh-ed25519", "ssh-ed25519", "ED25519", KeyAlgorithm::kEd25519, false, ""},
    {"ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com", "ED25519-CERT",
     KeyAlgorithm::kEd25519, true, ""},
    {"sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519@openssh.com", "ED25519-SK",
     KeyAlgorithm::kEd25519Sk, false, ""},
    {"sk-ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
     "ED25519-SK-CERT", KeyAlgorithm::kEd25519Sk, true, ""},
    {"ssh-rsa", "ssh-rsa", "RSA", KeyAlgorithm::kRsa, false, ""},
    {"rsa-sha2-256", "ssh-rsa", "RSA", KeyAlgorithm::kRsa, false, ""},
    {"rsa-sha2-512", "ssh-rsa", "RSA", KeyAlgorithm::kRsa, false, ""},
    {"ssh-dss", "ssh-dss", "DSA", KeyAlgorithm::kDsa, false, ""},
    {"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", "ECDSA", KeyAlgorithm::kEcdsa, false,
     "nistp256"},
    {"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384", "ECDSA", KeyAlgorithm::kEcdsa, false,
     "nistp384"},
    {"ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521", "ECDSA", KeyAlgorithm::kEcdsa, false,
     "nistp521"},
    {"sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK",
     KeyAlgorithm::kEcdsaSk, false, "nistp256"},
    {"webauthn-sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
     "ECDSA-SK", KeyAlgorithm::kEcdsaSk, false, "nistp256"},
    {"ssh-rsa-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", "RSA-CERT", KeyAlgorithm::kRsa,
     true, ""},
    {"rsa-sha2-256-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", "RSA-CERT",
     KeyAlgorithm::kRsa, true, ""},
    {"rsa-sha2-512-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", "RSA-CERT",
     KeyAlgorithm::kRsa, true, ""},
    {"ssh-dss-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com", "DSA-CERT", KeyAlgorithm::kDsa,
     true, ""},
    {"ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
     "ECDSA-CERT", KeyAlgorithm::kEcdsa, true, "nistp256"},
    {"ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
     "ECDSA-CERT", KeyAlgorithm::kEcdsa, true, "nistp384"},
    {"ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
     "ECDSA-CERT", KeyAlgorithm::kEcdsa, true, "nistp521"},
    {"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
     "ECDSA-SK-CERT", KeyAlgorithm::kEcdsaSk, true, "nistp256"},
};

const KeyTypeInfo* CanonicalRow(std::string_view blob_name) {
  for (const auto& row : kKeyTypes) {
    if (row.name == blob_name) return &row;
  }
  return nullptr;
}

// The plain type a certificate type wraps: "ssh-ed25519-cert-v01@openssh.com" -> ssh-ed25519.
const KeyTypeInfo* PlainTypeOf(const KeyTypeInfo& type) {
  if (!type.certificate) return CanonicalRow(type.blob_name);
  std::string_view name = type.blob_name;
  return CanonicalRow(name.substr(0, name.size() - kCertSuffix.size()));
}

uint32_t CurveBits(std::string_view curve) {
  if (curve == "nistp256") return 256;
  if (curve == "nistp384") return 384;
  if (curve == "nistp521") return 521;
  return 0;
}

int CurveNid(std::string_view curve) {
  if (curve == "nistp256") return NID_X9_62_prime256v1;
  if (curve == "nistp384") return NID_secp384r1;
  if (curve == "nistp521") return NID_secp521r1;
  return NID_undef;
}

// sshbuf_get_eckey + sshkey_ec_validate_public, reduced to what decides acceptance here: an
// uncompressed encoding of a point that lies on the named curve.
bool ValidEcPoint(std::string_view curve, std::string_view point) {
  if (point.empty() || point[0] != 0x04) return false;
  std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group(
      EC_GROUP_new_by_curve_name(CurveNid(curve)), EC_GROUP_free);
  if (!group) return false;
  std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)> p(EC_POINT_new(group.get()), EC_POINT_free);
  if (!p) return false;
  return EC_POINT_oct2point(group.get(), p.get(),
                            reinterpret_cast<const unsigned char*>(point.data()), point.size(),
                            nullptr) == 1 &&
         EC_POINT_is_at_infinity(group.get(), p.get()) == 0;
}

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void PutString(std::string& out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}
// sshbuf_put_bignum2: minimal bytes, a leading zero when the top bit is set.
void PutMpint(std::string& out, std::string_view magnitude) {
  bool pad = !magnitude.empty() && (static_cast<unsigned char>(magnitude[0]) & 0x80) != 0;
  PutU32(out, static_cast<uint32_t>(magnitude.size() + (pad ? 1 : 0)));
  if (pad) out.push_back('\0');
  out.append(magnitude);
}

bool IsCString(std::string_view s) { return s.find('\0') == std::string_view::npos; }

using Error = std::unexpected<std::string>;

// Reads the public fields of `plain` (after the type name, and after the nonce for a
// certificate) and fills bits/curve/application and the canonical plain blob.
std::expected<void, std::string> ReadPublicFields(WireReader& r, const KeyTypeInfo& plain,
                                                  std::string_view declared_curve, PublicKey& key) {
  std::string blob;
  PutString(blob, plain.blob_name);
  switch (plain.algorithm) {
    case KeyAlgorithm::kRsa: {
      std::string_view e, n;
      if (!r.ReadMpint(e) || !r.ReadMpint(n)) return Error("truncated or invalid RSA key");
      key.bits = BitLength(n);
      // sshkey_check_rsa_length: SSH_RSA_MINIMUM_MODULUS_SIZE and SSHBUF_MAX_BIGNUM.
      if (key.bits < 1024) {
        return Error("RSA modulus of " + std::to_string(key.bits) +
                     " bits; OpenSSH refuses keys under 1024 bits");
      }
      PutMpint(blob, e);
      PutMpint(blob, n);
      break;
    }
    case KeyAlgorithm::kDsa: {
      std::string_view p, q, g, y;
      if (!r.ReadMpint(p) || !r.ReadMpint(q) || !r.ReadMpint(g) || !r.ReadMpint(y)) {
        return Error("truncated or invalid DSA key");
      }
      key.bits = BitLength(p);
      for (auto part : {p, q, g, y}) PutMpint(blob, part);
      break;
    }
    case KeyAlgorithm::kEcdsa:
    case KeyAlgorithm::kEcdsaSk: {
      std::string_view curve, point;
      if (!r.ReadString(curve) || !r.ReadString(point)) return Error("truncated ECDSA key");
      if (curve != declared_curve) {
        return Error("curve " + std::string(curve.substr(0, 32)) + " contradicts key type " +
                     std::string(plain.name));
      }
      if (!ValidEcPoint(curve, point)) return Error("ECDSA public point is not on its curve");
      key.curve = std::string(curve);
      key.bits = CurveBits(curve);
      PutString(blob, curve);
      PutString(blob, point);
      break;
    }
    case KeyAlgorithm::kEd25519:
    case KeyAlgorithm::kEd25519Sk: {
      std::string_view pk;
      if (!r.ReadString(pk)) return Error("truncated Ed25519 key");
      if (pk.size() != 32) return Error("Ed25519 public key is not 32 bytes");
      key.bits = 256;
      PutString(blob, pk);
      break;
    }
  }
  if (plain.algorithm == KeyAlgorithm::kEcdsaSk || plain.algorithm == KeyAlgorithm::kEd25519Sk) {
    std::string_view application;
    if (!r.ReadString(application) || !IsCString(application)) {
      return Error("security key without a valid application string");
    }
    key.application = std::string(application);
    PutString(blob, application);
  }
  key.plain_blob = std::move(blob);
  return {};
}

// An embedded list of (name, data) pairs: critical options or extensions.
std::expected<std::vector<std::string>, std::string> ReadOptionNames(std::string_view section) {
  std::vector<std::string> names;
  WireReader r(section);
  while (!r.empty()) {
    std::string_view name, data;
    if (!r.ReadString(name) || !r.ReadString(data) || !IsCString(name)) {
      return Error("malformed certificate options");
    }
    names.emplace_back(name);
  }
  return names;
}

std::expected<void, std::string> ReadCertificate(WireReader& r, PublicKey& key) {
  CertificateInfo cert;
  uint32_t type = 0;
  std::string_view key_id, principals, critical, extensions, reserved, ca_blob, signature;
  if (!r.ReadU64(cert.serial) || !r.ReadU32(type) || !r.ReadString(key_id) ||
      !r.ReadString(principals) || !r.ReadU64(cert.valid_after) || !r.ReadU64(cert.valid_before) ||
      !r.ReadString(critical) || !r.ReadString(extensions) || !r.ReadString(reserved) ||
      !r.ReadString(ca_blob) || !r.ReadString(signature)) {
    return Error("truncated certificate");
  }
  if (type != 1 && type != 2) return Error("unknown certificate type " + std::to_string(type));
  cert.type = type == 1 ? "user" : "host";
  if (!IsCString(key_id)) return Error("certificate key id contains NUL");
  cert.key_id = std::string(key_id);
  WireReader pr(principals);
  while (!pr.empty()) {
    std::string_view principal;
    if (!pr.ReadString(principal) || !IsCString(principal)) {
      return Error("malformed certificate principals");
    }
    if (cert.principals.size() >= 256) return Error("more than 256 certificate principals");
    cert.principals.emplace_back(principal);
  }
  auto crit = ReadOptionNames(critical);
  auto ext = ReadOptionNames(extensions);
  if (!crit) return Error(crit.error());
  if (!ext) return Error(ext.error());
  cert.critical_options = std::move(*crit);
  cert.extensions = std::move(*ext);
  auto ca = DecodePublicKeyBlob(ca_blob);
  if (!ca) return Error("certificate authority key: " + ca.error());
  if (ca->certificate) return Error("certificate signed by a certificate");
  cert.ca_type = std::string(ca->type_name());
  cert.ca_fingerprint = ca->fingerprint;
  key.certificate = std::move(cert);
  return {};
}

}  // namespace

const KeyTypeInfo* LookupKeyTypeName(std::string_view name) {
  // Exact, case-sensitive names only: OpenSSH 9.2's sshkey_read refuses the short labels
  // ("RSA", "ED25519") on a key line; the oracle test pins this down.
  for (const auto& row : kKeyTypes) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

void to_json(nlohmann::json& j, const CertificateInfo& c) {
  j = nlohmann::json{{"serial", c.serial},
                     {"type", c.type},
                     {"key_id", c.key_id},
                     {"principals", c.principals},
                     {"valid_after", c.valid_after},
                     {"valid_before", c.valid_before},
                     {"critical_options", c.critical_options},
                     {"extensions", c.extensions},
                     {"ca_type", c.ca_type},
                     {"ca_fingerprint", c.ca_fingerprint}};
}

std::expected<PublicKey, std::string> DecodePublicKeyBlob(std::string_view blob) {
  WireReader r(blob);
  std::string_view name;
  if (!r.ReadString(name)) return Error("truncated key blob");
  const KeyTypeInfo* named = IsCString(name) ? LookupKeyTypeName(name) : nullptr;
  if (named == nullptr) {
    return Error("unknown key type in blob: " + std::string(name.substr(0, 64)));
  }
  PublicKey key;
  key.type = CanonicalRow(named->blob_name);
  const KeyTypeInfo* plain = PlainTypeOf(*key.type);
  if (key.type->certificate) {
    std::string_view nonce;
    if (!r.ReadString(nonce)) return Error("truncated certificate nonce");
  }
  if (auto fields = ReadPublicFields(r, *plain, key.type->curve, key); !fields) {
    return Error(fields.error());
  }
  if (key.type->certificate) {
    if (auto cert = ReadCertificate(r, key); !cert) return Error(cert.error());
  }
  if (!r.empty()) return Error("trailing bytes after the key");
  key.fingerprint = Sha256Fingerprint(key.plain_blob);
  return key;
}

}  // namespace imageprobe::probes::ssh
