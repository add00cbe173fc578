// SPDX-License-Identifier: Apache-2.0
// References: see shell_history.h.
#include "probes/secrets/shell_history.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <memory>

#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

constexpr std::string_view kRotate =
    "Treat the secret as exposed: rotate it, then remove the history file from the image "
    "(and build with HISTFILE=/dev/null or `unset HISTFILE`).";

// A value that starts with "$" is a variable or command substitution, not the secret itself.
constexpr std::array kRules = {
    HistoryRule{
        "aws_configure_set",
        R"((?i)\baws\s+configure\s+set\s+(?:--profile\s+\S+\s+)?(?:[\w-]+\.)?(aws_secret_access_key|aws_session_token)\s+['"]?([^\s'"$;&|]+))",
        2,
        {"secrets.history.aws_configure_set", Severity::kCritical,
         "AWS secret set with `aws configure set` in a shell history",
         "The secret access key or session token is in the history file in clear.", kRotate}},
    HistoryRule{"aws_configure",
                R"(\baws\s+configure(?:\s+--profile\s+\S+)?\s*(?:$|[;&|]))",
                0,
                {"secrets.history.aws_configure", Severity::kLow,
                 "`aws configure` was run interactively on the build machine",
                 "The command itself holds no secret, but it wrote keys to that user's "
                 "~/.aws/credentials, which may still be in the image.",
                 "Check the user's ~/.aws/credentials and remove the history file."}},
    HistoryRule{"aws_secret_env",
                R"(\b(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)\s*=\s*['"]?([^\s'"$;&|]+))",
                2,
                {"secrets.history.aws_secret_env", Severity::kCritical,
                 "AWS secret assigned to an environment variable in a shell history",
                 "`export AWS_SECRET_ACCESS_KEY=…` (or a one-off assignment) keeps the secret "
                 "in clear in the history file.",
                 kRotate}},
    HistoryRule{
        "aws_secret_set",
        R"(\b(?:set\s+(?:-[a-zA-Z]+\s+)*|setenv\s+)(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)\s+['"]?([^\s'"$;&|]+))",
        2,
        {"secrets.history.aws_secret_set", Severity::kCritical,
         "AWS secret set with fish `set -x` or csh `setenv` in a shell history",
         "The secret access key or session token is in the history file in clear.", kRotate}},
    HistoryRule{"aws_access_key_id",
                R"(\b((?:AKIA|ASIA)[A-Z0-9]{16})\b)",
                1,
                {"secrets.history.aws_access_key_id", Severity::kMedium,
                 "AWS access key id in a shell history",
                 "A key id alone cannot sign requests, but it names the IAM user or session "
                 "and usually travels with its secret.",
                 "Find where the matching secret went; rotate the key if it was exposed."}},
    HistoryRule{
        "mysql_password",
        R"(\bmysql(?:dump|admin|import|check|sh)?\s(?:[^|;&]*\s)?-p([^\s'"$|;&][^\s|;&]*))",
        1,
        {"secrets.history.mysql_password", Severity::kHigh,
         "MySQL password on a command line in a shell history",
         "`mysql -pPASSWORD` keeps the database password in clear in the history file.", kRotate}},
    HistoryRule{"password_option",
                R"((?:^|\s)--password(?:=|\s+)['"]?([^\s'"$][^\s'"]*))",
                1,
                {"secrets.history.password_option", Severity::kHigh,
                 "Password passed with --password in a shell history",
                 "A password given as a command-line option is kept in clear in the history "
                 "file (and visible to other users in the process list while it runs).",
                 kRotate}},
    HistoryRule{
        "sshpass",
        R"(\bsshpass\b[^|;&]*?\s-p\s*['"]?([^\s'"$]+))",
        1,
        {"secrets.history.sshpass", Severity::kHigh,
         "SSH password given to sshpass -p in a shell history",
         "`sshpass -p PASSWORD` keeps an SSH password in clear in the history file.", kRotate}},
    HistoryRule{
        "pgpassword",
        R"(\bPGPASSWORD\s*=\s*['"]?([^\s'"$;&|]+))",
        1,
        {"secrets.history.pgpassword", Severity::kHigh,
         "PostgreSQL password in PGPASSWORD in a shell history",
         "PGPASSWORD=… keeps the database password in clear in the history file.", kRotate}},
    HistoryRule{
        "url_credentials",
        R"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@'"]+:([^/\s@'"$]+)@)",
        1,
        {"secrets.history.url_credentials", Severity::kHigh,
         "Password inside a URL in a shell history",
         "scheme://user:password@host keeps the password in clear in the history file.", kRotate}},
    HistoryRule{"sql_identified_by",
                R"((?i)identified(?:\s|\\040)+by(?:\s|\\040)+'([^']+)')",
                1,
                {"secrets.history.sql_identified_by", Severity::kHigh,
                 "SQL password (IDENTIFIED BY '…') in a client history",
                 "CREATE/ALTER USER … IDENTIFIED BY (spaces saved as \\040 by mysql) keeps a "
                 "database password in clear in the "
                 "history file.",
                 kRotate}},
};

struct Compiled {
  const HistoryRule* rule;
  std::unique_ptr<RE2> re;
};

const std::vector<Compiled>& CompiledRules() {
  static const std::vector<Compiled> compiled = [] {
    RE2::Options options;
    // One byte, one character: invalid UTF-8 in a history must not change what matches.
    options.set_encoding(RE2::Options::EncodingLatin1);
    options.set_log_errors(false);
    std::vector<Compiled> out;
    for (const auto& rule : kRules) {
      out.push_back({&rule, std::make_unique<RE2>(rule.pattern, options)});
    }
    return out;
  }();
  return compiled;
}

struct Match {
  const HistoryRule* rule;
  size_t begin, end;                // whole match, within the line
  size_t secret_begin, secret_end;  // secret span; equal when none
};

constexpr size_t kMaxExcerpt = 160;

// The match with every secret span on the line replaced by its redacted form.
std::string Excerpt(std::string_view line, const Match& m, const std::vector<Match>& all) {
  std::string out;
  size_t pos = m.begin;
  std::vector<std::pair<size_t, size_t>> spans;
  for (const auto& other : all) {
    if (other.secret_end > other.secret_begin)
      spans.emplace_back(other.secret_begin, other.secret_end);
  }
  std::ranges::sort(spans);
  for (auto [b, e] : spans) {
    if (e <= pos || b >= m.end) continue;
    b = std::max(b, pos);
    if (b > pos) out.append(line.substr(pos, b - pos));
    // Overlapping spans (two rules on one secret) redact the union, never reveal between.
    size_t stop = std::min(e, m.end);
    out += RedactSecret(line.substr(b, stop - b));
    pos = stop;
  }
  if (pos < m.end) out.append(line.substr(pos, m.end - pos));
  // Rules anchored on "(^|\s)" include the separator; an excerpt starts at the command text.
  while (!out.empty() && (out.front() == ' ' || out.front() == '\t')) out.erase(0, 1);
  if (out.size() > kMaxExcerpt) out = out.substr(0, kMaxExcerpt) + "…";
  return out;
}

}  // namespace

std::span<const HistoryRule> HistoryRules() { return kRules; }

HistoryScan ScanShellHistory(std::string_view text, size_t max_hits) {
  HistoryScan scan;
  const auto& rules = CompiledRules();
  std::vector<Match> matches;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    scan.lines = number;
    matches.clear();
    for (const auto& compiled : rules) {
      if (!compiled.re->ok()) continue;
      const int groups = compiled.re->NumberOfCapturingGroups();
      std::vector<re2::StringPiece> captured(groups + 1);
      re2::StringPiece input(line.data(), line.size());
      size_t start = 0;
      while (start <= line.size() && compiled.re->Match(input, start, line.size(), RE2::UNANCHORED,
                                                        captured.data(), groups + 1)) {
        Match m{compiled.rule, static_cast<size_t>(captured[0].data() - line.data()), 0, 0, 0};
        m.end = m.begin + captured[0].size();
        int g = compiled.rule->secret_group;
        if (g > 0 && g <= groups && captured[g].data() != nullptr) {
          m.secret_begin = static_cast<size_t>(captured[g].data() - line.data());
          m.secret_end = m.secret_begin + captured[g].size();
        }
        matches.push_back(m);
        start = std::max(m.end, m.begin + 1);
      }
    }
    for (const auto& m : matches) {
      if (scan.hits.size() >= max_hits) {
        ++scan.hits_dropped;
        continue;
      }
      HistoryHit hit;
      hit.rule_name = m.rule->name;
      hit.line = number;
      hit.excerpt = Excerpt(line, m, matches);
      if (m.secret_end > m.secret_begin) {
        hit.secret_length = m.secret_end - m.secret_begin;
        hit.redacted_secret = RedactSecret(line.substr(m.secret_begin, hit.secret_length));
      }
      scan.hits.push_back(std::move(hit));
    }
  });
  return scan;
}

}  // namespace imageprobe::probes
