// SPDX-License-Identifier: Apache-2.0
// References: AWS CLI user guide, cli-configure-files (~/.aws/credentials, ~/.aws/config) and
// cli-configure-envvars (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE: not visible offline);
// STS GetAccessKeyInfo (AKIA/ASIA); history files: bash(1) HISTFILE (~/.bash_history),
// zshparam(1) HISTFILE (commonly ~/.zsh_history or ~/.histfile), BusyBox ash
// (~/.ash_history), ksh/mksh (~/.sh_history), fish (~/.local/share/fish/fish_history),
// mysql(1) (~/.mysql_history), psql(1) (~/.psql_history). See formats.md §5. Private keys:
// the ssh.keys inventory (probes/ssh/private_keys.h) matched by SHA-256 fingerprint against the
// authorized_keys files sshd would read (sshd(8) AUTHORIZED_KEYS FILE FORMAT) and against
// IdentityFile lines of ssh_config(5) files.
#include "probes/secrets/secrets_probe.h"

#include <algorithm>
#include <map>
#include <set>

#include "probes/common/optional_read.h"
#include "probes/common/user_db.h"
#include "probes/secrets/aws_credentials.h"
#include "probes/secrets/secrets_records.h"
#include "probes/secrets/shell_history.h"
#include "probes/secrets/ssh_client_config.h"
#include "probes/ssh/authorized_keys_files.h"
#include "probes/ssh/private_keys.h"
#include "scanner/core/guest_path.h"
#include "scanner/parse/ini.h"

