// SPDX-License-Identifier: Apache-2.0
// EvaluateExpectations: facts -> expect.* findings. Reads only the facts other probes recorded,
// through the kinds that hold the roles it checks (scanner/core/record_kind.h): accounts,
// authorized keys, sshd settings (global and per user), path presence (the path probe `scan
// --expect` adds). When the probe that would have recorded a fact did not run or failed, the
// expectation is not judged met or unmet: it raises expect.unverifiable, so a narrowed or broken
// scan never passes a gate by having looked at nothing.
#include "scanner/gate/expectations.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "scanner/core/runner.h"
#include "scanner/parse/text.h"

namespace imageprobe::gate {

namespace {

constexpr RuleInfo kUserMissing{
    "expect.user.missing", Severity::kHigh, "an expected user does not exist",
    "The expectations file requires this account (to deploy, operate or audit the image); "
    "without it, whatever depends on it fails on every instance.",
    "Restore the account in the image build, or update the expectations if it was retired."};
constexpr RuleInfo kUserUnexpected{
    "expect.user.unexpected", Severity::kHigh, "a user that must not exist is present",
    "The expectations file forbids this account (a build or vendor account, a leaver).",
    "Remove the account in the image build (userdel, and its home and keys)."};
constexpr RuleInfo kKeyMissing{
    "expect.authorized_key.missing", Severity::kHigh,
    "an expected SSH key no longer authorizes its user",
    "Whoever holds this key (a deploy pipeline, an operator) cannot log in to instances launched "
    "from the image; this is how an AMI that lost its deploy keys reaches production.",
    "Restore the key in the user's authorized_keys (and the file's ownership and modes), or "
    "update the expectations if the key was rotated."};
constexpr RuleInfo kSudoMismatch{
    "expect.sudo.mismatch", Severity::kHigh, "a user's sudo rights differ from the expected",
    "Missing rights break automation that runs as this user; extra rights (NOPASSWD, ALL) give "
    "whoever holds its key root.",
    "Fix the sudoers rule for the user in the image build, or update the expectations."};
constexpr RuleInfo kSshdMismatch{
    "expect.sshd.mismatch", Severity::kHigh, "an effective sshd setting differs from the expected",
    "The effective configuration (Include files, Match blocks, defaults applied) is what sshd "
    "enforces; a drifted setting changes who can log in and how.",
    "Set the keyword in sshd_config (mind Include order: the first value wins), or update the "
    "expectations."};
constexpr RuleInfo kPathMissing{
    "expect.path.missing", Severity::kHigh, "a path that must be present is absent",
    "The expectations file requires this file or directory in the image.",
    "Restore the path in the image build, or update the expectations."};
constexpr RuleInfo kPathUnexpected{
    "expect.path.unexpected", Severity::kHigh, "a path that must be absent is present",
    "The expectations file forbids this path (a build leftover, a history, a key).",
    "Remove the path in the image build's cleanup step."};
constexpr RuleInfo kUnverifiable{
    "expect.unverifiable", Severity::kHigh, "an expectation could not be checked",
    "The probe that records the facts this expectation needs did not run or failed, so the "
    "image is neither known to meet it nor known to break it.",
    "Run the scan with that probe (no --probe filter leaving it out), fix what made it fail "
    "(see the report's errors), or for paths scan the image itself with --expect."};

constexpr std::array kRules = {kKeyMissing,   kPathMissing,  kPathUnexpected, kSshdMismatch,
                               kSudoMismatch, kUnverifiable, kUserMissing,    kUserUnexpected};

// The facts of one root, indexed by (kind, key), the kinds that hold the roles the checks read,
// and the probes' outcomes by name.
class FactIndex {
 public:
  FactIndex(const RootReport& root, const RecordCatalog& catalog) : root_(root), catalog_(catalog) {
    for (const Fact& f : root.facts) facts_.emplace(std::pair{f.kind, f.key}, &f);
    // Several roots checked together: a probe that ran on any of them counts as run.
    for (const ProbeRun& p : root.probes) {
      auto [it, added] = probes_.emplace(p.name, &p);
      if (!added && p.status == ProbeStatus::kRan) it->second = &p;
    }
  }
  // The kind holding `role`; nullptr when no probe of this build declares one.
  const RecordKind* Kind(RecordRole role) const { return catalog_.WithRole(role); }
  const Fact* Find(RecordRole role, std::string_view key) const {
    const RecordKind* kind = Kind(role);
    if (kind == nullptr) return nullptr;
    auto it = facts_.find(std::pair{std::string(kind->name), std::string(key)});
    return it == facts_.end() ? nullptr : it->second;
  }
  // Facts of the kind holding `role` whose key starts with `prefix`.
  std::vector<const Fact*> WithPrefix(RecordRole role, std::string_view prefix) const {
    std::vector<const Fact*> out;
    const RecordKind* kind = Kind(role);
    if (kind == nullptr) return out;
    const std::string name(kind->name);
    for (auto it = facts_.lower_bound({name, std::string(prefix)});
         it != facts_.end() && it->first.first == name && it->first.second.starts_with(prefix);
         ++it) {
      out.push_back(it->second);
    }
    return out;
  }
  // The probe that records the role's facts ("" when none does).
  std::string_view ProbeOf(RecordRole role) const {
    const RecordKind* kind = Kind(role);
    return kind == nullptr ? std::string_view() : catalog_.ProbeOf(*kind);
  }
  // Why facts of `role` cannot be trusted to be complete, or nullopt when their probe ran (or
  // found nothing to look at, which is an answer too).
  std::optional<std::string> Unchecked(RecordRole role) const {
    std::string_view probe = ProbeOf(role);
    if (probe.empty()) {
      return "no probe of this build records " + std::string(RecordRoleName(role)) + " facts";
    }
    auto it = probes_.find(probe);
    if (it == probes_.end()) return "the " + std::string(probe) + " probe did not run";
    if (it->second->status == ProbeStatus::kFailed) {
      return "the " + std::string(probe) + " probe failed: " + it->second->reason;
    }
    return std::nullopt;
  }
  std::string NotApplicableNote(RecordRole role) const {
    auto it = probes_.find(ProbeOf(role));
    if (it == probes_.end() || it->second->status != ProbeStatus::kNotApplicable) return "";
    return " (" + it->second->name + ": " + it->second->reason + ")";
  }
  std::span<const Fact> facts() const { return root_.facts; }

