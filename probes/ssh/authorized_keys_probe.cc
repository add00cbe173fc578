// SPDX-License-Identifier: Apache-2.0
// References: sshd(8) "AUTHORIZED_KEYS FILE FORMAT"; sshd_config(5) AuthorizedKeysFile,
// StrictModes; OpenSSH auth2-pubkeyfile.c, misc.c safe_path; cloud-init cloudinit/ssh_util.py
// DISABLE_USER_OPTS; packer-plugin-sdk uuid/uuid.go, multistep/commonsteps/
// step_cleanup_temp_keys.go; formats.md §4, §6b, §6c, §7.
#include "probes/ssh/authorized_keys_probe.h"

#include <re2/re2.h>

#include <ctime>
#include <map>
#include <set>

#include "probes/access/login_access.h"
#include "probes/ssh/authorized_keys_files.h"
#include "probes/ssh/authorized_keys_records.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::ssh {

namespace {

constexpr RuleInfo kStrictModes{
    "ssh.authorized_keys.strict_modes", Severity::kMedium,
    "sshd's StrictModes check refuses this authorized_keys file",
    "With StrictModes yes (the default) sshd ignores a keys file that is not owned by root or "
    "the user, or that sits in a group- or world-writable file or directory up to the home: "
    "every key in it stops working, which looks like key loss.",
    "Make the named path owned by the user (or root) and remove group/world write: chmod "
    "go-w on the file, ~/.ssh and the home directory."};
constexpr RuleInfo kWritableByOthers{
    "ssh.authorized_keys.writable_by_others", Severity::kHigh,
    "authorized_keys can be changed by other accounts and StrictModes is off",
    "With StrictModes no, sshd reads the file even though another account can write it or a "
    "directory above it: that account can add its own key and log in as this user.",
    "Fix ownership and modes of the named path, and turn StrictModes back on."};
constexpr RuleInfo kNotRegular{
    "ssh.authorized_keys.not_regular_file", Severity::kLow, "authorized_keys is not a regular file",
    "sshd only reads authorized_keys when it is a regular file; a directory, fifo or device in "
    "its place disables key login for the user.",
    "Replace it with a regular file, or remove it."};
constexpr RuleInfo kWeakKey{
    "ssh.authorized_keys.weak_key", Severity::kMedium, "Weak key authorized (DSA or RSA < 2048)",
    "DSA keys are limited to 1024 bits and disabled by default since OpenSSH 7.0; RSA keys "
    "under 2048 bits are below current recommendations.",
    "Replace the key with an Ed25519 or RSA >= 3072-bit key."};
constexpr RuleInfo kPackerKey{
    "ssh.authorized_keys.packer_key", Severity::kHigh,
    "Packer temporary build key left in authorized_keys",
    "Packer authorizes a temporary key while it builds the image and removes it only with "
    "ssh_clear_authorized_keys=true. Whoever kept the private key can log into every instance.",
    "Remove the line and set ssh_clear_authorized_keys = true in the Packer template."};
constexpr RuleInfo kRootUnrestricted{
    "ssh.authorized_keys.root_unrestricted", Severity::kMedium, "Unrestricted key for root",
    "A root key without restrict or a forced command (and without cloud-init's disable_root "
    "prefix) gives a full root shell with forwarding to whoever holds the private key.",
    "Log in as an unprivileged user and use sudo; or restrict the key (restrict,command=…)."};
constexpr RuleInfo kCertAuthority{
    "ssh.authorized_keys.cert_authority", Severity::kLow,
    "cert-authority line: any certificate from this CA is accepted",
    "A cert-authority line trusts every user certificate signed by that CA whose principals "
    "name this account (or match principals=); access is governed by the CA, not this file.",
    "Confirm the CA is yours and that its principals are restricted."};
constexpr RuleInfo kSharedKey{
    "ssh.authorized_keys.shared_key", Severity::kMedium, "One key is authorized for several users",
    "The same key opening several accounts defeats per-user accountability, and compromise of "
    "one private key opens all of them.",
    "Give each person or automation its own key."};
constexpr RuleInfo kMalformed{
    "ssh.authorized_keys.malformed_line", Severity::kLow, "authorized_keys has lines sshd skips",
    "sshd silently skips lines it cannot parse (bad options, unknown type, invalid base64): the "
    "key someone expects to work does not.",
    "Fix or remove the named lines."};
constexpr RuleInfo kSshDirWithoutKeys{
    "ssh.authorized_keys.ssh_dir_without_keys", Severity::kInfo,
    "~/.ssh exists but no authorized_keys file",
    "The user had SSH set up but has no authorized keys now: a cleanup step (Image Builder, "
    "cloud-init, Packer) may have removed them, or they were lost.",
    "Confirm the account is meant to have no key login."};

constexpr RuleInfo kRules[] = {kStrictModes, kWritableByOthers, kNotRegular,    kWeakKey,
                               kPackerKey,   kRootUnrestricted, kCertAuthority, kSharedKey,
                               kMalformed,   kSshDirWithoutKeys};

struct AuthorizedKeyFact {
  std::string user;
  std::string path;
  uint32_t line = 0;
  std::string type;
  std::string label;
  uint32_t bits = 0;
  std::string fingerprint;
  std::string comment;
  const KeyOptions* options = nullptr;
  const CertificateInfo* certificate = nullptr;
  const access::Decision* verdict = nullptr;  // sshd's, for a login with this key alone
  bool cloud_init_disable_root = false;
  std::optional<std::string> packer_build_time;
};

void to_json(nlohmann::json& j, const AuthorizedKeyFact& f) {
  j = nlohmann::json{{"user", f.user},
                     {"path", f.path},
                     {"line", f.line},
                     {"type", f.type},
                     {"label", f.label},
                     {"bits", f.bits},
                     {"fingerprint", f.fingerprint},
                     {"comment", f.comment},
                     {"options", *f.options},
                     {"accepted", f.verdict->accepted()},
                     {"verdict", access::VerdictName(f.verdict->verdict)},
                     {"reason", f.verdict->reason},
                     {"source", f.verdict->source},
                     {"cloud_init_disable_root", f.cloud_init_disable_root}};
  if (!f.verdict->restriction.empty()) j["restriction"] = f.verdict->restriction;
  if (f.certificate) j["certificate"] = *f.certificate;
  if (f.packer_build_time) j["packer_build_time"] = *f.packer_build_time;
}

struct KeysFileFact {
  const UserKeys* user;
  const KeysFile* file;
};

void to_json(nlohmann::json& j, const KeysFileFact& f) {
  j = nlohmann::json{{"user", f.user->user},
                     {"path", f.file->path},
                     {"resolved_path", f.file->resolved_path},
                     {"mode", parse::OctalMode(f.file->stat.mode)},
                     {"uid", f.file->stat.uid},
                     {"gid", f.file->stat.gid},
                     {"keys", f.file->parsed.keys.size()},
                     {"malformed_lines", f.file->parsed.problems.size()},
                     {"strict_modes", f.user->settings.strict_modes},
                     {"refused", f.file->refused}};
  if (f.file->violation) {
    j["strict_modes_failure"] = {{"kind", StrictModesFailureName(f.file->violation->failure)},
                                 {"path", f.file->violation->path},
                                 {"detail", f.file->violation->detail}};
  }
}

std::string FormatUtc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void CollectFacts(const AuthorizedKeysInventory& inv, const access::AccessInventory& verdicts,
                  Output& out) {
  static const access::Decision kUnknown = access::Decision::Refused("no verdict for this user");
  for (const auto& user : inv.users) {
    const access::UserAccess* access = verdicts.Find(user.user);
    std::set<std::string> seen;  // one fact per user|fingerprint: the first line sshd reads
    for (const auto& file : user.files) {
      out.AddFact(kAuthorizedKeysFileRecord, user.user + "|" + file.path,
                  KeysFileFact{&user, &file});
      for (const auto& key : file.parsed.keys) {
        if (!seen.insert(key.key.fingerprint).second) continue;
        const access::KeyAccess* verdict = access ? access->FindKey(key.key.fingerprint) : nullptr;
        AuthorizedKeyFact fact{
            user.user,
            file.path,
            key.line,
            std::string(key.key.type_name()),
            std::string(key.key.label()),
            key.key.bits,
            key.key.fingerprint,
            key.comment,
            &key.options,
            key.key.certificate ? &*key.key.certificate : nullptr,
            verdict ? &verdict->decision : &kUnknown,
            key.options.command && IsCloudInitDisableRootCommand(*key.options.command),
            PackerBuildTime(key.comment)};
        out.AddFact(kAuthorizedKeyRecord, user.user + "|" + key.key.fingerprint, fact);
      }
    }
  }
}

void EvaluateFile(const UserKeys& user, const KeysFile& file, Output& out) {
  Finding base;
  base.path = file.path;
  base.user = user.user;
  if (!file.stat.IsRegular()) {
    Finding f = base;
    f.title = "authorized_keys of " + user.user + " is not a regular file";
    f.evidence = file.resolved_path + " is a " + std::string(FileTypeName(file.stat.type));
    out.Raise(kNotRegular, f);
    return;
  }
  if (file.violation) {
    Finding f = base;
    f.evidence = file.violation->path + ": " + file.violation->detail;
    if (user.settings.strict_modes) {
      f.title = "sshd refuses " + file.path + " for " + user.user + " (StrictModes)";
      out.Raise(kStrictModes, f);
    } else {
      f.title = "authorized_keys of " + user.user + " can be modified by others";
      out.Raise(kWritableByOthers, f);
    }
  }
  if (!file.parsed.problems.empty()) {
    Finding f = base;
    f.line = file.parsed.problems.front().line;
    f.title = std::to_string(file.parsed.problems.size()) + " line(s) of " + file.path +
              " are skipped by sshd";
    for (size_t i = 0; i < file.parsed.problems.size() && i < 10; ++i) {
      if (i) f.evidence += "; ";
      f.evidence += "line " + std::to_string(file.parsed.problems[i].line) + ": " +
                    file.parsed.problems[i].message;
    }
    if (file.parsed.problems.size() > 10) f.evidence += "; …";
    out.Raise(kMalformed, f);
  }
  for (const auto& key : file.parsed.keys) {
    Finding f = base;
    f.line = key.line;
    std::string where = file.path + ":" + std::to_string(key.line) + " " +
                        std::string(key.key.label()) + " " + key.key.fingerprint;
    if (!key.comment.empty()) where += " \"" + key.comment + "\"";
    auto algorithm = key.key.type->algorithm;
    if (algorithm == KeyAlgorithm::kDsa ||
        (algorithm == KeyAlgorithm::kRsa && key.key.bits < 2048)) {
      f.title = std::string(key.key.label()) + " " + std::to_string(key.key.bits) +
                "-bit key authorized for " + user.user;
      f.evidence = where;
      out.Raise(kWeakKey, f, key.key.fingerprint);
    }
    if (auto when = PackerBuildTime(key.comment)) {
      f.title = "Packer temporary key for " + user.user + " from a build at " + *when;
      f.evidence = where;
      out.Raise(kPackerKey, f, key.key.fingerprint);
    }
    if (key.options.cert_authority) {
      f.title = "cert-authority key for " + user.user;
      f.evidence =
          where + (key.options.principals ? " principals=\"" + *key.options.principals + "\""
                                          : std::string(" (no principals= option)"));
      out.Raise(kCertAuthority, f, key.key.fingerprint);
    }
    if (user.uid == 0 && !file.refused && !key.options.Restricts()) {
      f.title = "Unrestricted key for " + user.user + " (uid 0)";
      f.evidence = where;
      out.Raise(kRootUnrestricted, f, key.key.fingerprint);
    }
  }
}

void Evaluate(const AuthorizedKeysInventory& inv, Output& out) {
  // fingerprint -> users (in passwd order) and the first place it was seen
  std::map<std::string, std::vector<std::string>> users_of_key;
  std::map<std::string, std::string> first_path;
  for (const auto& user : inv.users) {
    for (const auto& file : user.files) {
      EvaluateFile(user, file, out);
      for (const auto& key : file.parsed.keys) {
        auto& users = users_of_key[key.key.fingerprint];
        if (users.empty() || users.back() != user.user) {
          if (std::ranges::find(users, user.user) == users.end()) users.push_back(user.user);
        }
        first_path.emplace(key.key.fingerprint, file.path);
      }
    }
    if (user.has_ssh_dir && user.files.empty()) {
      Finding f;
      f.user = user.user;
      f.path = user.home + "/.ssh";
      f.title = user.user + " has ~/.ssh but no authorized_keys";
      f.evidence = "looked for:";
      for (const auto& p : user.settings.files) f.evidence += " " + p;
      out.Raise(kSshDirWithoutKeys, f);
    }
  }
  for (const auto& [fingerprint, users] : users_of_key) {
    if (users.size() < 2) continue;
    Finding f;
    f.path = first_path[fingerprint];
    f.title =
        "Key " + fingerprint + " is authorized for " + std::to_string(users.size()) + " users";
    f.evidence = fingerprint + " authorized for:";
    for (const auto& u : users) f.evidence += " " + u;
    out.Raise(kSharedKey, f, fingerprint);
  }
}

}  // namespace

