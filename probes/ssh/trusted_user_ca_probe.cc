// SPDX-License-Identifier: Apache-2.0
// References: sshd_config(5) TrustedUserCAKeys ("keys are listed one per line; empty lines and
// comments starting with # are allowed"; allowed in Match; no TOKENS), AuthorizedPrincipalsFile;
// OpenSSH auth2-pubkey.c user_cert_trusted_ca (sshkey_in_file of the certificate's signature
// key: the file is read at login, with no StrictModes check), ssh-keygen(1) CERTIFICATES.
#include "probes/ssh/trusted_user_ca_probe.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "probes/common/user_db.h"
#include "probes/ssh/authorized_keys.h"
#include "probes/ssh/authorized_keys_files.h"
#include "probes/ssh/trusted_user_ca_records.h"
#include "probes/sshd/sshd_config.h"
#include "scanner/core/guest_path.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::ssh {

namespace {

constexpr RuleInfo kTrustedCa{
    "ssh.trusted_user_ca.present", Severity::kLow, "sshd accepts user certificates signed by a CA",
    "With TrustedUserCAKeys, anyone holding a certificate from one of these CAs can log in as "
    "every user its principals name (or the principals AuthorizedPrincipalsFile allows), "
    "without any authorized_keys entry: who can get in is decided by whoever controls the CA.",
    "Confirm the CA is the one your organisation operates, keep its signing key offline or in "
    "a managed service, and restrict principals with AuthorizedPrincipalsFile."};
constexpr RuleInfo kCaFileMissing{
    "ssh.trusted_user_ca.missing", Severity::kMedium,
    "TrustedUserCAKeys names a file that is not in the image",
    "sshd reads the CA file when a certificate is presented; when it is missing or unreadable, "
    "every certificate login fails, which breaks fleets that rely on certificates as the "
    "lost-authorized_keys incident broke key logins.",
    "Ship the CA public keys at the configured path, or set TrustedUserCAKeys none."};
constexpr RuleInfo kCaFileWritable{
    "ssh.trusted_user_ca.writable", Severity::kHigh,
    "The trusted CA file can be changed by other accounts",
    "sshd does not check the ownership or mode of the TrustedUserCAKeys file. Whoever can "
    "write it, or replace a directory above it, can add their own CA and log in as any user.",
    "Make the file and every directory above it owned by root and not group- or "
    "world-writable (chmod 644 / 755)."};

constexpr RuleInfo kRules[] = {kTrustedCa, kCaFileMissing, kCaFileWritable};

// One TrustedUserCAKeys file and who it applies to.
struct CaFileUse {
  SshdOrigin origin;
  bool everyone = false;        // the global value (users without an override)
  std::set<std::string> users;  // users whose Match blocks set this file
};

// The file each user's sshd would read: the global value for everyone, and the value of every
// user whose Match blocks change it. "none" (the default) reads nothing.
std::map<std::string, CaFileUse> CaFilesInUse(const SshdConfig& sshd, const UserDb& users) {
  std::map<std::string, CaFileUse> files;
  auto add = [&](const SshdSettings& settings, const User* user) {
    auto it = settings.find("TrustedUserCAKeys");
    if (it == settings.end() || it->second.values.empty()) return;
    std::string path(it->second.First());
    if (path.empty() || parse::ToLower(path) == "none") return;
    // sshd runs with "/" as its working directory: a relative path is taken from there.
    path = NormalizeGuestPath(path.starts_with('/') ? path : "/" + path);
    CaFileUse& use = files[path];
    if (use.origin.kind == SshdOrigin::Kind::kDefault)
      use.origin = it->second.values.front().origin;
    if (user == nullptr) {
      use.everyone = true;
    } else {
      use.users.insert(user->passwd.name);
    }
  };
  add(sshd.global, nullptr);
  for (const SshdUserOverride& o : UsersWithMatchOverrides(sshd, users))
    add(o.settings.settings, o.user);
  return files;
}

struct TrustedCaFact {
  std::string path;
  uint32_t line = 0;
  std::string type, fingerprint, comment, configured_at;
  uint32_t bits = 0;
  bool everyone = false;
  std::vector<std::string> users;
};

void to_json(nlohmann::json& j, const TrustedCaFact& f) {
  j = nlohmann::json{{"path", f.path},
                     {"line", f.line},
                     {"type", f.type},
                     {"bits", f.bits},
                     {"fingerprint", f.fingerprint},
                     {"comment", f.comment},
                     {"configured_at", f.configured_at},
                     {"all_users", f.everyone},
                     {"users", f.users}};
}

std::string Scope(const CaFileUse& use) {
  if (use.everyone) return "every user";
  std::string text;
  for (const auto& u : use.users) text += (text.empty() ? "" : ", ") + u;
  return text;
}

void CollectCaFile(const Target& target, const std::string& path, const CaFileUse& use,
                   Output& out) {
  Finding base;
  base.path = path;
  auto resolved = target.fs.Resolve(path);
  auto text = resolved ? target.fs.ReadFile(*resolved, target.limits.max_file_bytes)
                       : FsResult<std::string>(std::unexpected(resolved.error()));
  if (!text) {
    if (text.error().code != FsErrc::kNotFound && text.error().code != FsErrc::kNotDirectory) {
      out.Error(path, text.error().Message());
    }
    Finding f = base;
    f.title = "TrustedUserCAKeys " + path + " is missing: certificate logins fail";
    f.evidence = "configured at " + use.origin.Describe() + " for " + Scope(use) + "; " +
                 text.error().Message();
    out.Raise(kCaFileMissing, f);
    return;
  }
  if (auto bad = CheckStrictModes(target.fs, *resolved, "", 0)) {
    Finding f = base;
    f.title = "Trusted CA file " + path + " can be changed by other accounts";
    f.evidence = bad->path + ": " + bad->detail;
    out.Raise(kCaFileWritable, f);
  }
  AuthorizedKeysParse parsed = ParseAuthorizedKeys(*text);
  for (const auto& problem : parsed.problems) {
    out.Error(path, "line " + std::to_string(problem.line) + ": " + problem.message);
  }
  for (const auto& key : parsed.keys) {
    TrustedCaFact fact{path,
                       key.line,
                       std::string(key.key.label()),
                       key.key.fingerprint,
                       key.comment,
                       use.origin.Describe(),
                       key.key.bits,
                       use.everyone,
                       {use.users.begin(), use.users.end()}};
    Finding f = base;
    f.line = key.line;
    f.title = "sshd trusts user certificates from CA " + key.key.fingerprint + " for " + Scope(use);
    f.evidence = path + ":" + std::to_string(key.line) + " " + fact.type + " " +
                 key.key.fingerprint + (key.comment.empty() ? "" : " \"" + key.comment + "\"");
    out.Raise(kTrustedCa, f, key.key.fingerprint);
    out.AddFact(kTrustedUserCaRecord, path + "|" + key.key.fingerprint, fact);
  }
}

}  // namespace

std::string_view TrustedUserCaProbe::name() const { return "ssh.trusted_user_ca"; }

std::string_view TrustedUserCaProbe::description() const {
  return "Certificate authorities sshd trusts for user logins (TrustedUserCAKeys, global and per "
         "Match)";
}

std::span<const RuleInfo> TrustedUserCaProbe::rules() const { return kRules; }

std::span<const RecordKind* const> TrustedUserCaProbe::records() const {
  return kTrustedUserCaRecords;
}

void TrustedUserCaProbe::Run(const Target& target, Output& out) const {
  const SshdConfig& sshd = SshdConfigOf(target);
  if (!sshd.present) {
    out.NotApplicable("no sshd configuration");
    return;
  }
  auto files = CaFilesInUse(sshd, UsersOf(target));
  if (files.empty()) {
    out.NotApplicable("TrustedUserCAKeys is none");
    return;
  }
  for (const auto& [path, use] : files) CollectCaFile(target, path, use, out);
}

}  // namespace imageprobe::probes::ssh
