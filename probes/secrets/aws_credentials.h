// SPDX-License-Identifier: Apache-2.0
// AWS shared credential/config files, read through the INI parser: which profiles hold static
// keys, of which kind, and whether the secret and session token are there. The secret values
// never leave this layer: only their presence, length and a RedactSecret form of the key id.
//
// References: AWS CLI user guide, cli-configure-files (aws_access_key_id,
// aws_secret_access_key, aws_session_token; "[profile x]" in config, "[x]" in credentials);
// STS GetAccessKeyInfo API reference ("AKIA" long-term IAM user/root keys, "ASIA" temporary STS
// keys). Other IAM id prefixes come from third-party lists only: unconfirmed.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/model.h"
#include "scanner/core/probe.h"
#include "scanner/core/record_members.h"
#include "scanner/parse/ini.h"

namespace imageprobe::probes {

enum class AwsKeyKind { kNone, kLongTerm, kTemporary, kUnrecognised };
std::string_view AwsKeyKindName(AwsKeyKind kind);  // "none", "long_term", "temporary", …

// Classifies an access key id by its documented prefix.
AwsKeyKind ClassifyAwsAccessKeyId(std::string_view key_id);

struct AwsProfileCredentials {
  std::string profile;        // section name as written: "default", "profile prod"
  uint32_t line = 0;          // of the section header (0 for keys before any header)
  std::string access_key_id;  // already redacted with RedactSecret
  AwsKeyKind key_kind = AwsKeyKind::kNone;
  bool secret_access_key_present = false;
  size_t secret_access_key_length = 0;
  bool session_token_present = false;
  uint32_t secret_line = 0;  // line of aws_secret_access_key, for evidence

  bool HoldsCredentials() const {
    return key_kind != AwsKeyKind::kNone || secret_access_key_present || session_token_present;
  }
};
void to_json(nlohmann::json& j, const AwsProfileCredentials& p);
// What that to_json writes, for the kinds that record it (record_members.h). Never the secret:
// only its presence, length and a redacted key id.
inline constexpr RecordMember kAwsProfileCredentialsMembers[] = {
    {"profile", kText,
     "the section name as written (\"default\", \"profile prod\"); empty for keys before any "
     "section"},
    {"access_key_id", kText,
     "aws_access_key_id, redacted (AKIA…0001, or **** when short); empty when absent"},
    {"key_kind", kText,
     "what the key id's prefix says: long_term (AKIA), temporary (ASIA), unrecognised or none"},
    {"secret_access_key_present", kFlag, "aws_secret_access_key is set and not empty"},
    {"secret_access_key_length", kInteger, "the secret's length in bytes; 0 when absent"},
    {"session_token_present", kFlag, "aws_session_token (or aws_security_token) is set"},
    {"key_kind_confidence", kText,
     "always \"unconfirmed\": only AKIA and ASIA are confirmed by AWS documentation; present "
     "only when key_kind is unrecognised",
     Presence::kOptional},
};

// Profiles of a parsed credentials or config file that carry any static credential. Pure.
std::vector<AwsProfileCredentials> ExtractAwsCredentials(const parse::IniFile& ini);

// The three rules every probe that finds such a file raises (each probe owns its own ids).
struct AwsCredentialRules {
  const RuleInfo& long_term;  // AKIA key with its secret
  const RuleInfo& temporary;  // ASIA key (with secret / token)
  const RuleInfo& other;      // a secret or key id that is neither of the above
};

// One finding per profile that holds credentials. `context` starts the evidence
// ("SSM agent shared credentials file"); `user` may be empty.
void RaiseAwsCredentialFindings(const std::vector<AwsProfileCredentials>& profiles,
                                const std::string& path, const std::string& user,
                                std::string_view context, const AwsCredentialRules& rules,
                                Output& out);

}  // namespace imageprobe::probes
