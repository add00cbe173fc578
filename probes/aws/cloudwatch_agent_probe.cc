// SPDX-License-Identifier: Apache-2.0
// References (github.com/aws/amazon-cloudwatch-agent @ab55b8d; details in formats.md §5):
//   tool/paths/paths_unix.go, paths.go (/opt/aws/amazon-cloudwatch-agent/etc/… file names);
//   cfg/commonconfig/commonconfig.go and the shipped common-config.toml template
//     ([credentials] shared_credential_profile / shared_credential_file, [proxy], [ssl]);
//   tool/downloader/downloader.go (amazon-cloudwatch-agent.d/ names: file_, ssm_, default).
#include "probes/aws/cloudwatch_agent_probe.h"

#include <array>
#include <optional>
#include <string>

#include "probes/aws/cloudwatch_records.h"
#include "probes/aws/content_hash.h"
#include "probes/common/optional_read.h"
#include "probes/secrets/aws_credentials.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

constexpr std::string_view kRoot = "/opt/aws/amazon-cloudwatch-agent";
constexpr std::string_view kEtc = "/opt/aws/amazon-cloudwatch-agent/etc";

constexpr RuleInfo kCredentialsLongTerm{
    "cloudwatch.credentials_file.long_term_key", Severity::kCritical,
    "Long-term AWS access key in the CloudWatch agent's credentials file",
    "common-config.toml points the agent at a shared credentials file that holds an AKIA key "
    "with its secret: every machine from this image uses, and exposes, the same IAM user key.",
    "Use an instance role (EC2) or per-host credentials provisioned at boot; deactivate and "
    "rotate the key."};
constexpr RuleInfo kCredentialsTemporary{
    "cloudwatch.credentials_file.temporary_key", Severity::kHigh,
    "Temporary AWS credentials in the CloudWatch agent's credentials file",
    "The shared credentials file named by common-config.toml holds an ASIA key of the build "
    "machine, valid until it expires.",
    "Remove the file from the image and provision credentials at boot."};
constexpr RuleInfo kCredentialsOther{
    "cloudwatch.credentials_file.secret", Severity::kHigh,
    "AWS secret in the CloudWatch agent's credentials file",
    "The shared credentials file named by common-config.toml holds a secret access key with no "
    "recognised key id.",
    "Remove the file from the image and provision credentials at boot."};
constexpr RuleInfo kOidcToken{
    "cloudwatch.oidc_token.present", Severity::kMedium,
    "CloudWatch agent OIDC token file in the image",
    "etc/.oidc-token is a bearer token the agent exchanges for AWS credentials; a token baked "
    "into an image is shared by every clone.",
    "Remove the token before capturing the image and provision it per host."};
constexpr RuleInfo kProxyCredentials{
    "cloudwatch.proxy.credentials", Severity::kMedium,
    "Proxy password in the CloudWatch agent's common-config.toml",
    "A proxy URL with user:password@ puts a reusable password in the image.",
    "Provision proxy credentials at boot, or use a proxy that does not need them."};

constexpr std::array kRules = {kCredentialsLongTerm, kCredentialsTemporary, kCredentialsOther,
                               kOidcToken, kProxyCredentials};

// What `fetch-config` names files under amazon-cloudwatch-agent.d/ after.
std::string DropInOrigin(std::string_view name) {
  if (name.ends_with(".tmp")) return "incomplete download";
  if (name.starts_with("file_")) return "file";
  if (name.starts_with("ssm_")) return "ssm parameter";
  if (name == "default" || name.starts_with("default_")) return "default";
  return "unknown";
}

void AddConfigFileFact(const Target& target, const std::string& path, std::string_view kind,
                       bool hash, Output& out) {
  auto st = target.fs.Stat(path);
  if (!st) {
    if (st.error().code != FsErrc::kNotFound) out.Error(path, st.error().Message());
    return;
  }
  nlohmann::json data = {{"path", path},
                         {"kind", kind},
                         {"size", st->size},
                         {"mode", parse::OctalMode(st->mode)},
                         {"mtime_utc", FormatUtc(st->mtime)}};
  if (hash && st->IsRegular()) {
    if (auto text = ReadOptionalFile(target, path, out)) data["sha256"] = Sha256Hex(*text);
  }
  out.AddFact(kCloudWatchConfigFileRecord, path, std::move(data));
}

