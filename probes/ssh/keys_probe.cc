// SPDX-License-Identifier: Apache-2.0
// References: sshd(8) FILES (/etc/ssh/ssh_host_*_key[.pub]), ssh(1) FILES (~/.ssh/id_*,
// known_hosts), OpenSSH authfile.c sshkey_perm_ok ("UNPROTECTED PRIVATE KEY FILE"),
// PROTOCOL.key; cloud-init cc_ssh.py (ssh_deletekeys); Image Builder SSH_FILES cleanup;
// formats.md §2, §4.
#include "probes/ssh/keys_probe.h"

#include <cstdio>
#include <expected>
#include <set>

#include "probes/common/user_db.h"
#include "probes/ssh/authorized_keys.h"
#include "probes/ssh/keys_records.h"
#include "probes/ssh/known_hosts.h"
#include "probes/ssh/private_key.h"
#include "probes/ssh/private_keys.h"
#include "scanner/core/guest_path.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::ssh {

namespace {

// Private keys are small; reading a bounded head is enough to classify and never pulls a
// multi-megabyte file that happens to sit in ~/.ssh.
constexpr uint64_t kKeyReadBytes = 64 * 1024;

constexpr RuleInfo kHostKeysPresent{
    "ssh.host_keys.present", Severity::kMedium, "SSH host keys are baked into the image",
    "Every instance launched from an image that ships its host keys presents the same host "
    "identity: one compromised instance lets an attacker impersonate all of them, and clients "
    "cannot tell instances apart. cloud-init's ssh_deletekeys regenerates them only when "
    "cloud-init runs its per-instance modules.",
    "Delete /etc/ssh/ssh_host_* before creating the image (Image Builder's SSH_FILES cleanup "
    "does this), and let the first boot generate new ones."};
constexpr RuleInfo kHostKeyPermissions{
    "ssh.host_keys.bad_permissions", Severity::kMedium,
    "Host private key is readable by other accounts",
    "sshd refuses to load a private host key owned by root that group or others can read "
    "(\"UNPROTECTED PRIVATE KEY FILE\"), and any local account can copy it.",
    "chmod 600 the host private key (and make it owned by root)."};
constexpr RuleInfo kUnencryptedPrivateKey{
    "ssh.private_key.unencrypted", Severity::kHigh, "Unencrypted private key in the image",
    "A private key without a passphrase in an image is usable by anyone who gets the image or "
    "any instance of it, wherever its public key is authorized.",
    "Remove the key from the image and revoke it wherever its public key is authorized."};
constexpr RuleInfo kEncryptedPrivateKey{
    "ssh.private_key.encrypted", Severity::kLow, "Passphrase-protected private key in the image",
    "An encrypted private key shipped in an image can be attacked offline; it rarely belongs "
    "in an image at all.",
    "Remove the key from the image."};

constexpr RuleInfo kRules[] = {kHostKeysPresent, kHostKeyPermissions, kUnencryptedPrivateKey,
                               kEncryptedPrivateKey};

struct PublicKeyFile {
  std::string type, label, fingerprint, comment;
  uint32_t bits = 0;
};

// The key, or why there is none: the read error (a symlink loop, too large) or that the text
// holds no public key.
std::expected<PublicKeyFile, std::string> ReadPublicKey(const Filesystem& fs,
                                                        const std::string& path) {
  auto text = fs.ReadFile(path, kKeyReadBytes);
  if (!text) return std::unexpected("not a readable public key: " + text.error().Message());
  auto parsed = ParseAuthorizedKeys(*text);
  if (parsed.keys.empty()) return std::unexpected("not a readable public key: no key in the file");
  const auto& k = parsed.keys.front();
  return PublicKeyFile{std::string(k.key.type_name()), std::string(k.key.label()),
                       k.key.fingerprint, k.comment, k.key.bits};
}

struct HostKeyFact {
  std::string type;
  uint32_t bits = 0;
  std::string fingerprint;
  std::string private_path, public_path;
  std::optional<uint32_t> private_mode;
  std::optional<PrivateKeyInfo> private_key;
};

void to_json(nlohmann::json& j, const HostKeyFact& f) {
  j = nlohmann::json{{"type", f.type},
                     {"bits", f.bits},
                     {"fingerprint", f.fingerprint},
                     {"private_path", f.private_path},
                     {"public_path", f.public_path}};
  if (f.private_mode) j["private_mode"] = parse::OctalMode(*f.private_mode);
  if (f.private_key) {
    j["private_format"] = f.private_key->format;
    j["private_encrypted"] = f.private_key->encrypted;
  }
}

void CollectHostKeys(const Target& target, Output& out) {
  auto entries = target.fs.ListDir("/etc/ssh");
  if (!entries) {
    if (entries.error().code != FsErrc::kNotFound) {
      out.Error("/etc/ssh", entries.error().Message());
    }
    return;
  }
  std::set<std::string> names;
  for (const auto& e : *entries) names.insert(e.name);
  // Host key pairs by base name: "ssh_host_ed25519_key" and/or its ".pub".
  std::set<std::string> bases;
  for (const auto& n : names) {
    if (!n.starts_with("ssh_host_")) continue;
    if (n.ends_with("_key")) bases.insert(n);
    if (n.ends_with("_key.pub")) bases.insert(n.substr(0, n.size() - 4));
  }
  for (const auto& base : bases) {
    HostKeyFact fact;
    std::string priv = "/etc/ssh/" + base, pub = priv + ".pub";
    if (names.contains(base + ".pub")) {
      fact.public_path = pub;
      if (auto k = ReadPublicKey(target.fs, pub)) {
        fact.type = k->type;
        fact.bits = k->bits;
        fact.fingerprint = k->fingerprint;
      } else {
        out.Error(pub, k.error());
      }
    }
    if (names.contains(base)) {
      fact.private_path = priv;
      if (auto st = target.fs.Stat(priv)) fact.private_mode = st->mode;
      if (auto head = target.fs.ReadHead(priv, kKeyReadBytes)) {
        if (auto info = ClassifyPrivateKey(*head)) {
          if (*info) {
            fact.private_key = **info;
            if (fact.fingerprint.empty()) {
              fact.type = (*info)->key_type;
              fact.bits = (*info)->bits;
              fact.fingerprint = (*info)->fingerprint;
            }
          } else {
            out.Error(priv, info->error());
          }
        }
      }
    }
    if (fact.type.empty()) {
      // "ssh_host_ed25519_key" -> "ed25519" when nothing readable says more.
      fact.type = base.substr(9, base.size() - 9 - 4);
    }
    std::string key = fact.type + "|" + (fact.fingerprint.empty() ? priv : fact.fingerprint);
    Finding f;
    f.path = fact.private_path.empty() ? fact.public_path : fact.private_path;
    f.title = "Host key " + base + " ships with the image";
    f.evidence = f.path + (fact.fingerprint.empty() ? "" : " " + fact.fingerprint);
    // The file is the subject; its fingerprint is evidence (every rebuild regenerates it).
    out.Raise(kHostKeysPresent, f);
    if (fact.private_mode && (*fact.private_mode & 077) != 0) {
      Finding p;
      p.path = priv;
      p.title = "Host private key " + priv + " is readable by others";
      p.evidence = priv + " mode " + parse::OctalMode(*fact.private_mode);
      out.Raise(kHostKeyPermissions, p);
    }
    out.AddFact(kHostKeyRecord, key, fact);
  }
}

void ReportPrivateKeys(const Target& target, Output& out) {
  const PrivateKeyInventory& inv = PrivateKeysOf(target);
  for (const auto& d : inv.diagnostics) out.Error(d.path, d.message);
  for (const auto& found : inv.keys) {
    const PrivateKeyInfo& key = found.info;
    out.AddFact(kPrivateKeyRecord, found.path, found);
    Finding f;
    f.user = found.owner;
    f.path = found.path;
    std::string what = key.format + (key.key_type.empty() ? "" : " " + key.key_type) +
                       (key.fingerprint.empty() ? "" : " " + key.fingerprint);
    if (key.encrypted) {
      f.title = "Encrypted private key " + found.path;
      f.evidence = what + ", cipher " + (key.cipher.empty() ? "unknown" : key.cipher);
      out.Raise(kEncryptedPrivateKey, f);
    } else {
      f.title = "Unencrypted private key " + found.path +
                (found.owner.empty() ? "" : " of " + found.owner);
      f.evidence = what + ", no passphrase";
      out.Raise(kUnencryptedPrivateKey, f);
    }
  }
}

void CollectKnownHosts(const Target& target, const std::string& owner, const std::string& path,
                       Output& out) {
  auto text = target.fs.ReadFile(path, target.limits.max_file_bytes);
  if (!text) {
    if (text.error().code != FsErrc::kNotFound && text.error().code != FsErrc::kNotDirectory) {
      out.Error(path, text.error().Message());
    }
    return;
  }
  nlohmann::json data = CountKnownHosts(*text);
  data["user"] = owner;
  data["path"] = path;
  out.AddFact(kKnownHostsRecord, owner + "|" + path, std::move(data));
}

}  // namespace

std::string_view KeysProbe::name() const { return "ssh.keys"; }

std::string_view KeysProbe::description() const {
  return "Host keys, private keys under homes, known_hosts counts";
}

std::span<const RuleInfo> KeysProbe::rules() const { return kRules; }

std::span<const RecordKind* const> KeysProbe::records() const { return kKeysRecords; }

std::vector<std::string> KeysProbe::prefetch() const {
  return {"/etc/ssh", "/root/.ssh", "/home/*/.ssh", "~/.ssh", "/etc/passwd"};
}

void KeysProbe::Run(const Target& target, Output& out) const {
  CollectHostKeys(target, out);
  CollectKnownHosts(target, "", "/etc/ssh/ssh_known_hosts", out);
  ReportPrivateKeys(target, out);
  for (const auto& [owner, home] : KeyHomes(target)) {
    auto st = target.fs.Stat(home);
    if (!st || !st->IsDirectory()) continue;
    CollectKnownHosts(target, owner, JoinGuestPath(home, ".ssh/known_hosts"), out);
    CollectKnownHosts(target, owner, JoinGuestPath(home, ".ssh/known_hosts2"), out);
  }
}

}  // namespace imageprobe::probes::ssh
