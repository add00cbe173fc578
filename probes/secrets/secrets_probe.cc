// SPDX-License-Identifier: Apache-2.0
// References: AWS CLI user guide, cli-configure-files (~/.aws/credentials, ~/.aws/config) and
// cli-configure-envvars (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE: not visible offline);
// STS GetAccessKeyInfo (AKIA/ASIA); history files: bash(1) HISTFILE (~/.bash_history),
// zshparam(1) HISTFILE (commonly ~/.zsh_history or ~/.histfile), BusyBox ash
// (~/.ash_history), ksh/mksh (~/.sh_history), fish (~/.local/share/fish/fish_history),
// mysql(1) (~/.mysql_history), psql(1) (~/.psql_history). See formats.md §5.
#include "probes/secrets/secrets_probe.h"

#include <algorithm>
#include <set>

#include "probes/common/ini.h"
#include "probes/common/optional_read.h"
#include "probes/common/user_db.h"
#include "probes/secrets/aws_credentials.h"
#include "probes/secrets/shell_history.h"

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

std::vector<RuleInfo> AllRules() {
  std::vector<RuleInfo> rules = {kLongTermKey, kTemporaryKey, kOtherSecret};
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

bool IsPlaceholderHome(std::string_view home) {
  return home.empty() || home == "/" || home == "/nonexistent" || home == "/dev/null" ||
         home == "/var/empty" || home == "/bin" || home == "/sbin" || home == "/usr/sbin" ||
         home == "/proc";
}

void ScanAwsFiles(const Target& target, const HomeDir& home, Output& out) {
  for (std::string_view name : {"credentials", "config"}) {
    std::string path = home.path + "/.aws/" + std::string(name);
    auto text = ReadOptionalFile(target, path, out);
    if (!text) continue;
    IniFile ini = ParseIni(*text);
    for (const auto& problem : ini.problems) {
      out.Error(path, "line " + std::to_string(problem.line) + ": " + problem.message);
    }
    std::vector<std::string> profile_names;
    for (const auto& section : ini.sections) {
      if (!section.name.empty()) profile_names.push_back(section.name);
    }
    auto profiles = ExtractAwsCredentials(ini);
    out.AddFact("secrets/aws_file", path,
                {{"path", path},
                 {"user", home.user},
                 {"kind", name},
                 {"sections", profile_names},
                 {"profiles_with_credentials", profiles.size()}});
    for (const auto& profile : profiles) {
      nlohmann::json data = profile;
      data["path"] = path;
      data["user"] = home.user;
      out.AddFact("secrets/aws_profile", path + "|" + profile.profile, std::move(data));
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

void ScanHistories(const Target& target, const HomeDir& home, Output& out) {
  for (std::string_view name : kHistoryFiles) {
    std::string path = home.path + "/" + std::string(name);
    bool truncated = false;
    auto text = ReadOptionalFileHead(target, path, out, &truncated);
    if (!text) continue;
    HistoryScan scan = ScanShellHistory(*text);
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& hit : scan.hits) {
      counts[std::string(hit.rule_name)] = counts.value(std::string(hit.rule_name), 0) + 1;
    }
    out.AddFact("secrets/shell_history", path,
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
          "/etc/passwd",
          "/etc/group"};
}

void SecretsProbe::Run(const Target& target, Output& out) const {
  for (const auto& home : HomesToScan(target)) {
    // A home that is missing or not a directory is common (system accounts): skip quietly.
    auto st = target.fs.Stat(home.path);
    if (!st || !st->IsDirectory()) continue;
    ScanAwsFiles(target, home, out);
    ScanHistories(target, home, out);
  }
}

}  // namespace imageprobe::probes
