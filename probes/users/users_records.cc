// SPDX-License-Identifier: Apache-2.0
#include "probes/users/users_records.h"

#include <set>

#include "probes/access/decision_caveat.h"
#include "scanner/core/diff.h"
#include "scanner/core/json_fields.h"
#include "scanner/core/json_text.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

// A sudoers rule's line is not news; nor is the line of a decision's source ("path:line",
// compared without it): a moved Match block decides the same.
constexpr std::string_view kUserVolatile[] = {"line"};
constexpr std::string_view kUserOrigins[] = {"source"};

constexpr RecordMember kSudoRuleMembers[] = {
    {"file", kText, "the sudoers file holding the rule"},
    {"line", kInteger, "the rule's line in that file"},
    {"rule", kText, "the rule as written"},
    {"nopasswd", kFlag, "some of its commands run without a password (NOPASSWD)"},
    {"all_commands", kFlag, "it grants ALL commands, with or without a password"},
};
constexpr ValueShape kSudoRule = ObjectOf(kSudoRuleMembers);

constexpr RecordMember kSudoMembers[] = {
    {"rules", ListOf(kSudoRule), "the sudoers rules that name the user, in file order"},
    {"all_commands", kFlag, "some rule grants ALL commands"},
    {"nopasswd", kFlag, "some rule runs a command without a password"},
    {"nopasswd_all", kFlag, "some rule grants ALL commands without a password"},
};

// sshd's answer for one way of logging in (probes/access/verdict.h).
constexpr RecordMember kDecisionMembers[] = {
    {"verdict", kText, "accepted, refused or conditional"},
    {"reason", kText, "why, in sshd's terms (PasswordAuthentication no, account locked)"},
    {"source", kText, "where it is decided: file:line, default, /etc/shadow; may be empty"},
    {"restriction", kText, "what limits the login (a forced command, restrict)",
     Presence::kOptional},
};
constexpr ValueShape kDecision = ObjectOf(kDecisionMembers);

// The account gates never carry a restriction: that comes from an authorized key's options.
constexpr RecordMember kGatesMembers[] = {
    {"verdict", kText, "accepted, refused or conditional"},
    {"reason", kText, "why a gate refuses or depends on the client; empty when none does"},
    {"source", kText, "where it is decided: file:line, a file (/etc/shadow); may be empty"},
};

constexpr RecordMember kChainMembers[] = {
    {"chain", kText, "the AuthenticationMethods chain as configured (publickey,password)"},
    {"verdict", kText, "accepted, refused or conditional"},
    {"reason", kText, "why, in sshd's terms"},
    {"source", kText, "where it is decided: file:line, default; may be empty"},
    {"restriction", kText, "what limits the login (a forced command, restrict)",
     Presence::kOptional},
};
constexpr ValueShape kChain = ObjectOf(kChainMembers);

// The overall decision's members, then the parts it is made of.
constexpr RecordMember kAccessMembers[] = {
    {"verdict", kText, "accepted (some method or chain is), refused or conditional"},
    {"reason", kText, "why: the accepted methods, the refusing gate, or each method's reason"},
    {"source", kText, "where it is decided, when one line does; may be empty"},
    {"restriction", kText, "what limits the login (a forced command, restrict)",
     Presence::kOptional},
    {"gates", ObjectOf(kGatesMembers),
     "the account gates: Allow/Deny lists, shell, lock and expiry, the PAM account stage"},
    {"methods", MapOf(kDecision),
     "by method (publickey, password, keyboard-interactive, none): its decision"},
    {"chains", ListOf(kChain), "with AuthenticationMethods: each chain of two or more methods",
     Presence::kOptional},
    {"session", kText, "what a login gets, when the shell is nologin or false",
     Presence::kOptional},
    {"basis", kText, "what the verdict rests on: the image's sshd_config, or why not"},
};

