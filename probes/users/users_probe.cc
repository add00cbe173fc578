// SPDX-License-Identifier: Apache-2.0
// References: passwd(5), group(5), shadow(5), crypt(5), sudoers(5); amazon-ssm-agent
// agent/session/utility/utility_unix.go (ssm-user, /etc/sudoers.d/ssm-agent-users);
// formats.md §1d. Who can log in is sshd's verdict (probes/access/login_access.h).
#include "probes/users/users_probe.h"

#include <map>

#include "probes/access/login_access.h"
#include "probes/common/user_db.h"
#include "probes/users/shadow.h"
#include "probes/users/sudoers_tree.h"
#include "probes/users/users_records.h"

namespace imageprobe::probes::users {

namespace {

constexpr std::string_view kSsmSudoers = "/etc/sudoers.d/ssm-agent-users";

constexpr RuleInfo kExtraUid0{
    "users.uid0_extra", Severity::kHigh, "Account other than root with UID 0",
    "Every UID 0 account is root. An extra one is a classic backdoor, and it escapes reviews "
    "and rules written for the name \"root\".",
    "Remove the account or give it its own UID."};
constexpr RuleInfo kUsableHash{
    "users.password.usable_hash", Severity::kMedium, "Account has a usable password hash",
    "A password baked into an image is shared by every instance launched from it, and can be "
    "cracked offline by anyone who obtains the image.",
    "Lock the password (passwd -l) or remove it, and rely on keys or a per-instance secret."};
constexpr RuleInfo kEmptyPassword{
    "users.password.empty", Severity::kHigh, "Account has an empty password",
    "An empty password field means no password at all: any prompt (console, su, and sshd if "
    "PermitEmptyPasswords is on) lets anyone in.",
    "Lock the account (passwd -l) or set a password."};
constexpr RuleInfo kNopasswdAll{
    "users.sudo.nopasswd_all", Severity::kMedium, "Passwordless sudo for all commands",
    "NOPASSWD: ALL makes the account equivalent to root for whoever can log in as it, with no "
    "second factor.",
    "Require a password, or limit NOPASSWD to the specific commands automation needs."};
constexpr RuleInfo kSsmUser{
    "users.ssm_user.present", Severity::kMedium,
    "ssm-user or its sudoers file is present: Session Manager was used on the build host",
    "The SSM agent creates ssm-user and /etc/sudoers.d/ssm-agent-users (passwordless sudo for "
    "everything) the first time a Session Manager session starts. Their presence in an image "
    "means someone opened a session on the build instance, and every clone inherits the "
    "account and its sudo rule.",
    "Remove ssm-user and /etc/sudoers.d/ssm-agent-users before creating the image; the agent "
    "recreates them on demand."};

constexpr RuleInfo kPasswordLogin{
    "users.login.password", Severity::kMedium, "sshd accepts a password login for this account",
    "The image's sshd would let this account in with its password (PasswordAuthentication, or "
    "keyboard-interactive through PAM): the password is shared by every instance and can be "
    "guessed or sprayed over the network.",
    "Lock the password (passwd -l), or set PasswordAuthentication no and "
    "KbdInteractiveAuthentication no (check drop-ins and Match blocks)."};
constexpr RuleInfo kNoCredentialLogin{
    "users.login.no_credential", Severity::kCritical,
    "sshd lets this account in with no credential at all",
    "The account's password is empty and sshd has PermitEmptyPasswords yes: sshd's `none` "
    "method logs it in before asking for anything.",
    "Set PermitEmptyPasswords no and lock or set the password."};

constexpr RuleInfo kRules[] = {kExtraUid0, kUsableHash,    kEmptyPassword,    kNopasswdAll,
                               kSsmUser,   kPasswordLogin, kNoCredentialLogin};

struct UserFact {
  const User* user;
  bool login_shell = false;
  const access::UserAccess* access;
  parse::PasswordInfo password;
  std::string password_source;  // "/etc/shadow", "/etc/passwd", or "" when unknown
  std::optional<int64_t> expire_days;
  const SudoRights* sudo;
};

nlohmann::json DecisionJson(const access::Decision& d) {
  nlohmann::json j{
      {"verdict", access::VerdictName(d.verdict)}, {"reason", d.reason}, {"source", d.source}};
  if (!d.restriction.empty()) j["restriction"] = d.restriction;
  return j;
}

// log_in_with keeps its v1 names: "authorized_keys" for publickey.
std::string LogInWithName(std::string_view method) {
  return method == "publickey" ? "authorized_keys" : std::string(method);
}

nlohmann::json AccessJson(const access::UserAccess& a, const std::string& basis) {
  nlohmann::json methods = nlohmann::json::object();
  for (const auto& [method, decision] : a.methods) methods[method] = DecisionJson(decision);
  nlohmann::json j = DecisionJson(a.overall);
  j["gates"] = DecisionJson(a.gates);
  j["methods"] = std::move(methods);
  if (!a.chains.empty()) {
    auto chains = nlohmann::json::array();
    for (const auto& c : a.chains) {
      nlohmann::json one = DecisionJson(c.decision);
      one["chain"] = c.chain;
      chains.push_back(std::move(one));
    }
    j["chains"] = std::move(chains);
  }
  if (!a.session.empty()) j["session"] = a.session;
  j["basis"] = basis;
  return j;
}

void to_json(nlohmann::json& j, const UserFact& f) {
  const auto& p = f.user->passwd;
  std::vector<std::string> log_in_with;
  for (const std::string& method : f.access->AcceptedMethods()) {
    log_in_with.push_back(LogInWithName(method));
  }
  for (const auto& chain : f.access->chains) {
    if (chain.decision.accepted()) log_in_with.push_back(chain.chain);
  }
  auto grants = nlohmann::json::array();
  for (const auto& g : f.sudo->grants) {
    grants.push_back({{"file", g.file},
                      {"line", g.line},
                      {"rule", g.text},
                      {"nopasswd", g.nopasswd},
                      {"all_commands", g.all_commands}});
  }
  j = nlohmann::json{{"name", p.name},
                     {"uid", p.uid},
                     {"gid", p.gid},
                     {"home", p.home},
                     {"shell", p.shell},
                     {"login_shell", f.login_shell},
                     {"can_log_in", f.access->overall.accepted()},
                     {"log_in_with", log_in_with},
                     {"password_state", parse::PasswordStateName(f.password.state)},
                     {"password_source", f.password_source},
                     {"groups", f.user->groups},
                     {"sudo",
                      {{"rules", grants},
                       {"all_commands", f.sudo->all_commands},
                       {"nopasswd", f.sudo->any_nopasswd},
                       {"nopasswd_all", f.sudo->nopasswd_all}}}};
  if (!f.password.scheme.empty()) j["password_scheme"] = f.password.scheme;
  if (f.expire_days) j["account_expire_days"] = *f.expire_days;
}

void to_json(nlohmann::json& j, const UserFact& f, const std::string& basis) {
  to_json(j, f);
  j["access"] = AccessJson(*f.access, basis);
}

void Evaluate(const UserFact& fact, const SudoRights& rights, Output& out) {
  const auto& p = fact.user->passwd;
  if (p.uid == 0 && p.name != "root") {
    Finding f;
    f.user = p.name;
    f.path = "/etc/passwd";
    f.line = p.line;
    f.title = "\"" + p.name + "\" has UID 0";
    f.evidence =
        "/etc/passwd:" + std::to_string(p.line) + " " + p.name + " uid 0, shell " + p.shell;
    out.Raise(kExtraUid0, f);
  }
  if (fact.password.state == parse::PasswordState::kUsable) {
    Finding f;
    f.user = p.name;
    f.path = fact.password_source;
    f.title = p.name + " has a usable " + fact.password.scheme + " password hash";
    f.evidence = "password field of " + p.name + " in " + fact.password_source + " is a " +
                 fact.password.scheme + " hash (hash not shown)";
    out.Raise(kUsableHash, p.uid == 0 ? Severity::kHigh : kUsableHash.severity, f);
  }
  if (fact.password.state == parse::PasswordState::kEmpty) {
    Finding f;
    f.user = p.name;
    f.path = fact.password_source;
    f.title = p.name + " has an empty password";
    f.evidence = "empty password field in " + fact.password_source +
                 (fact.login_shell ? "; login shell " + p.shell : "; shell " + p.shell);
    out.Raise(kEmptyPassword, fact.login_shell ? Severity::kHigh : Severity::kMedium, f);
  }
  for (const auto& g : rights.grants) {
    if (!g.nopasswd_all) continue;
    Finding f;
    f.user = p.name;
    f.path = g.file;
    f.line = g.line;
    f.title = p.name + " may run any command as root without a password";
    f.evidence = g.file + ":" + std::to_string(g.line) + " " + g.text;
    out.Raise(kNopasswdAll, f, g.text);
  }
}

// Findings on what sshd would accept, never on the configuration alone.
void EvaluateLogin(const UserFact& fact, Output& out) {
  const auto& p = fact.user->passwd;
  const auto& methods = fact.access->methods;
  auto accepted = [&](const char* method) {
    auto it = methods.find(method);
    return it != methods.end() && it->second.accepted() ? &it->second : nullptr;
  };
  if (const access::Decision* none = accepted("none")) {
    Finding f;
    f.user = p.name;
    f.path = none->source;
    f.title = p.name + " can log in over SSH with no credential";
    f.evidence = none->reason + " (" + none->source + ")";
    out.Raise(kNoCredentialLogin, f);
  }
  for (const char* method : {"password", "keyboard-interactive"}) {
    const access::Decision* d = accepted(method);
    if (d == nullptr) continue;
    Finding f;
    f.user = p.name;
    f.path = fact.password_source;
    f.title = p.name + " can log in over SSH with a password (" + method + ")";
    f.evidence = std::string(method) + " accepted " + d->reason;
    out.Raise(kPasswordLogin, p.uid == 0 ? Severity::kHigh : kPasswordLogin.severity, f);
    break;
  }
}

void EvaluateSsmUser(const Filesystem& fs, const UserDb& db, Output& out) {
  const User* ssm = db.Find("ssm-user");
  bool sudoers_file = fs.Exists(kSsmSudoers);
  if (ssm == nullptr && !sudoers_file) return;
  Finding f;
  f.user = "ssm-user";
  f.path = sudoers_file ? std::string(kSsmSudoers) : "/etc/passwd";
  std::vector<std::string> seen;
  if (ssm) seen.push_back("account ssm-user (uid " + std::to_string(ssm->passwd.uid) + ")");
  if (sudoers_file) seen.push_back(std::string(kSsmSudoers));
  f.evidence = seen.size() == 2 ? seen[0] + " and " + seen[1] : seen[0];
  out.Raise(kSsmUser, f);
}

}  // namespace

std::string_view UsersProbe::name() const { return "users"; }

std::string_view UsersProbe::description() const {
  return "Accounts from passwd, group and shadow (state only: hashes are never kept), sudo "
         "rights with includes, and sshd's verdict per account";
}

std::span<const RuleInfo> UsersProbe::rules() const { return kRules; }

std::span<const RecordKind* const> UsersProbe::records() const { return kUsersRecords; }

std::vector<std::string> UsersProbe::prefetch() const {
  return {"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/sudoers", "/etc/sudoers.d"};
}

void UsersProbe::Run(const Target& target, Output& out) const {
  const UserDb& db = UsersOf(target);
  for (const auto& d : db.diagnostics) out.Error(d.path, d.message);
  if (!db.passwd_present) {
    out.NotApplicable("no /etc/passwd");
    return;
  }
  // Shadow: password state only. Its text is dropped as soon as it is parsed.
  const ShadowTable& shadow = ShadowOf(target);
  for (const auto& d : shadow.diagnostics) out.Error(d.path, d.message);
  SudoersTree sudoers =
      CollectSudoers(target.fs, target.limits.max_file_bytes, target.limits.max_include_depth);
  for (const auto& d : sudoers.diagnostics) out.Error(d.path, d.message);

  const access::AccessInventory& verdicts = access::AccessOf(target);
  for (const auto& d : verdicts.diagnostics) out.Error(d.path, d.message);

  for (const auto& user : db.users) {
    const auto& p = user.passwd;
    const access::UserAccess* verdict = verdicts.Find(p.name);
    if (verdict == nullptr) continue;  // AccessOf lists every passwd entry
    AccountPassword password = PasswordOf(user, shadow);
    UserFact fact{&user,           !parse::IsNoLoginShell(p.shell),
                  verdict,         password.password,
                  password.source, password.expire_days,
                  nullptr};
    SudoRights rights = SudoRightsOf(sudoers, user, db);
    fact.sudo = &rights;
    nlohmann::json data;
    to_json(data, fact, verdicts.basis);
    out.AddFact(kUserRecord, p.name, std::move(data));
    Evaluate(fact, rights, out);
    EvaluateLogin(fact, out);
  }
  EvaluateSsmUser(target.fs, db, out);
}

}  // namespace imageprobe::probes::users
