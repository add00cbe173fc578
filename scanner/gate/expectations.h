// SPDX-License-Identifier: Apache-2.0
// Expectations: what an image must contain and must not, stated in a JSON file (`scan --expect`,
// format in docs/gating.md), checked against a report's facts. Each unmet expectation becomes an
// `expect.*` finding (high) naming what was expected and what was found. Parsing and evaluation
// are pure functions, so a saved report can be checked as well as a fresh scan.
#pragma once

#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scanner/core/model.h"
#include "scanner/core/probe.h"
#include "scanner/core/record_catalog.h"
#include "scanner/core/report.h"

namespace imageprobe::gate {

inline constexpr int kExpectationsVersion = 1;

// Each field, when set, must equal the user's sudo rights as the users probe saw them.
struct SudoExpectation {
  std::optional<bool> any;           // at least one sudoers rule applies to the user
  std::optional<bool> all_commands;  // may run every command as root
  std::optional<bool> nopasswd;      // some rule needs no password
  std::optional<bool> nopasswd_all;  // every command without a password
  bool empty() const { return !any && !all_commands && !nopasswd && !nopasswd_all; }
};

// An sshd setting by keyword (any case) and the effective value it must have.
struct SshdExpectation {
  std::string keyword;
  std::string value;
};

struct UserExpectation {
  std::string name;
  bool exists = true;
  std::vector<std::string> authorized_keys;  // "SHA256:…" fingerprints that must stay accepted
  SudoExpectation sudo;
  std::vector<SshdExpectation> sshd;  // effective for this user (Match blocks applied)
};

struct Expectations {
  std::vector<UserExpectation> users;
  std::vector<SshdExpectation> sshd;  // global effective settings
  std::vector<std::string> paths_present;
  std::vector<std::string> paths_absent;

  // Every path named, present or absent: what the path probe must look at.
  std::vector<std::string> Paths() const;
};

// Parses an expectations document. On error: one line saying where and why
// ("users.deploy.sudo.nopasswd: expected true or false").
std::expected<Expectations, std::string> ParseExpectations(std::string_view json_text);

// The expect.* rules, for `imageprobe rules` and the profile table check.
std::span<const RuleInfo> ExpectationRules();

// Checks one root's facts (and which probes ran on it). Raises expect.* findings into `out`.
// `catalog` says which kinds hold the roles the checks read (accounts, keys, sshd settings…).
void EvaluateExpectations(const Expectations& expected, const RootReport& root,
                          const RecordCatalog& catalog, Output& out);

// Evaluates the whole report and adds the findings to it: each root with a detected OS is a
// system that must meet the expectations; when no root has one (a bare filesystem, a partial
// tree), the facts of all roots are checked together and the findings go to the first root.
void ApplyExpectations(const Expectations& expected, const RecordCatalog& catalog, Report& report);

}  // namespace imageprobe::gate
