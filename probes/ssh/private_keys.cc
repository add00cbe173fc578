// SPDX-License-Identifier: Apache-2.0
// References: ssh(1) FILES, ssh-keygen(1) -f (writes FILE and FILE.pub), OpenSSH PROTOCOL.key.
#include "probes/ssh/private_keys.h"

#include <set>

#include "probes/common/user_db.h"
#include "probes/ssh/authorized_keys.h"
#include "scanner/core/guest_path.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::ssh {

namespace {

// Private keys are small; reading a bounded head is enough to classify and never pulls a
// multi-megabyte file that happens to sit in ~/.ssh.
constexpr uint64_t kKeyReadBytes = 64 * 1024;

// Files worth classifying: everything in ~/.ssh except the well-known public files, and
// id_* files directly in the home.
bool MayBePrivateKey(std::string_view dir_name, std::string_view name) {
  if (name.ends_with(".pub")) return false;
  if (dir_name == ".ssh") {
    for (std::string_view skip : {"authorized_keys", "authorized_keys2", "known_hosts",
                                  "known_hosts2", "config", "environment", "rc"}) {
      if (name == skip || (name.starts_with(skip) && name.size() > skip.size() &&
                           (name[skip.size()] == '.' || name[skip.size()] == '~'))) {
        return false;
      }
    }
    return true;
  }
  return name.starts_with("id_");
}

// The public half ssh-keygen writes beside a private key, when it parses as a public key.
void FillFromPubFile(const Filesystem& fs, FoundPrivateKey& key) {
  auto text = fs.ReadFile(key.path + ".pub", kKeyReadBytes);
  if (!text) return;
  auto parsed = ParseAuthorizedKeys(*text);
  if (parsed.keys.empty()) return;
  const auto& pub = parsed.keys.front().key;
  key.info.fingerprint = pub.fingerprint;
  if (key.info.key_type.empty()) key.info.key_type = std::string(pub.type_name());
  if (key.info.bits == 0) key.info.bits = pub.bits;
  key.fingerprint_source = "pub_file";
}

void ScanDirectory(const Target& target, const KeyHome& home, const std::string& dir,
                   PrivateKeyInventory& inv) {
  auto entries = target.fs.ListDir(dir);
  if (!entries) {
    if (entries.error().code != FsErrc::kNotFound &&
        entries.error().code != FsErrc::kNotDirectory) {
      inv.diagnostics.push_back({"", dir, entries.error().Message()});
    }
    return;
  }
  std::string dir_name = GuestBasename(dir);
  for (const auto& e : *entries) {
    if (!e.stat.IsRegular() || !MayBePrivateKey(dir_name, e.name)) continue;
    std::string path = JoinGuestPath(dir, e.name);
    auto head = target.fs.ReadHead(path, kKeyReadBytes);
    if (!head) {
      inv.diagnostics.push_back({"", path, head.error().Message()});
      continue;
    }
    auto info = ClassifyPrivateKey(*head);
    if (!info) continue;
    if (!*info) {
      inv.diagnostics.push_back({"", path, info->error()});
      continue;
    }
    FoundPrivateKey key{home.owner, home.home, path, e.stat.mode, **info, ""};
    if (!key.info.fingerprint.empty()) {
      key.fingerprint_source = "container";
    } else {
      FillFromPubFile(target.fs, key);
    }
    inv.keys.push_back(std::move(key));
  }
}

}  // namespace

void to_json(nlohmann::json& j, const FoundPrivateKey& k) {
  j = k.info;
  j["user"] = k.owner;
  j["path"] = k.path;
  j["mode"] = parse::OctalMode(k.mode);
  if (!k.fingerprint_source.empty()) j["fingerprint_source"] = k.fingerprint_source;
}

std::vector<KeyHome> KeyHomes(const Target& target) {
  std::vector<KeyHome> homes;
  std::set<std::string> seen;
  auto add = [&](const std::string& owner, const std::string& home) {
    std::string h = NormalizeGuestPath(home);
    if (h == "/" || !seen.insert(h).second) return;
    homes.push_back({owner, h});
  };
  for (const auto& u : UsersOf(target).users) add(u.passwd.name, u.passwd.home);
  add("root", "/root");
  if (auto entries = target.fs.ListDir("/home")) {
    for (const auto& e : *entries) {
      if (e.stat.IsDirectory()) add("", "/home/" + e.name);
    }
  }
  return homes;
}

PrivateKeyInventory CollectPrivateKeys(const Target& target) {
  PrivateKeyInventory inv;
  for (const auto& home : KeyHomes(target)) {
    auto st = target.fs.Stat(home.home);
    if (!st || !st->IsDirectory()) continue;
    ScanDirectory(target, home, JoinGuestPath(home.home, ".ssh"), inv);
    ScanDirectory(target, home, home.home, inv);
  }
  return inv;
}

const PrivateKeyInventory& PrivateKeysOf(const Target& target) {
  return target.context.Memo<PrivateKeyInventory>([&] { return CollectPrivateKeys(target); });
}

}  // namespace imageprobe::probes::ssh
