// SPDX-License-Identifier: Apache-2.0
// References: see aws_credentials.h.
#include "probes/secrets/aws_credentials.h"

#include "scanner/parse/text.h"

namespace imageprobe::probes {

std::string_view AwsKeyKindName(AwsKeyKind kind) {
  switch (kind) {
    case AwsKeyKind::kNone:
      return "none";
    case AwsKeyKind::kLongTerm:
      return "long_term";
    case AwsKeyKind::kTemporary:
      return "temporary";
    case AwsKeyKind::kUnrecognised:
      return "unrecognised";
  }
  return "none";
}

AwsKeyKind ClassifyAwsAccessKeyId(std::string_view key_id) {
  if (key_id.empty()) return AwsKeyKind::kNone;
  if (key_id.starts_with("AKIA")) return AwsKeyKind::kLongTerm;
  if (key_id.starts_with("ASIA")) return AwsKeyKind::kTemporary;
  return AwsKeyKind::kUnrecognised;
}

void to_json(nlohmann::json& j, const AwsProfileCredentials& p) {
  j = {{"profile", p.profile},
       {"access_key_id", p.access_key_id},
       {"key_kind", AwsKeyKindName(p.key_kind)},
       {"secret_access_key_present", p.secret_access_key_present},
       {"secret_access_key_length", p.secret_access_key_length},
       {"session_token_present", p.session_token_present}};
  if (p.key_kind == AwsKeyKind::kUnrecognised) {
    // Only AKIA and ASIA are confirmed against AWS documentation (formats.md §5).
    j["key_kind_confidence"] = "unconfirmed";
  }
}

std::vector<AwsProfileCredentials> ExtractAwsCredentials(const parse::IniFile& ini) {
  std::vector<AwsProfileCredentials> profiles;
  for (const auto& section : ini.sections) {
    AwsProfileCredentials p;
    p.profile = section.name;
    p.line = section.line;
    if (const parse::IniEntry* id = section.Find("aws_access_key_id")) {
      auto value = parse::UnquoteIniValue(id->value).value_or(id->value);
      p.key_kind = ClassifyAwsAccessKeyId(value);
      p.access_key_id = RedactSecret(value);
    }
    if (const parse::IniEntry* secret = section.Find("aws_secret_access_key")) {
      auto value = parse::UnquoteIniValue(secret->value).value_or(secret->value);
      p.secret_access_key_present = !value.empty();
      p.secret_access_key_length = value.size();
      p.secret_line = secret->line;
    }
    if (const parse::IniEntry* token = section.Find("aws_session_token")) {
      p.session_token_present = !parse::TrimWhitespace(token->value).empty();
    }
    // Older SDKs also read "aws_security_token"; treat it the same.
    if (const parse::IniEntry* token = section.Find("aws_security_token")) {
      p.session_token_present |= !parse::TrimWhitespace(token->value).empty();
    }
    if (p.HoldsCredentials()) profiles.push_back(std::move(p));
  }
  return profiles;
}

void RaiseAwsCredentialFindings(const std::vector<AwsProfileCredentials>& profiles,
                                const std::string& path, const std::string& user,
                                std::string_view context, const AwsCredentialRules& rules,
                                Output& out) {
  for (const auto& p : profiles) {
    std::string profile = p.profile.empty() ? "(no section)" : "[" + p.profile + "]";
    std::string evidence = std::string(context) + " " + path + " " + profile + ": ";
    evidence +=
        p.access_key_id.empty() ? "no aws_access_key_id" : "aws_access_key_id " + p.access_key_id;
    evidence += p.secret_access_key_present
                    ? ", aws_secret_access_key present (" +
                          std::to_string(p.secret_access_key_length) + " characters)"
                    : ", no aws_secret_access_key";
    if (p.session_token_present) evidence += ", aws_session_token present";

    Finding finding;
    finding.path = path;
    finding.user = user;
    finding.line = p.secret_line ? p.secret_line : p.line;
    finding.evidence = std::move(evidence);
    const RuleInfo* rule = &rules.other;
    if (p.key_kind == AwsKeyKind::kLongTerm) rule = &rules.long_term;
    if (p.key_kind == AwsKeyKind::kTemporary) rule = &rules.temporary;
    // A key id without its secret cannot sign anything: keep it visible, but lower.
    bool usable = p.secret_access_key_present;
    finding.title = std::string(rule->title) + " (" + profile + ")";
    std::string discriminator = p.profile + "|" + p.access_key_id;
    if (usable) {
      out.Raise(*rule, std::move(finding), discriminator);
    } else {
      out.Raise(*rule, Severity::kLow, std::move(finding), discriminator);
    }
  }
}

}  // namespace imageprobe::probes
