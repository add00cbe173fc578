// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/keys_records.h"

#include <map>
#include <set>

#include "scanner/core/diff.h"
#include "scanner/core/json_fields.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

constexpr RecordMember kHostKeyMembers[] = {
    {"type", kText,
     "the key type (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256); from the file name (ed25519, rsa) "
     "when no file says"},
    {"bits", kInteger, "the key size in bits; 0 when unknown"},
    {"fingerprint", kText, "SHA256:… of the public key; empty when no file shows it"},
    {"private_path", kText, "/etc/ssh/ssh_host_*_key; empty when only the .pub is there"},
    {"public_path", kText, "/etc/ssh/ssh_host_*_key.pub; empty when only the private key is there"},
    {"private_mode", kText, "the private key's permission bits in octal (0600)",
     Presence::kOptional},
    {"private_format", kText,
     "the private key's format: openssh, pem-rsa, pem-dsa, pem-ec, pkcs8 or putty; absent when it "
     "could not be read as a key",
     Presence::kOptional},
    {"private_encrypted", kFlag,
     "the private key is protected by a passphrase; absent with private_format",
     Presence::kOptional},
};

// Never any key material: what the file's format shows in clear.
constexpr RecordMember kPrivateKeyMembers[] = {
    {"format", kText, "openssh, pem-rsa, pem-dsa, pem-ec, pkcs8 or putty"},
    {"encrypted", kFlag, "the key is protected by a passphrase"},
    {"cipher", kText,
     "the cipher that protects it: none, aes256-ctr, AES-128-CBC…; absent when the format hides it",
     Presence::kOptional},
    {"kdf", kText, "openssh keys: the passphrase's key derivation, none or bcrypt",
     Presence::kOptional},
    {"key_count", kInteger, "openssh keys: the keys in the container; absent when 0",
     Presence::kOptional},
    {"type", kText,
     "the public key's type (ssh-ed25519, ssh-rsa), when the container or the .pub shows it",
     Presence::kOptional},
    {"bits", kInteger, "the key size in bits, when known", Presence::kOptional},
    {"fingerprint", kText, "SHA256:… of the public key, when known", Presence::kOptional},
    {"user", kText,
     "the account whose home holds it; empty for a /home directory no account names"},
    {"path", kText, "the private key file"},
    {"mode", kText, "its permission bits in octal (0600)"},
    {"fingerprint_source", kText,
     "where the fingerprint comes from: container (openssh-key-v1) or pub_file (the .pub beside "
     "it); absent when unknown",
     Presence::kOptional},
};

constexpr RecordMember kKnownHostsMembers[] = {
    {"user", kText,
     "the account whose home holds it; empty for /etc/ssh/ssh_known_hosts or a /home directory no "
     "account names"},
    {"path", kText, "the file: /etc/ssh/ssh_known_hosts or ~/.ssh/known_hosts, known_hosts2"},
    {"entries", kInteger, "the valid host key lines, @cert-authority and @revoked included"},
    {"hashed", kInteger, "of those, the lines whose host names are hashed (HashKnownHosts)"},
    {"cert_authority", kInteger, "the @cert-authority lines"},
    {"revoked", kInteger, "the @revoked lines"},
    {"malformed", kInteger, "the lines that are not a valid host key entry"},
};

// Host keys removed or replaced. Then the keys (by fingerprint) both versions carry: two
// different releases with the same host keys mean every instance of either answers with one
// identity, so anyone holding one image can impersonate all of them. Only said when the
// versions differ at all: an image compared with itself (or an identical rebuild) is one
// release, and its baked host keys are the scan's own finding (ssh.host_keys.present).
void HostKeyHeadlines(KindDiff& diff, HeadlineSink& out) {
  std::set<std::string> removed, added;  // by key: one key in several roots counts once
  for (const FactChange* c : diff.changes) {
    if (c->change == Change::kRemoved) removed.insert(c->key);
    if (c->change == Change::kAdded) added.insert(c->key);
  }
  if (!removed.empty() && added.empty()) {
    out.Add(HeadlineTopic::kHostKeys,
            "host keys removed: " + parse::CountOf(removed.size(), "key", "keys"), false);
  } else if (!removed.empty() || !added.empty()) {
    out.Add(HeadlineTopic::kHostKeys, "host keys regenerated", false);
  }

  if (!diff.versions_differ) return;
  auto fingerprints = [](const std::vector<const Fact*>& facts) {
    std::map<std::string, std::string> keys;  // fingerprint -> type
    for (const Fact* f : facts) {
      std::string fingerprint = StringMember(f->data, "fingerprint");
      if (!fingerprint.empty()) keys[fingerprint] = StringMember(f->data, "type");
    }
    return keys;
  };
  auto before = fingerprints(diff.old_facts), after = fingerprints(diff.new_facts);
  std::set<std::string> shared_types;
  size_t shared = 0;
  for (const auto& [fingerprint, type] : before) {
    if (!after.contains(fingerprint)) continue;
    ++shared;
    shared_types.insert(type);
  }
  if (shared == 0) return;
  out.Add(HeadlineTopic::kHostKeys,
          "host keys identical in both versions: " + parse::CountOf(shared, "key", "keys") + " (" +
              parse::Join(shared_types, ", ") + "); every instance of both releases shares them",
          true);
}

}  // namespace

const RecordKind kHostKeyRecord{
    .name = "ssh/host_key",
    .key = "type|fingerprint (the private key's path when unreadable)",
    .description = "an SSH host key baked into the image",
    .members = kHostKeyMembers,
    .headlines = HostKeyHeadlines,
};

const RecordKind kPrivateKeyRecord{
    .name = "ssh/private_key",
    .key = "path",
    .description = "a private key found in a home or system directory",
    .members = kPrivateKeyMembers,
};

const RecordKind kKnownHostsRecord{
    .name = "ssh/known_hosts",
    .key = "owner|path",
    .description = "a known_hosts file and how many hosts it lists",
    .members = kKnownHostsMembers,
};

}  // namespace imageprobe::probes
