// SPDX-License-Identifier: Apache-2.0
// EvaluateExpectations: facts -> expect.* findings. Reads only the facts other probes recorded:
//   users/user (users probe), ssh/authorized_key (ssh.authorized_keys), sshd/setting and
//   sshd/user_setting (sshd.config), fs/path (the path probe `scan --expect` adds).
// When the probe that would have recorded a fact did not run or failed, the expectation is not
// judged met or unmet: it raises expect.unverifiable, so a narrowed or broken scan never passes
// a gate by having looked at nothing.
#include "scanner/gate/expectations.h"

#include <algorithm>
#include <array>
#include <map>

#include "probes/sshd/sshd_canonical.h"
#include "scanner/parse/text.h"
#include "scanner/runner.h"

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

constexpr std::string_view kPathProbe = "expect.paths";

// Both sides are first put in the form sshd -T prints (probes/sshd/sshd_canonical.h), so an
// expectation written as configured ("LoginGraceTime 2m", "Ciphers +aes128-cbc") matches the
// effective value the fact records ("120", the assembled list), and so does a report saved
// before facts carried effective values. Then word values ("no", "prohibit-password") compare
// as sshd does, case-insensitively; anything else (paths, algorithm lists) exactly. Runs of
// blanks count as one.
bool SameSshdValue(std::string_view keyword, std::string_view expected, std::string_view found,
                   const probes::OpensshBuild& build) {
  auto squeeze = [](std::string_view v) {
    std::string out;
    for (char c : v) {
      bool blank = c == ' ' || c == '\t';
      if (blank && (out.empty() || out.back() == ' ')) continue;
      out += blank ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  };
  std::string e = probes::CanonicalSshdValue(keyword, squeeze(expected), build);
  std::string f = probes::CanonicalSshdValue(keyword, squeeze(found), build);
  bool word = std::ranges::all_of(e, [](unsigned char c) { return std::isalpha(c) || c == '-'; });
  return word ? parse::EqualsIgnoreCase(e, f) : e == f;
}

// The facts of one root, indexed by (kind, key) and the probes' outcomes by name.
class FactIndex {
 public:
  explicit FactIndex(const RootReport& root) {
    for (const Fact& f : root.facts) facts_.emplace(std::pair{f.kind, f.key}, &f.data);
    // Several roots checked together: a probe that ran on any of them counts as run.
    for (const ProbeRun& p : root.probes) {
      auto [it, added] = probes_.emplace(p.name, &p);
      if (!added && p.status == ProbeStatus::kRan) it->second = &p;
    }
  }
  const nlohmann::json* Find(std::string_view kind, std::string_view key) const {
    auto it = facts_.find(std::pair{std::string(kind), std::string(key)});
    return it == facts_.end() ? nullptr : it->second;
  }
  // Facts of `kind` whose key starts with `prefix`.
  std::vector<std::pair<std::string, const nlohmann::json*>> WithPrefix(
      std::string_view kind, std::string_view prefix) const {
    std::vector<std::pair<std::string, const nlohmann::json*>> out;
    for (auto it = facts_.lower_bound({std::string(kind), std::string(prefix)});
         it != facts_.end() && it->first.first == kind && it->first.second.starts_with(prefix);
         ++it) {
      out.emplace_back(it->first.second, it->second);
    }
    return out;
  }
  // Why facts from `probe` cannot be trusted to be complete, or nullopt when it ran (or found
  // nothing to look at, which is an answer too).
  std::optional<std::string> Unchecked(std::string_view probe) const {
    auto it = probes_.find(probe);
    if (it == probes_.end()) return "the " + std::string(probe) + " probe did not run";
    if (it->second->status == ProbeStatus::kFailed) {
      return "the " + std::string(probe) + " probe failed: " + it->second->reason;
    }
    return std::nullopt;
  }
  std::string NotApplicableNote(std::string_view probe) const {
    auto it = probes_.find(probe);
    if (it == probes_.end() || it->second->status != ProbeStatus::kNotApplicable) return "";
    return " (" + std::string(probe) + ": " + it->second->reason + ")";
  }

 private:
  std::map<std::pair<std::string, std::string>, const nlohmann::json*, std::less<>> facts_;
  std::map<std::string, const ProbeRun*, std::less<>> probes_;
};

std::string StringField(const nlohmann::json* j, std::string_view field) {
  if (j == nullptr || !j->is_object()) return "";
  auto it = j->find(field);
  return it != j->end() && it->is_string() ? it->get<std::string>() : "";
}

// Checks `probe` ran; raises expect.unverifiable naming `what` when not. True when checkable.
bool Checkable(const FactIndex& facts, std::string_view probe, const std::string& what,
               const std::string& user, Output& out) {
  auto why = facts.Unchecked(probe);
  if (!why) return true;
  out.Raise(kUnverifiable,
            Finding{.title = "cannot check: " + what, .user = user, .evidence = *why}, what);
  return false;
}

void CheckUserExists(const UserExpectation& u, const FactIndex& facts, Output& out) {
  const nlohmann::json* user = facts.Find("users/user", u.name);
  if (u.exists && user == nullptr) {
    out.Raise(kUserMissing,
              Finding{.title = "expected user " + u.name + " does not exist",
                      .path = "/etc/passwd",
                      .user = u.name,
                      .evidence = "expected: user " + u.name + "; found: no such account"});
  } else if (!u.exists && user != nullptr) {
    std::string found = "user " + u.name + " exists";
    if (auto uid = user->find("uid"); uid != user->end() && uid->is_number()) {
      found += " (uid " + uid->dump() + ")";
    }
    out.Raise(kUserUnexpected,
              Finding{.title = "user " + u.name + " must not exist but does",
                      .path = "/etc/passwd",
                      .user = u.name,
                      .evidence = "expected: no user " + u.name + "; found: " + found});
  }
}

// What the user's keys are now, for the evidence: "none", or "2 other keys (…)".
std::string KeysFound(const FactIndex& facts, const std::string& user) {
  auto keys = facts.WithPrefix("ssh/authorized_key", user + "|");
  if (keys.empty())
    return "no authorized keys for " + user + facts.NotApplicableNote("ssh.authorized_keys");
  std::string list;
  for (size_t i = 0; i < keys.size() && i < 3; ++i) {
    list += (i ? ", " : "") + keys[i].first.substr(user.size() + 1);
  }
  if (keys.size() > 3) list += ", …";
  return std::to_string(keys.size()) + " other key" + (keys.size() == 1 ? "" : "s") + " (" + list +
         ")";
}

void CheckKeys(const UserExpectation& u, const FactIndex& facts, Output& out) {
  if (u.authorized_keys.empty()) return;
  if (!Checkable(facts, "ssh.authorized_keys", "authorized keys of " + u.name, u.name, out)) return;
  for (const std::string& fp : u.authorized_keys) {
    const nlohmann::json* key = facts.Find("ssh/authorized_key", u.name + "|" + fp);
    // A key sshd takes only from some clients (from=, Match Address) is still kept.
    if (key != nullptr &&
        (key->value("accepted", true) || StringField(key, "verdict") == "conditional")) {
      continue;
    }
    Finding f{.title = u.name + " lost expected key " + fp, .user = u.name};
    if (key != nullptr) {
      f.path = StringField(key, "path");
      std::string why = StringField(key, "reason");
      f.evidence = "expected: " + fp + " authorizes " + u.name + "; found: the key in " + f.path +
                   ", but sshd refuses it: " + (why.empty() ? std::string("StrictModes") : why);
    } else {
      f.evidence =
          "expected: " + fp + " authorizes " + u.name + "; found: " + KeysFound(facts, u.name);
    }
    out.Raise(kKeyMissing, std::move(f), fp);
  }
}

void CheckSudo(const UserExpectation& u, const FactIndex& facts, Output& out) {
  if (u.sudo.empty()) return;
  if (!Checkable(facts, "users", "sudo rights of " + u.name, u.name, out)) return;
  const nlohmann::json* user = facts.Find("users/user", u.name);
  if (user == nullptr) return;  // expect.user.missing says it already
  const nlohmann::json sudo = user->value("sudo", nlohmann::json::object());
  const nlohmann::json rules = sudo.value("rules", nlohmann::json::array());
  std::string grants;
  for (const auto& rule : rules) {
    if (!grants.empty()) grants += "; ";
    grants += rule.value("rule", "") + " (" + rule.value("file", "") + ":" +
              std::to_string(rule.value("line", 0)) + ")";
  }
  const std::array<std::pair<const char*, std::optional<bool>>, 4> wanted = {
      std::pair{"any", u.sudo.any},
      {"all_commands", u.sudo.all_commands},
      {"nopasswd", u.sudo.nopasswd},
      {"nopasswd_all", u.sudo.nopasswd_all}};
  for (const auto& [name, want] : wanted) {
    if (!want) continue;
    bool have = std::string_view(name) == "any" ? !rules.empty() : sudo.value(name, false);
    if (have == *want) continue;
    out.Raise(
        kSudoMismatch,
        Finding{
            .title = "sudo " + std::string(name) + " of " + u.name + " is " +
                     (have ? "true" : "false") + ", expected " + (*want ? "true" : "false"),
            .user = u.name,
            .evidence = "expected: sudo " + std::string(name) + " " + (*want ? "true" : "false") +
                        "; found: " + (grants.empty() ? "no sudoers rule for " + u.name : grants)},
        name);
  }
}

// The effective value of `keyword` for `user` (empty: global), and where it came from.
std::optional<std::pair<std::string, std::string>> EffectiveSshd(const FactIndex& facts,
                                                                 std::string_view keyword,
                                                                 const std::string& user) {
  auto lookup =
      [&](std::string_view kind,
          const std::string& prefix) -> std::optional<std::pair<std::string, std::string>> {
    for (const auto& [key, data] : facts.WithPrefix(kind, prefix)) {
      if (!parse::EqualsIgnoreCase(key.substr(prefix.size()), keyword)) continue;
      std::string origin;
      for (const auto& o : data->value("origins", nlohmann::json::array())) {
        if (o.is_string()) origin += (origin.empty() ? "" : ", ") + o.get<std::string>();
      }
      if (data->value("is_default", false)) origin = "sshd's default";
      return std::pair{StringField(data, "value"), origin};
    }
    return std::nullopt;
  };
  if (!user.empty()) {
    if (auto mine = lookup("sshd/user_setting", user + "|")) return mine;
  }
  return lookup("sshd/setting", "");
}

// The sshd the probe judged (sshd/openssh fact): algorithm lists expand against its defaults.
probes::OpensshBuild SshdBuild(const FactIndex& facts) {
  probes::OpensshBuild build;
  if (auto version =
          probes::ParseOpensshVersion(StringField(facts.Find("sshd/openssh", "sshd"), "version"))) {
    build.version = version->version;
    build.major = version->major;
    build.minor = version->minor;
  }
  return build;
}

void CheckSshd(const std::vector<SshdExpectation>& settings, const std::string& user,
               const FactIndex& facts, Output& out) {
  const probes::OpensshBuild build = SshdBuild(facts);
  for (const SshdExpectation& s : settings) {
    std::string subject = s.keyword + (user.empty() ? "" : " for " + user);
    if (!Checkable(facts, "sshd.config", "sshd " + subject, user, out)) continue;
    auto found = EffectiveSshd(facts, s.keyword, user);
    if (found && SameSshdValue(s.keyword, s.value, found->first, build)) continue;
    std::string found_text =
        found ? found->first + (found->second.empty() ? "" : " (from " + found->second + ")")
              : "not set" + facts.NotApplicableNote("sshd.config");
    out.Raise(
        kSshdMismatch,
        Finding{.title = "sshd " + subject + " is " + (found ? found->first : "not set") +
                         ", expected " + s.value,
                .user = user,
                .evidence = "expected: " + s.keyword + " " + s.value + "; found: " + found_text},
        parse::ToLower(s.keyword));
  }
}

void CheckPaths(const Expectations& expected, const FactIndex& facts, Output& out) {
  auto check = [&](const std::string& path, bool must_exist) {
    if (!Checkable(facts, kPathProbe, "path " + path, "", out)) return;
    const nlohmann::json* fact = facts.Find("fs/path", path);
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
    if (std::string error = StringField(fact, "error"); !error.empty()) {
      out.Raise(kUnverifiable,
                Finding{.title = "cannot check: path " + path, .path = path, .evidence = error},
                path);
      return;
    }
    bool present = fact->value("present", false);
    if (present == must_exist) return;
    std::string type = StringField(fact, "type");
    out.Raise(must_exist ? kPathMissing : kPathUnexpected,
              Finding{.title = path + (must_exist ? " is absent" : " is present"),
                      .path = path,
                      .evidence = must_exist ? "expected: " + path + " present; found: absent"
                                             : "expected: " + path + " absent; found: a " +
                                                   (type.empty() ? "file" : type)});
  };
  for (const std::string& p : expected.paths_present) check(p, true);
  for (const std::string& p : expected.paths_absent) check(p, false);
}

}  // namespace

std::span<const RuleInfo> ExpectationRules() { return kRules; }

void EvaluateExpectations(const Expectations& expected, const RootReport& root, Output& out) {
  FactIndex facts(root);
  for (const UserExpectation& u : expected.users) {
    if (!Checkable(facts, "users", "user " + u.name, u.name, out)) continue;
    CheckUserExists(u, facts, out);
    if (!u.exists || facts.Find("users/user", u.name) == nullptr) continue;
    CheckKeys(u, facts, out);
    CheckSudo(u, facts, out);
    CheckSshd(u.sshd, u.name, facts, out);
  }
  CheckSshd(expected.sshd, "", facts, out);
  CheckPaths(expected, facts, out);
}

void ApplyExpectations(const Expectations& expected, Report& report) {
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
      EvaluateExpectations(expected, root, out);
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
  EvaluateExpectations(expected, together, out);
  std::ranges::move(out.findings(), std::back_inserter(report.roots.front().findings));
  Canonicalize(report.roots.front());
}

}  // namespace imageprobe::gate
