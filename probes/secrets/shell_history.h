// SPDX-License-Identifier: Apache-2.0
// Secrets typed on command lines and kept in shell histories. Each pattern is a named rule,
// compiled once with RE2; the scanner is pure (text in, hits out) and never returns a secret
// in clear: a hit carries the secret's RedactSecret form and an excerpt in which every secret
// found on that line is already redacted.
//
// References: bash(1) HISTFILE; zshoptions(1) EXTENDED_HISTORY (": <time>:<secs>;cmd");
// fish history file (~/.local/share/fish/fish_history, "- cmd: …"); AWS CLI
// `aws configure set` and AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN (cli-configure-envvars);
// mysql(1) "-pPASSWORD, no space"; sshpass(1) "-p password"; PostgreSQL libpq PGPASSWORD.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/model.h"

namespace imageprobe::probes {

struct HistoryRule {
  std::string_view name;     // "aws_secret_env": also the tail of the rule id
  std::string_view pattern;  // RE2, Latin-1 (one byte, one character)
  int secret_group;          // capture group holding the secret; 0: the rule has none
  RuleInfo rule;             // id "secrets.history.<name>"
};

// Every history rule, in a fixed order.
std::span<const HistoryRule> HistoryRules();

struct HistoryHit {
  std::string_view rule_name;  // points into HistoryRules()
  uint32_t line = 0;
  std::string excerpt;          // the matched command, secrets redacted, at most ~160 bytes
  std::string redacted_secret;  // RedactSecret of the secret, empty for rules without one
  size_t secret_length = 0;
};

struct HistoryScan {
  uint32_t lines = 0;
  std::vector<HistoryHit> hits;  // in line order, at most max_hits
  uint32_t hits_dropped = 0;     // beyond max_hits
};

HistoryScan ScanShellHistory(std::string_view text, size_t max_hits = 200);

}  // namespace imageprobe::probes