namespace imageprobe::probes {
namespace {

constexpr RuleInfo kLongTermKey{
    "secrets.aws.long_term_key", Severity::kCritical,
    "Long-term AWS access key (AKIA) with its secret in a home directory",
    "An IAM user (or root user) key in ~/.aws is copied into every machine built from the "
    "image, and never expires.",
    "Remove the file from the image, deactivate and rotate the key in IAM, and use instance "
    "roles instead."};
constexpr RuleInfo kTemporaryKey{
    "secrets.aws.temporary_key", Severity::kHigh,
    "Temporary AWS credentials (ASIA) in a home directory",
    "STS credentials of the build machine stay valid until they expire and name the role "
    "they came from.",
    "Remove the file from the image; revoke the role's active sessions if still valid."};
constexpr RuleInfo kOtherSecret{
    "secrets.aws.secret", Severity::kHigh,
    "AWS secret access key with no recognised key id in a home directory",
    "A secret access key is present; its key id is missing or has an unrecognised prefix.",
    "Remove the file from the image and rotate whatever key it belongs to."};

constexpr RuleInfo kPrivateKeyOpensAccounts{
    "secrets.private_key.opens_accounts", Severity::kHigh,
    "Private key in the image whose public half is authorized in the same image",
    "Whoever holds the image, or any instance launched from it, holds a key that logs in to "
    "these accounts on every instance of the image (and wherever else the key is authorized). "
    "Critical when the key has no passphrase and opens root; medium when it is encrypted.",
    "Remove the private key and the matching authorized_keys lines from the image, and "
    "revoke the key wherever else it is authorized."};

std::vector<RuleInfo> AllRules() {
  std::vector<RuleInfo> rules = {kLongTermKey, kTemporaryKey, kOtherSecret,
                                 kPrivateKeyOpensAccounts};
  for (const auto& h : HistoryRules()) rules.push_back(h.rule);
  return rules;
}

constexpr std::string_view kHistoryFiles[] = {".bash_history",
                                              ".zsh_history",
                                              ".histfile",
                                              ".ash_history",
                                              ".sh_history",
                                              ".mksh_history",
                                              ".local/share/fish/fish_history",
                                              ".mysql_history",
                                              ".psql_history"};

// Findings per history file: enough to act on, bounded against a flood.
constexpr size_t kMaxHistoryFindingsPerFile = 50;

// The secrets/summary fact: what this probe found, in counts.
struct SecretsSummary {
  size_t aws_files = 0;
  size_t aws_profiles_with_credentials = 0;
  size_t shell_histories = 0;
  size_t shell_history_hits = 0;
  size_t private_keys = 0;
  size_t private_keys_unencrypted = 0;
  size_t private_keys_opening_accounts = 0;
  size_t private_keys_in_client_configs = 0;
};

void to_json(nlohmann::json& j, const SecretsSummary& s) {
  j = nlohmann::json{{"aws_files", s.aws_files},
                     {"aws_profiles_with_credentials", s.aws_profiles_with_credentials},
                     {"shell_histories", s.shell_histories},
                     {"shell_history_hits", s.shell_history_hits},
                     {"private_keys", s.private_keys},
                     {"private_keys_unencrypted", s.private_keys_unencrypted},
                     {"private_keys_opening_accounts", s.private_keys_opening_accounts},
                     {"private_keys_in_client_configs", s.private_keys_in_client_configs}};
}

bool IsPlaceholderHome(std::string_view home) {
  return home.empty() || home == "/" || home == "/nonexistent" || home == "/dev/null" ||
         home == "/var/empty" || home == "/bin" || home == "/sbin" || home == "/usr/sbin" ||
         home == "/proc";
}

void ScanAwsFiles(const Target& target, const HomeDir& home, SecretsSummary& summary, Output& out) {
  for (std::string_view name : {"credentials", "config"}) {
    std::string path = home.path + "/.aws/" + std::string(name);
    auto text = ReadOptionalFile(target, path, out);
    if (!text) continue;
    parse::IniFile ini = parse::ParseIni(*text);
    for (const auto& problem : ini.problems) {
      out.Error(path, "line " + std::to_string(problem.line) + ": " + problem.message);
    }
    std::vector<std::string> profile_names;
    for (const auto& section : ini.sections) {
      if (!section.name.empty()) profile_names.push_back(section.name);
    }
    auto profiles = ExtractAwsCredentials(ini);
    ++summary.aws_files;
    summary.aws_profiles_with_credentials += profiles.size();
    out.AddFact(kAwsFileRecord, path,
                {{"path", path},
                 {"user", home.user},
                 {"kind", name},
                 {"sections", profile_names},
                 {"profiles_with_credentials", profiles.size()}});
    for (const auto& profile : profiles) {
      nlohmann::json data = profile;
      data["path"] = path;
      data["user"] = home.user;
      out.AddFact(kAwsProfileRecord, path + "|" + profile.profile, std::move(data));
    }
    RaiseAwsCredentialFindings(profiles, path, home.user,
                               "AWS shared " + std::string(name) + " file",
                               {kLongTermKey, kTemporaryKey, kOtherSecret}, out);
  }
}

const RuleInfo* HistoryRuleInfo(std::string_view name) {
  for (const auto& h : HistoryRules()) {
    if (h.name == name) return &h.rule;
  }
  return nullptr;
}

void ScanHistories(const Target& target, const HomeDir& home, SecretsSummary& summary,
                   Output& out) {
  for (std::string_view name : kHistoryFiles) {
    std::string path = home.path + "/" + std::string(name);
    bool truncated = false;
    auto text = ReadOptionalFileHead(target, path, out, &truncated);
    if (!text) continue;
    HistoryScan scan = ScanShellHistory(*text);
    ++summary.shell_histories;
    summary.shell_history_hits += scan.hits.size();
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& hit : scan.hits) {
      counts[std::string(hit.rule_name)] = counts.value(std::string(hit.rule_name), 0) + 1;
    }
    out.AddFact(kShellHistoryRecord, path,
                {{"path", path},
                 {"user", home.user},
                 {"lines", scan.lines},
                 {"truncated", truncated},
                 {"hits", counts},
                 {"hits_dropped", scan.hits_dropped}});
    size_t raised = 0;
    std::set<std::string> seen;  // one finding per rule and secret, at its first line
    for (const auto& hit : scan.hits) {
      std::string discriminator = std::string(hit.rule_name) + "|" +
                                  (hit.redacted_secret.empty() ? hit.excerpt : hit.redacted_secret);
      if (!seen.insert(discriminator).second) continue;
      if (raised++ >= kMaxHistoryFindingsPerFile) break;
      const RuleInfo* rule = HistoryRuleInfo(hit.rule_name);
      if (rule == nullptr) continue;
      Finding f;
      f.path = path;
      f.user = home.user;
      f.line = hit.line;
      f.evidence = "line " + std::to_string(hit.line) + ": " + hit.excerpt;
      if (!hit.redacted_secret.empty()) {
        // A key id names a key without being one; everything else captured is a secret.
        f.evidence +=
            std::string(hit.rule_name == "aws_access_key_id" ? " (key id " : " (secret ") +
            hit.redacted_secret + ", " + std::to_string(hit.secret_length) + " characters)";
      }
      out.Raise(*rule, std::move(f), discriminator);
    }
  }
}

struct ClientConfigReference {
  std::string path;
  uint32_t line = 0;
  std::string block;
};

void to_json(nlohmann::json& j, const ClientConfigReference& r) {
  j = nlohmann::json{{"path", r.path}, {"line", r.line}};
  if (!r.block.empty()) j["block"] = r.block;
}

// Private key path -> the IdentityFile lines naming it, from each home's ~/.ssh/config (for
// that home's user) and the system-wide /etc/ssh/ssh_config (for every home scanned).
std::map<std::string, std::vector<ClientConfigReference>> IdentityFileReferences(
    const Target& target, const std::vector<HomeDir>& homes, Output& out) {
  std::map<std::string, std::vector<ClientConfigReference>> references;
  auto scan = [&](const std::string& path, const std::vector<const HomeDir*>& users) {
    auto text = ReadOptionalFile(target, path, out);
    if (!text) return;
    SshClientConfigParse parsed = ParseSshClientConfig(*text);
    for (const auto& problem : parsed.problems) {
      out.Error(path, "line " + std::to_string(problem.line) + ": " + problem.message);
    }
    for (const auto& entry : parsed.identity_files) {
      std::set<std::string> named;  // one reference per key file, whatever the user count
      for (const HomeDir* home : users) {
        auto expanded = ExpandIdentityFile(entry.path, home->user, home->path);
        if (!expanded || !named.insert(NormalizeGuestPath(*expanded)).second) continue;
        references[NormalizeGuestPath(*expanded)].push_back({path, entry.line, entry.block});
      }
    }
  };
  std::vector<const HomeDir*> all;
  for (const auto& home : homes) {
    all.push_back(&home);
    scan(home.path + "/.ssh/config", {&home});
  }
  scan("/etc/ssh/ssh_config", all);
  return references;
}

// The cross-reference of the private keys the ssh.keys probe finds: which accounts of this
// image each one opens (its fingerprint in an authorized_keys file sshd would read), and which
// ssh client configurations offer it.
void CrossReferencePrivateKeys(const Target& target, const std::vector<HomeDir>& homes,
                               SecretsSummary& summary, Output& out) {
  const ssh::PrivateKeyInventory& inventory = ssh::PrivateKeysOf(target);
  if (inventory.keys.empty()) return;
  std::map<std::string, std::set<std::string>> opens;  // fingerprint -> accounts
  for (const auto& user : ssh::AuthorizedKeysOf(target).users) {
    for (const auto& file : user.files) {
      if (file.refused) continue;
      for (const auto& key : file.parsed.keys) {
        // A cert-authority line accepts certificates signed by the key, not the key itself.
        if (!key.options.cert_authority) opens[key.key.fingerprint].insert(user.user);
      }
    }
  }
  auto references = IdentityFileReferences(target, homes, out);
  for (const auto& key : inventory.keys) {
    ++summary.private_keys;
    if (!key.info.encrypted) ++summary.private_keys_unencrypted;
    std::vector<std::string> accounts;
    if (!key.info.fingerprint.empty()) {
      if (auto it = opens.find(key.info.fingerprint); it != opens.end()) {
        accounts.assign(it->second.begin(), it->second.end());
      }
    }
    std::vector<ClientConfigReference> used_by;
    if (auto it = references.find(NormalizeGuestPath(key.path)); it != references.end()) {
      used_by = it->second;
    }
    if (accounts.empty() && used_by.empty()) continue;
    if (!accounts.empty()) ++summary.private_keys_opening_accounts;
    if (!used_by.empty()) ++summary.private_keys_in_client_configs;
    out.AddFact(kPrivateKeyUseRecord, key.path,
                {{"path", key.path},
                 {"user", key.owner},
                 {"fingerprint", key.info.fingerprint},
                 {"fingerprint_source", key.fingerprint_source},
                 {"encrypted", key.info.encrypted},
                 {"opens_accounts", accounts},
                 {"client_config_references", used_by}});
    if (accounts.empty()) continue;
    std::string names;
    for (const auto& a : accounts) names += (names.empty() ? "" : ", ") + a;
    bool opens_root = std::ranges::find(accounts, "root") != accounts.end();
    Severity severity = key.info.encrypted ? Severity::kMedium
                        : opens_root       ? Severity::kCritical
                                           : Severity::kHigh;
    Finding f;
    f.path = key.path;
    f.user = key.owner;
    f.title = "Private key " + key.path + " opens account" + (accounts.size() > 1 ? "s " : " ") +
              names + " of this image";
    f.evidence = key.info.fingerprint + (key.info.encrypted ? " (encrypted)" : " (no passphrase)") +
                 " is authorized for " + names;
    if (!used_by.empty()) {
      f.evidence +=
          "; offered by " + used_by.front().path + " line " + std::to_string(used_by.front().line);
    }
    out.Raise(kPrivateKeyOpensAccounts, severity, std::move(f));
  }
}

}  // namespace

