// SPDX-License-Identifier: Apache-2.0
#include "probes/access/password_verdict.h"

#include <algorithm>

#include "probes/access/pubkey_verdict.h"

namespace imageprobe::probes::access {

namespace {

// Whether pam_unix in the auth stack takes an empty password. A tree without a PAM stack is
// taken to have the distributions' (Debian common-auth, RHEL system-auth: nullok).
bool PamAcceptsEmpty(const Host& host) {
  if (!host.pam.present) return true;
  const PamModule* unix_auth = host.pam.Find("auth", "pam_unix.so");
  return unix_auth != nullptr &&
         std::ranges::find(unix_auth->line.args, "nullok") != unix_auth->line.args.end();
}

// The password check itself (auth_password / PAM), once the method is enabled.
Decision CheckCredential(const Account& account, const AccessSettings& settings, const Host& host,
                         bool through_pam) {
  const std::string& source = account.password_source;
  switch (account.password.state) {
    case parse::PasswordState::kUsable:
      return Decision::Accepted("with the password (a " + account.password.scheme + " hash)",
                                source);
    case parse::PasswordState::kEmpty:
      if (!settings.Yes("PermitEmptyPasswords")) {
        return Decision::Refused("empty password and PermitEmptyPasswords no",
                                 settings.Source("PermitEmptyPasswords"));
      }
      if (through_pam && !PamAcceptsEmpty(host)) {
        return Decision::Refused("empty password and pam_unix without nullok", source);
      }
      return Decision::Accepted("with an empty password (PermitEmptyPasswords yes)",
                                settings.Source("PermitEmptyPasswords"));
    case parse::PasswordState::kLocked:
      return Decision::Refused("password locked", source);
    case parse::PasswordState::kInvalid:
      return Decision::Refused("no password matches the password field", source);
    case parse::PasswordState::kUnknown:
      break;
  }
  return Decision::Refused("no password entry", source.empty() ? "/etc/shadow" : source);
}

}  // namespace

Decision DecidePassword(const Account& account, const AccessSettings& settings, const Host& host) {
  if (!settings.Yes("PasswordAuthentication")) {
    return Decision::Refused("PasswordAuthentication no",
                             settings.Source("PasswordAuthentication"));
  }
  Decision root = RootAllowed(account.user->passwd.uid, settings, "password");
  if (!root.accepted()) return root;
  return CheckCredential(account, settings, host, settings.Yes("UsePAM"));
}

Decision DecideKeyboardInteractive(const Account& account, const AccessSettings& settings,
                                   const Host& host) {
  if (!settings.Yes("KbdInteractiveAuthentication")) {
    return Decision::Refused("KbdInteractiveAuthentication no",
                             settings.Source("KbdInteractiveAuthentication"));
  }
  if (!settings.Yes("UsePAM")) {
    return Decision::Refused("UsePAM no: no keyboard-interactive device",
                             settings.Source("UsePAM"));
  }
  Decision root = RootAllowed(account.user->passwd.uid, settings, "keyboard-interactive");
  if (!root.accepted()) return root;
  return CheckCredential(account, settings, host, true);
}

Decision DecideNone(const Account& account, const AccessSettings& settings, const Host& host) {
  if (!settings.Yes("PermitEmptyPasswords")) {
    return Decision::Refused("PermitEmptyPasswords no", settings.Source("PermitEmptyPasswords"));
  }
  if (!settings.Yes("PasswordAuthentication")) {
    return Decision::Refused("PasswordAuthentication no",
                             settings.Source("PasswordAuthentication"));
  }
  if (account.password.state != parse::PasswordState::kEmpty) {
    return Decision::Refused("the password is not empty", account.password_source);
  }
  Decision root = RootAllowed(account.user->passwd.uid, settings, "none");
  if (!root.accepted()) return root;
  Decision credential = CheckCredential(account, settings, host, settings.Yes("UsePAM"));
  if (!credential.accepted()) return credential;
  return Decision::Accepted("no credential at all: empty password and PermitEmptyPasswords yes",
                            settings.Source("PermitEmptyPasswords"));
}

}  // namespace imageprobe::probes::access