constexpr RecordMember kUserMembers[] = {
    {"name", kText, "the user name"},
    {"uid", kInteger, "the uid, from /etc/passwd"},
    {"gid", kInteger, "the primary gid, from /etc/passwd"},
    {"home", kText, "the home directory"},
    {"shell", kText, "the login shell as written"},
    {"login_shell", kFlag, "the shell is not a nologin or false"},
    {"can_log_in", kFlag, "sshd accepts some method or chain (the access verdict is accepted)"},
    {"log_in_with", kTextList,
     "the accepted methods (authorized_keys, password, keyboard-interactive, none) and chains"},
    {"password_state", kText, "usable, empty, locked, invalid or unknown (the hash never shown)"},
    {"password_source", kText,
     "the file the password field comes from: /etc/shadow, /etc/passwd; empty: neither"},
    {"groups", kTextList, "the group names, primary first"},
    {"sudo", ObjectOf(kSudoMembers), "the sudo rights sudoers gives the user"},
    {"password_scheme", kText, "the hash's crypt scheme (sha512crypt, yescrypt), locked or not",
     Presence::kOptional},
    {"account_expire_days", kInteger, "the shadow account expiry, in days since 1970-01-01",
     Presence::kOptional},
    {"access", ObjectOf(kAccessMembers), "sshd's verdict on the account: overall and per method"},
};

bool CanLogIn(const nlohmann::json& user, bool otherwise) {
  return BoolMember(user, "can_log_in").value_or(otherwise);
}

bool FullSudo(const nlohmann::json& user) {
  return BoolMember(Member(user, "sudo"), "all_commands").value_or(false);
}

bool PasswordWorks(const nlohmann::json& user) {
  std::string state = StringMember(user, "password_state");
  return state == "usable" || state == "empty";
}

// Who can log in, lost or gained; then rights widened: full sudo granted, a password that
// became usable.
void UserHeadlines(KindDiff& diff, HeadlineSink& out) {
  std::set<std::string> lost, locked_out, gained, sudo_granted, password_enabled;
  for (const FactChange* c : diff.changes) {
    if (c->change == Change::kRemoved && CanLogIn(c->old_data, false)) lost.insert(c->key);
    if (c->change == Change::kAdded && CanLogIn(c->new_data, false)) gained.insert(c->key);
    if (c->change != Change::kChanged) continue;
    if (CanLogIn(c->old_data, false) && !CanLogIn(c->new_data, true)) locked_out.insert(c->key);
    if (!FullSudo(c->old_data) && FullSudo(c->new_data)) sudo_granted.insert(c->key);
    if (!PasswordWorks(c->old_data) && PasswordWorks(c->new_data)) {
      password_enabled.insert(c->key);
    }
  }
  auto names = [](const std::set<std::string>& users) { return parse::Join(users, ", "); };
  if (!lost.empty()) {
    out.Add(HeadlineTopic::kAccounts, "users who could log in removed: " + names(lost), true);
  }
  if (!locked_out.empty()) {
    out.Add(HeadlineTopic::kAccounts, "users who could log in no longer can: " + names(locked_out),
            true);
  }
  if (!gained.empty()) {
    out.Add(HeadlineTopic::kAccounts, "users who can log in added: " + names(gained), false);
  }
  if (!sudo_granted.empty()) {
    out.Add(HeadlineTopic::kPrivileges, "users granted full sudo: " + names(sudo_granted), false);
  }
  if (!password_enabled.empty()) {
    out.Add(HeadlineTopic::kPrivileges,
            "users whose password now works (usable or empty): " + names(password_enabled), false);
  }
}

std::string SudoText(const nlohmann::json& user) {
  const nlohmann::json& sudo = Member(user, "sudo");
  if (!sudo.is_object()) return "unknown";
  if (BoolMember(sudo, "nopasswd_all").value_or(false)) return "ALL (NOPASSWD)";
  if (BoolMember(sudo, "all_commands").value_or(false)) return "ALL";
  const nlohmann::json& rules = Member(sudo, "rules");
  if (rules.is_array() && !rules.empty()) {
    return BoolMember(sudo, "nopasswd").value_or(false) ? "some commands (NOPASSWD)"
                                                        : "some commands";
  }
  return "no";
}