std::string_view AuthorizedKeysProbe::name() const { return "ssh.authorized_keys"; }

std::string_view AuthorizedKeysProbe::description() const {
  return "The files AuthorizedKeysFile names for root and login users (Match applied), parsed "
         "and "
         "checked as sshd would";
}

std::span<const RuleInfo> AuthorizedKeysProbe::rules() const { return kRules; }

std::span<const RecordKind* const> AuthorizedKeysProbe::records() const {
  return kAuthorizedKeysRecords;
}

std::vector<std::string> AuthorizedKeysProbe::prefetch() const {
  return {"/etc/passwd", "/etc/group", "/root/.ssh", "/home/*/.ssh", "~/.ssh"};
}

void AuthorizedKeysProbe::Run(const Target& target, Output& out) const {
  const auto& users = UsersOf(target);
  if (!users.passwd_present) {
    out.NotApplicable("no /etc/passwd");
    return;
  }
  const auto& inv = AuthorizedKeysOf(target);
  for (const auto& d : inv.diagnostics) out.Error(d.path, d.message);
  CollectFacts(inv, access::AccessOf(target), out);
  Evaluate(inv, out);
}

std::optional<std::string> PackerBuildTime(std::string_view comment) {
  static const RE2 kPacker("packer_([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  std::string hex;
  if (!RE2::FullMatch(comment, kPacker, &hex)) return std::nullopt;
  return FormatUtc(static_cast<int64_t>(std::stoul(hex, nullptr, 16)));
}

bool IsCloudInitDisableRootCommand(std::string_view command) {
  // cloudinit/ssh_util.py DISABLE_USER_OPTS, with $USER and $DISABLE_USER filled in:
  //   echo 'Please login as the user "ubuntu" rather than the user "root".';echo;sleep 10;exit 142
  // Older releases end at "sleep 10" without the exit status.
  return command.find("Please login as the user") != std::string_view::npos &&
         command.find("rather than the user") != std::string_view::npos;
}

}  // namespace imageprobe::probes::ssh