// The agent's own configuration files, fetched drop-ins included, and the OIDC token.
void InventoryConfigFiles(const Target& target, Output& out) {
  const std::string etc(kEtc);
  for (auto [name, kind] : {std::pair{"amazon-cloudwatch-agent.json", "json config"},
                            std::pair{"amazon-cloudwatch-agent.toml", "translated toml config"},
                            std::pair{"amazon-cloudwatch-agent.yaml", "otel yaml config"},
                            std::pair{"env-config.json", "environment config"},
                            std::pair{"common-config.toml", "common config"}}) {
    AddConfigFileFact(target, etc + "/" + name, kind, true, out);
  }
  // The token is a credential: its presence and size only, no hash of it.
  std::string token = etc + "/.oidc-token";
  if (auto st = target.fs.Stat(token); st && st->IsRegular()) {
    AddConfigFileFact(target, token, "oidc token", false, out);
    Finding f;
    f.path = token;
    f.evidence = "token file present (" + std::to_string(st->size) + " bytes)";
    out.Raise(kOidcToken, std::move(f));
  }
  std::string dropins = etc + "/amazon-cloudwatch-agent.d";
  if (auto entries = target.fs.ListDir(dropins)) {
    for (const auto& entry : *entries) {
      if (entry.stat.IsDirectory()) continue;
      AddConfigFileFact(target, dropins + "/" + entry.name,
                        "fetched config (" + DropInOrigin(entry.name) + ")", true, out);
    }
  } else if (entries.error().code != FsErrc::kNotFound) {
    out.Error(dropins, entries.error().Message());
  }
}

// common-config.toml parsed (its fact added, a proxy password raised); nullopt when absent.
std::optional<CloudWatchCommonConfig> ReadCommonConfig(const Target& target,
                                                       const std::string& path, Output& out) {
  auto text = ReadOptionalFile(target, path, out);
  if (!text) return std::nullopt;
  CloudWatchCommonConfig common = ParseCloudWatchCommonConfig(*text);
  for (const auto& problem : common.problems) {
    out.Error(path, "line " + std::to_string(problem.line) + ": " + problem.message);
  }
  nlohmann::json data = common;
  data["path"] = path;
  out.AddFact(kCloudWatchCommonConfigRecord, path, std::move(data));
  if (common.proxy_has_credentials) {
    Finding f;
    f.path = path;
    f.evidence = "[proxy] http_proxy " + common.http_proxy + ", https_proxy " + common.https_proxy;
    out.Raise(kProxyCredentials, std::move(f));
  }
  return common;
}

// The shared credentials file common-config.toml names: whether it is there, its profiles,
// and a finding per AWS key it holds.
void CheckSharedCredentialsFile(const Target& target, const CloudWatchCommonConfig& common,
                                const std::string& common_path, Output& out) {
  const std::string& credentials = common.shared_credential_file;
  if (credentials.empty()) return;
  nlohmann::json ref = {{"path", credentials},
                        {"referenced_by", common_path},
                        {"profile", common.shared_credential_profile}};
  if (!credentials.starts_with("/")) {
    // "~" or a relative path depends on the agent's run-as user and working directory.
    ref["exists"] = nullptr;
    ref["note"] = "not an absolute path; not resolved";
    out.AddFact(kCloudWatchCredentialsFileRecord, credentials, std::move(ref));
    return;
  }
  auto creds_text = ReadOptionalFile(target, credentials, out);
  // There but unreadable (its error is recorded) is not "missing": the agent may well read it.
  ref["exists"] = creds_text.has_value() || EntryExists(target.fs, credentials);
  if (!creds_text) {
    out.AddFact(kCloudWatchCredentialsFileRecord, credentials, std::move(ref));
    return;
  }
  parse::IniFile ini = parse::ParseIni(*creds_text);
  for (const auto& problem : ini.problems) {
    out.Error(credentials, "line " + std::to_string(problem.line) + ": " + problem.message);
  }
  auto profiles = ExtractAwsCredentials(ini);
  ref["profiles"] = profiles;
  out.AddFact(kCloudWatchCredentialsFileRecord, credentials, std::move(ref));
  RaiseAwsCredentialFindings(profiles, credentials, "",
                             "CloudWatch agent credentials file (from " + common_path + ")",
                             {kCredentialsLongTerm, kCredentialsTemporary, kCredentialsOther}, out);
}

}  // namespace

std::span<const RuleInfo> CloudWatchAgentProbe::rules() const { return kRules; }

std::vector<std::string> CloudWatchAgentProbe::prefetch() const {
  return {"/opt/aws/amazon-cloudwatch-agent/etc", "/opt/aws/amazon-cloudwatch-agent/bin"};
}

void CloudWatchAgentProbe::Run(const Target& target, Output& out) const {
  auto root = target.fs.Stat(kRoot);
  if (!root || !root->IsDirectory()) {
    out.NotApplicable("no /opt/aws/amazon-cloudwatch-agent");
    return;
  }
  out.AddFact(kCloudWatchAgentRecord, "agent",
              {{"root", kRoot},
               {"ctl_present",
                EntryExists(target.fs, std::string(kRoot) + "/bin/amazon-cloudwatch-agent-ctl")}});
  InventoryConfigFiles(target, out);
  const std::string common_path = std::string(kEtc) + "/common-config.toml";
  if (auto common = ReadCommonConfig(target, common_path, out)) {
    CheckSharedCredentialsFile(target, *common, common_path, out);
  }
}

}  // namespace imageprobe::probes
