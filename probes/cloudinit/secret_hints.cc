// SPDX-License-Identifier: Apache-2.0
// References: AWS STS GetAccessKeyInfo (AKIA long-term, ASIA temporary key ids) and the AWS
// CLI credentials file keys (../shared/reference/formats.md §5); RFC 7468 PEM labels and
// OpenSSH's "OPENSSH PRIVATE KEY" armour; cloud-init cc_set_passwords / users keys (passwd,
// hashed_passwd, plain_text_passwd, chpasswd).
#include "probes/cloudinit/secret_hints.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>

#include "probes/secrets/shell_history.h"
#include "scanner/core/model.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

struct Pattern {
  std::string_view kind;
  const RE2* regex;  // group 1: the key name (may be empty), group 2: the secret
};

const std::array<Pattern, 5>& Patterns() {
  static const RE2 kAccessKeyId(R"(()\b((?:AKIA|ASIA)[A-Z0-9]{16})\b)");
  static const RE2 kSecretKey(
      R"((?i)(aws_secret_access_key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40}))");
  // For PEM keys the "secret" reported is the armour's type, never key material.
  static const RE2 kPrivateKey(
      R"(()-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY)-----)");
  static const RE2 kPassword(
      R"((?i)\b([a-z_]*passw(?:or)?d|pass)["']?\s*[:=]\s*["']?([^\s"',}]{1,200}))");
  static const RE2 kToken(
      R"((?i)\b([a-z_]*(?:token|api_?key|secret))["']?\s*[:=]\s*["']?([A-Za-z0-9._~+/=\-]{8,}))");
  static const std::array<Pattern, 5> kPatterns = {{
      {"aws_access_key_id", &kAccessKeyId},
      {"aws_secret_access_key", &kSecretKey},
      {"private_key", &kPrivateKey},
      {"password", &kPassword},
      {"token", &kToken},
  }};
  return kPatterns;
}

// Matches that name a setting rather than hold a secret: "lock_passwd: true", "ssh_pwauth",
// a locked hash "!", and values other patterns already report.
bool IsNoise(std::string_view kind, std::string_view key, std::string_view value) {
  std::string lowered_key = parse::ToLower(key);
  std::string lowered_value = parse::ToLower(value);
  static constexpr std::string_view kNotSecrets[] = {"true", "false", "yes", "no", "null",
                                                     "none", "~",     "*",   "!",  "!!"};
  for (auto word : kNotSecrets) {
    if (lowered_value == word) return true;
  }
  if (kind == "password") {
    // sudoers tags in sudo rules: "ALL=(ALL) NOPASSWD:ALL", "PASSWD: /usr/bin/x".
    bool sudo_tag = lowered_key == "nopasswd" || (lowered_key == "passwd" && value.size() &&
                                                  (value[0] == '/' || value.starts_with("ALL")));
    return sudo_tag || lowered_key == "lock_passwd" || lowered_key == "ssh_pwauth";
  }
  if (kind == "token") return lowered_key.find("aws_secret_access_key") != std::string::npos;
  return false;
}

uint32_t LineAt(std::string_view text, const char* where) {
  return static_cast<uint32_t>(std::count(text.data(), where, '\n')) + 1;
}

}  // namespace

void to_json(nlohmann::json& j, const SecretHint& hint) {
  j = nlohmann::json{{"kind", hint.kind},
                     {"count", hint.count},
                     {"first_line", hint.first_line},
                     {"sample", hint.redacted}};
}

std::vector<SecretHint> FindSecretHints(std::string_view text) {
  std::vector<SecretHint> hints;
  for (const auto& pattern : Patterns()) {
    SecretHint hint;
    hint.kind = std::string(pattern.kind);
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece key;
    re2::StringPiece match;
    while (RE2::FindAndConsume(&input, *pattern.regex, &key, &match)) {
      if (match.empty()) break;  // cannot happen with these patterns; guards an endless loop
      if (IsNoise(pattern.kind, std::string_view(key.data(), key.size()),
                  std::string_view(match.data(), match.size()))) {
        continue;
      }
      if (hint.count++ == 0) {
        hint.first_line = LineAt(text, match.data());
        std::string_view value(match.data(), match.size());
        hint.redacted = pattern.kind == "private_key" ? std::string(value) : RedactSecret(value);
      }
    }
    if (hint.count > 0) hints.push_back(std::move(hint));
  }
  return hints;
}

std::string RedactSecretsInText(std::string_view text) {
  std::vector<std::pair<size_t, size_t>> spans;  // [begin, end) of each secret value
  for (const auto& pattern : Patterns()) {
    if (pattern.kind == "private_key") continue;
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece key;
    re2::StringPiece match;
    while (RE2::FindAndConsume(&input, *pattern.regex, &key, &match)) {
      if (match.empty()) break;
      if (IsNoise(pattern.kind, std::string_view(key.data(), key.size()),
                  std::string_view(match.data(), match.size()))) {
        continue;
      }
      size_t begin = static_cast<size_t>(match.data() - text.data());
      spans.emplace_back(begin, begin + match.size());
    }
  }
  // The secrets probe's command-line rules too (a password inside a URL, --password=…,
  // PGPASSWORD=…): a config file can hold what a history does. They are line patterns.
  static const std::vector<std::pair<const HistoryRule*, std::unique_ptr<RE2>>> history = [] {
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    options.set_log_errors(false);
    std::vector<std::pair<const HistoryRule*, std::unique_ptr<RE2>>> out;
    for (const HistoryRule& rule : HistoryRules()) {
      if (rule.secret_group > 0)
        out.emplace_back(&rule, std::make_unique<RE2>(rule.pattern, options));
    }
    return out;
  }();
  for (size_t line_begin = 0; line_begin < text.size();) {
    size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    re2::StringPiece line(text.data() + line_begin, line_end - line_begin);
    for (const auto& [rule, re] : history) {
      std::array<re2::StringPiece, 4> groups;
      int n = rule->secret_group + 1;
      if (n > static_cast<int>(groups.size())) continue;
      for (size_t at = 0; at < line.size() &&
                          re->Match(line, at, line.size(), RE2::UNANCHORED, groups.data(), n);) {
        const re2::StringPiece& secret = groups[static_cast<size_t>(rule->secret_group)];
        size_t whole_end = static_cast<size_t>(groups[0].data() + groups[0].size() - line.data());
        if (!secret.empty()) {
          size_t begin = static_cast<size_t>(secret.data() - text.data());
          spans.emplace_back(begin, begin + secret.size());
        }
        at = std::max(whole_end, at + 1);
      }
    }
    line_begin = line_end + 1;
  }
  std::ranges::sort(spans);
  std::string out;
  out.reserve(text.size());
  size_t done = 0;
  for (size_t i = 0; i < spans.size();) {
    size_t begin = spans[i].first, end = spans[i].second;
    // Overlapping matches of two patterns are one secret.
    for (++i; i < spans.size() && spans[i].first < end; ++i) end = std::max(end, spans[i].second);
    begin = std::max(begin, done);
    out.append(text.substr(done, begin - done));
    out += RedactSecret(text.substr(begin, end - begin));
    done = end;
  }
  out.append(text.substr(done));
  return out;
}

}  // namespace imageprobe::probes
