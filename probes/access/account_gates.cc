// SPDX-License-Identifier: Apache-2.0
#include "probes/access/account_gates.h"

#include <chrono>

#include "probes/sshd/sshd_patterns.h"
#include "scanner/core/iso_date.h"

namespace imageprobe::probes::access {

namespace {

constexpr std::string_view kShadow = "/etc/shadow";

// match.c match_user for one AllowUsers/DenyUsers pattern: 1 match, 0 no match, and -1 when
// the user part matches but a host part decides (unknowable offline, unless it is "*").
int MatchUserPattern(std::string_view user, std::string_view pattern) {
  size_t at = pattern.find('@');
  if (at == std::string_view::npos) return MatchSshPattern(user, pattern) ? 1 : 0;
  if (!MatchSshPattern(user, pattern.substr(0, at))) return 0;
  std::string_view host = pattern.substr(at + 1);
  return host == "*" ? 1 : -1;
}

bool AnyGroupMatches(const User& user, std::string_view pattern) {
  for (const std::string& group : user.groups) {
    if (MatchSshPattern(group, pattern)) return true;
  }
  return false;
}

Decision CheckShell(const User& user, const AccessSettings& settings, const Filesystem& fs) {
  std::string chroot = settings.Value("ChrootDirectory");
  if (!chroot.empty() && chroot != "none") return Decision::Accepted();
  // An empty shell field is /bin/sh (_PATH_BSHELL).
  std::string shell = user.passwd.shell.empty() ? "/bin/sh" : user.passwd.shell;
  FsResult<FileStat> st = fs.Stat(shell);
  if (!st) {
    return Decision::Refused("shell " + shell + " does not exist",
                             "/etc/passwd:" + std::to_string(user.passwd.line));
  }
  if (!st->IsRegular() || (st->mode & 0111) == 0) {
    return Decision::Refused("shell " + shell + " is not executable",
                             "/etc/passwd:" + std::to_string(user.passwd.line));
  }
  return Decision::Accepted();
}

Decision CheckUserLists(const User& user, const AccessSettings& settings) {
  const std::string& name = user.passwd.name;
  std::optional<Decision> conditional;
  for (const SettingLine& line : settings.Lines("DenyUsers")) {
    int match = MatchUserPattern(name, line.value);
    if (match == 1)
      return Decision::Refused("listed in DenyUsers (" + line.value + ")", line.source);
    if (match == -1 && !conditional) {
      conditional = Decision::Conditional(
          "DenyUsers " + line.value + " refuses it from some client addresses", line.source);
    }
  }
  std::vector<SettingLine> allow = settings.Lines("AllowUsers");
  if (!allow.empty()) {
    std::optional<Decision> host_only;
    bool allowed = false;
    for (const SettingLine& line : allow) {
      int match = MatchUserPattern(name, line.value);
      if (match == 1) {
        allowed = true;
        break;
      }
      if (match == -1 && !host_only) {
        host_only = Decision::Conditional(
            "AllowUsers " + line.value + " admits it only from matching clients", line.source);
      }
    }
    if (!allowed) {
      if (host_only) return *host_only;
      return Decision::Refused("not listed in AllowUsers", allow.front().source);
    }
  }
  return conditional.value_or(Decision::Accepted());
}

Decision CheckGroupLists(const User& user, const AccessSettings& settings) {
  for (const SettingLine& line : settings.Lines("DenyGroups")) {
    if (AnyGroupMatches(user, line.value)) {
      return Decision::Refused("a group is listed in DenyGroups (" + line.value + ")", line.source);
    }
  }
  std::vector<SettingLine> allow = settings.Lines("AllowGroups");
  if (allow.empty()) return Decision::Accepted();
  for (const SettingLine& line : allow) {
    if (AnyGroupMatches(user, line.value)) return Decision::Accepted();
  }
  return Decision::Refused("none of the user's groups is listed in AllowGroups",
                           allow.front().source);
}

// The PAM account stage (UsePAM yes) as Debian's and RHEL's stacks run it.
Decision CheckPamAccount(const Account& account, const Host& host) {
  const User& user = *account.user;
  // pam_unix's account module judges expiry; a tree without a PAM stack is taken to have the
  // one every distribution ships, which includes it.
  bool unix_account = !host.pam.present || host.pam.Find("account", "pam_unix.so") != nullptr;
  if (unix_account && account.expire_days && *account.expire_days >= 0 &&
      host.today_days >= *account.expire_days) {
    return Decision::Refused(
        "account expired on " + FormatEpochDay(*account.expire_days) + " (pam_unix, UsePAM yes)",
        std::string(kShadow));
  }
  if (host.nologin_exists && user.passwd.uid != 0) {
    if (const PamModule* nologin = host.pam.Find("account", "pam_nologin.so")) {
      return Decision::Refused("/etc/nologin exists and pam_nologin refuses non-root users",
                               nologin->file + ":" + std::to_string(nologin->line.line));
    }
  }
  return Decision::Accepted();
}

}  // namespace

std::string FormatEpochDay(int64_t days) {
  using namespace std::chrono;
  return FormatIsoDate(year_month_day{sys_days{} + std::chrono::days{days}});
}

Decision CheckAccountGates(const Account& account, const AccessSettings& settings,
                           const Host& host) {
  const User& user = *account.user;
  bool use_pam = settings.Yes("UsePAM");
  if (!use_pam) {
    // auth_shadow_acctexpired: expired once the expiry day has passed.
    if (account.expire_days && *account.expire_days >= 0 &&
        *account.expire_days < host.today_days) {
      return Decision::Refused(
          "account expired on " + FormatEpochDay(*account.expire_days) + " (UsePAM no)",
          std::string(kShadow));
    }
    if (account.password.locked_prefix) {
      return Decision::Refused("account locked (\"!\" password) and UsePAM no",
                               account.password_source);
    }
  }
  if (host.has_programs) {
    if (Decision shell = CheckShell(user, settings, host.fs); !shell.accepted()) return shell;
  }
  Decision users = CheckUserLists(user, settings);
  if (users.refused()) return users;
  Decision groups = CheckGroupLists(user, settings);
  if (groups.refused()) return groups;
  Decision gates = Both(users, groups);
  if (use_pam) gates = Both(gates, CheckPamAccount(account, host));
  return gates;
}

}  // namespace imageprobe::probes::access