std::vector<HomeDir> HomesToScan(const Target& target) {
  std::vector<HomeDir> homes;
  std::set<std::string> seen;
  auto add = [&](std::string user, std::string path) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    if (IsPlaceholderHome(path) || !path.starts_with("/")) return;
    if (seen.insert(path).second) homes.push_back({std::move(user), std::move(path)});
  };
  const UserDb& users = UsersOf(target);
  const User* root = users.Find("root");
  add("root", "/root");
  if (root) add("root", root->passwd.home);
  for (const auto& user : users.users) add(user.passwd.name, user.passwd.home);
  if (auto entries = target.fs.ListDir("/home")) {
    for (const auto& entry : *entries) {
      if (entry.stat.IsDirectory()) add("", "/home/" + entry.name);
    }
  }
  return homes;
}

std::span<const RuleInfo> SecretsProbe::rules() const {
  static const std::vector<RuleInfo> rules = AllRules();
  return rules;
}

std::vector<std::string> SecretsProbe::prefetch() const {
  return {"/root/.aws",
          "/home/*/.aws",
          "/root/.*_history",
          "/home/*/.*_history",
          "/root/.histfile",
          "/home/*/.histfile",
          "/root/.local/share/fish",
          "/home/*/.local/share/fish",
          "/root/.ssh",
          "/home/*/.ssh",
          "/etc/ssh",
          "/etc/passwd",
          "/etc/group"};
}

void SecretsProbe::Run(const Target& target, Output& out) const {
  SecretsSummary summary;
  std::vector<HomeDir> homes;
  for (auto& home : HomesToScan(target)) {
    // A home that is missing or not a directory is common (system accounts): skip quietly.
    auto st = target.fs.Stat(home.path);
    if (!st || !st->IsDirectory()) continue;
    ScanAwsFiles(target, home, summary, out);
    ScanHistories(target, home, summary, out);
    homes.push_back(std::move(home));
  }
  CrossReferencePrivateKeys(target, homes, summary, out);
  out.AddFact(kSecretsSummaryRecord, "summary", summary);
}

}  // namespace imageprobe::probes