 private:
  const RootReport& root_;
  const RecordCatalog& catalog_;
  std::map<std::pair<std::string, std::string>, const Fact*, std::less<>> facts_;
  std::map<std::string, const ProbeRun*, std::less<>> probes_;
};

// Checks the probe recording `role` ran; raises expect.unverifiable naming `what` when not.
// True when checkable.
bool Checkable(const FactIndex& facts, RecordRole role, const std::string& what,
               const std::string& user, Output& out) {
  auto why = facts.Unchecked(role);
  if (!why) return true;
  out.Raise(kUnverifiable,
            Finding{.title = "cannot check: " + what, .user = user, .evidence = *why}, what);
  return false;
}

std::optional<AccountSummary> Account(const FactIndex& facts, const std::string& user) {
  const Fact* fact = facts.Find(RecordRole::kAccount, user);
  if (fact == nullptr) return std::nullopt;
  return facts.Kind(RecordRole::kAccount)->account(*fact);
}

void CheckUserExists(const UserExpectation& u, const FactIndex& facts, Output& out) {
  std::optional<AccountSummary> user = Account(facts, u.name);
  if (u.exists && !user) {
    out.Raise(kUserMissing,
              Finding{.title = "expected user " + u.name + " does not exist",
                      .path = "/etc/passwd",
                      .user = u.name,
                      .evidence = "expected: user " + u.name + "; found: no such account"});
  } else if (!u.exists && user) {
    std::string found = "user " + u.name + " exists";
    if (!user->uid.empty()) found += " (uid " + user->uid + ")";
    out.Raise(kUserUnexpected,
              Finding{.title = "user " + u.name + " must not exist but does",
                      .path = "/etc/passwd",
                      .user = u.name,
                      .evidence = "expected: no user " + u.name + "; found: " + found});
  }
}

// What the user's keys are now, for the evidence: "none", or "2 other keys (…)".
std::string KeysFound(const FactIndex& facts, const std::string& user) {
  auto keys = facts.WithPrefix(RecordRole::kAuthorizedKey, user + "|");
  if (keys.empty()) {
    return "no authorized keys for " + user + facts.NotApplicableNote(RecordRole::kAuthorizedKey);
  }
  std::string list;
  for (size_t i = 0; i < keys.size() && i < 3; ++i) {
    list += (i ? ", " : "") + keys[i]->key.substr(user.size() + 1);
  }
  if (keys.size() > 3) list += ", …";
  return std::to_string(keys.size()) + " other key" + (keys.size() == 1 ? "" : "s") + " (" + list +
         ")";
}

void CheckKeys(const UserExpectation& u, const FactIndex& facts, Output& out) {
  if (u.authorized_keys.empty()) return;
  if (!Checkable(facts, RecordRole::kAuthorizedKey, "authorized keys of " + u.name, u.name, out)) {
    return;
  }
  for (const std::string& fp : u.authorized_keys) {
    const Fact* key = facts.Find(RecordRole::kAuthorizedKey, u.name + "|" + fp);
    std::optional<AuthorizedKeyStanding> standing;
    if (key != nullptr) standing = facts.Kind(RecordRole::kAuthorizedKey)->authorized_key(*key);
    if (standing && standing->kept) continue;
    Finding f{.title = u.name + " lost expected key " + fp, .user = u.name};
    if (standing) {
      f.path = standing->path;
      f.evidence = "expected: " + fp + " authorizes " + u.name + "; found: the key in " + f.path +
                   ", but sshd refuses it: " + standing->refusal;
    } else {
      f.evidence =
          "expected: " + fp + " authorizes " + u.name + "; found: " + KeysFound(facts, u.name);
    }
    out.Raise(kKeyMissing, std::move(f), fp);
  }
}

void CheckSudo(const UserExpectation& u, const FactIndex& facts, Output& out) {
  if (u.sudo.empty()) return;
  if (!Checkable(facts, RecordRole::kAccount, "sudo rights of " + u.name, u.name, out)) return;
  std::optional<AccountSummary> user = Account(facts, u.name);
  if (!user) return;  // expect.user.missing says it already
  const std::array<std::tuple<const char*, std::optional<bool>, bool>, 4> wanted = {
      std::tuple{"any", u.sudo.any, user->sudo_any},
      {"all_commands", u.sudo.all_commands, user->sudo_all_commands},
      {"nopasswd", u.sudo.nopasswd, user->sudo_nopasswd},
      {"nopasswd_all", u.sudo.nopasswd_all, user->sudo_nopasswd_all}};
  std::string grants =
      user->sudo_rules.empty() ? "no sudoers rule for " + u.name : user->sudo_rules;
  for (const auto& [name, want, have] : wanted) {
    if (!want || have == *want) continue;
    out.Raise(
        kSudoMismatch,
        Finding{.title = "sudo " + std::string(name) + " of " + u.name + " is " +
                         (have ? "true" : "false") + ", expected " + (*want ? "true" : "false"),
                .user = u.name,
                .evidence = "expected: sudo " + std::string(name) + " " +
                            (*want ? "true" : "false") + "; found: " + grants},
        name);
  }
}

// The effective value of `keyword` for `user` (empty: global), and the kind that recorded it.
std::optional<std::pair<SettingValue, const RecordKind*>> EffectiveSshd(const FactIndex& facts,
                                                                        std::string_view keyword,
                                                                        const std::string& user) {
  auto lookup =
      [&](RecordRole role,
          const std::string& prefix) -> std::optional<std::pair<SettingValue, const RecordKind*>> {
    for (const Fact* fact : facts.WithPrefix(role, prefix)) {
      if (!parse::EqualsIgnoreCase(std::string_view(fact->key).substr(prefix.size()), keyword)) {
        continue;
      }
      const RecordKind* kind = facts.Kind(role);
      return std::pair{kind->setting(*fact), kind};
    }
    return std::nullopt;
  };
  if (!user.empty()) {
    if (auto mine = lookup(RecordRole::kSshdUserSetting, user + "|")) return mine;
  }
  return lookup(RecordRole::kSshdSetting, "");
}

void CheckSshd(const std::vector<SshdExpectation>& settings, const std::string& user,
               const FactIndex& facts, Output& out) {
  for (const SshdExpectation& s : settings) {
    std::string subject = s.keyword + (user.empty() ? "" : " for " + user);
    if (!Checkable(facts, RecordRole::kSshdSetting, "sshd " + subject, user, out)) continue;
    auto found = EffectiveSshd(facts, s.keyword, user);
    if (found &&
        found->second->same_setting(s.keyword, s.value, found->first.value, facts.facts())) {
      continue;
    }
    std::string found_text =
        found ? found->first.value +
                    (found->first.origin.empty() ? "" : " (from " + found->first.origin + ")")
              : "not set" + facts.NotApplicableNote(RecordRole::kSshdSetting);
    out.Raise(
        kSshdMismatch,
        Finding{.title = "sshd " + subject + " is " + (found ? found->first.value : "not set") +
                         ", expected " + s.value,
                .user = user,
                .evidence = "expected: " + s.keyword + " " + s.value + "; found: " + found_text},
        parse::ToLower(s.keyword));
  }
}

void CheckPaths(const Expectations& expected, const FactIndex& facts, Output& out) {
  auto check = [&](const std::string& path, bool must_exist) {
    if (!Checkable(facts, RecordRole::kPathPresence, "path " + path, "", out)) return;
    const Fact* fact = facts.Find(RecordRole::kPathPresence, path);
    if (fact == nullptr) {
      out.Raise(kUnverifiable,
                Finding{.title = "cannot check: path " + path,
                        .path = path,
                        .evidence = "no fact records " + path +
                                    " (a saved report made without "
                                    "this path in --expect?)"},
                path);
      return;
    }
    PathPresence presence = facts.Kind(RecordRole::kPathPresence)->path_presence(*fact);
    if (!presence.error.empty()) {
      out.Raise(
          kUnverifiable,
          Finding{.title = "cannot check: path " + path, .path = path, .evidence = presence.error},
          path);
      return;
    }
    if (presence.present == must_exist) return;
    out.Raise(
        must_exist ? kPathMissing : kPathUnexpected,
        Finding{.title = path + (must_exist ? " is absent" : " is present"),
                .path = path,
                .evidence = must_exist ? "expected: " + path + " present; found: absent"
                                       : "expected: " + path + " absent; found: a " +
                                             (presence.type.empty() ? "file" : presence.type)});
  };
  for (const std::string& p : expected.paths_present) check(p, true);
  for (const std::string& p : expected.paths_absent) check(p, false);
}

}  // namespace

std::span<const RuleInfo> ExpectationRules() { return kRules; }

void EvaluateExpectations(const Expectations& expected, const RootReport& root,
                          const RecordCatalog& catalog, Output& out) {
  FactIndex facts(root, catalog);
  for (const UserExpectation& u : expected.users) {
    if (!Checkable(facts, RecordRole::kAccount, "user " + u.name, u.name, out)) continue;
    CheckUserExists(u, facts, out);
    if (!u.exists || facts.Find(RecordRole::kAccount, u.name) == nullptr) continue;
    CheckKeys(u, facts, out);
    CheckSudo(u, facts, out);
    CheckSshd(u.sshd, u.name, facts, out);
  }
  CheckSshd(expected.sshd, "", facts, out);
  CheckPaths(expected, facts, out);
}

void ApplyExpectations(const Expectations& expected, const RecordCatalog& catalog, Report& report) {
  if (report.roots.empty()) {
    report.errors.push_back({"expect", "", "no root to check the expectations against"});
    report.partial = true;
    return;
  }
  bool any_os =
      std::ranges::any_of(report.roots, [](const RootReport& r) { return r.os.detected; });
  if (any_os) {
    for (RootReport& root : report.roots) {
      if (!root.os.detected) continue;
      Output out;
      EvaluateExpectations(expected, root, catalog, out);
      std::ranges::move(out.findings(), std::back_inserter(root.findings));
      Canonicalize(root);
    }
    return;
  }
  RootReport together;
  for (const RootReport& root : report.roots) {
    together.facts.insert(together.facts.end(), root.facts.begin(), root.facts.end());
    together.probes.insert(together.probes.end(), root.probes.begin(), root.probes.end());
  }
  Output out;
  EvaluateExpectations(expected, together, catalog, out);
  std::ranges::move(out.findings(), std::back_inserter(report.roots.front().findings));
  Canonicalize(report.roots.front());
}

}  // namespace imageprobe::gate