// "ALL=(ALL) ALL (/etc/sudoers.d/90-cloud:1); …"
std::string SudoRules(const nlohmann::json& rules) {
  std::string text;
  if (!rules.is_array()) return text;
  for (const auto& rule : rules) {
    const nlohmann::json& line = Member(rule, "line");
    if (!text.empty()) text += "; ";
    text += StringMember(rule, "rule") + " (" + StringMember(rule, "file") + ":" +
            (line.is_number() ? JsonText(line) : "0") + ")";
  }
  return text;
}

AccountSummary AccountOf(const Fact& fact) {
  const nlohmann::json& user = fact.data;
  AccountSummary account;
  if (const nlohmann::json& uid = Member(user, "uid"); uid.is_number()) account.uid = JsonText(uid);
  const nlohmann::json& sudo = Member(user, "sudo");
  const nlohmann::json& rules = Member(sudo, "rules");
  account.sudo_any = rules.is_array() && !rules.empty();
  account.sudo_all_commands = BoolMember(sudo, "all_commands").value_or(false);
  account.sudo_nopasswd = BoolMember(sudo, "nopasswd").value_or(false);
  account.sudo_nopasswd_all = BoolMember(sudo, "nopasswd_all").value_or(false);
  account.sudo_rules = SudoRules(rules);
  account.sudo_text = SudoText(user);
  if (BoolMember(user, "login_shell") == false) {
    account.login_caveat = "no login shell (" + StringMember(user, "shell") + ")";
  }
  return account;
}

// The note of a password-family row: sshd's verdict, else what the account says.
std::string Caveat(const nlohmann::json& decision, const AccountSummary& account) {
  std::optional<std::string> caveat = access::DecisionCaveat(decision);
  return caveat && !caveat->empty() ? *caveat : account.login_caveat;
}

// Every password-family method sshd accepts or might accept, a password it refuses although
// the account has one (so the reason shows), and the AuthenticationMethods chains it allows.
void PasswordRows(const Fact& fact, const AccountLookup& accounts, std::vector<LoginRow>& rows) {
  const nlohmann::json& user = fact.data;
  auto found = accounts.find(fact.key);
  const AccountSummary account = found == accounts.end() ? AccountOf(fact) : found->second;
  std::string source = StringMember(user, "password_source");
  auto row = [&](std::string method, std::string row_source, std::string caveat) {
    rows.push_back({.user = fact.key,
                    .method = std::move(method),
                    .key_type = {},
                    .fingerprint = {},
                    .source = std::move(row_source),
                    .sudo = account.sudo_text,
                    .caveat = std::move(caveat)});
  };
  const nlohmann::json& access = Member(user, "access");
  if (!access.is_object() || !access.contains("methods")) {
    // A report from before the verdict: log_in_with listed what worked.
    const nlohmann::json& methods = Member(user, "log_in_with");
    if (methods.is_array() &&
        std::ranges::find(methods, nlohmann::json("password")) != methods.end()) {
      row("password", source, account.login_caveat);
    }
    return;
  }
  const nlohmann::json& methods = access["methods"];
  for (const char* method : {"password", "keyboard-interactive", "none"}) {
    const nlohmann::json& decision = Member(methods, method);
    if (!decision.is_object()) continue;
    bool shown = StringMember(decision, "verdict") != "refused" ||
                 (PasswordWorks(user) && std::string_view(method) == "password");
    if (!shown) continue;
    row(method, std::string_view(method) == "none" ? StringMember(decision, "source") : source,
        Caveat(decision, account));
  }
  const nlohmann::json& chains = Member(access, "chains");
  if (!chains.is_array()) return;
  for (const nlohmann::json& chain : chains) {
    if (StringMember(chain, "verdict") == "refused") continue;
    row(StringMember(chain, "chain"), StringMember(chain, "source"), Caveat(chain, account));
  }
}

}  // namespace

const RecordKind kUserRecord{
    .name = "users/user",
    .key = "the user name",
    .description =
        "an account: passwd, shadow state, groups, sudo rights and sshd's verdict per method",
    .members = kUserMembers,
    .volatile_members = kUserVolatile,
    .origin_members = kUserOrigins,
    .role = RecordRole::kAccount,
    .headlines = UserHeadlines,
    .login_rows = PasswordRows,
    .account = AccountOf,
};

}  // namespace imageprobe::probes
