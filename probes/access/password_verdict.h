// SPDX-License-Identifier: Apache-2.0
// The methods that end in a password check: password, keyboard-interactive (PAM) and `none`
// (sshd's empty-password shortcut), for a user whose account gates passed.
//
// References: openssh-portable auth2-passwd.c userauth_passwd; auth-passwd.c auth_password
// (uid 0 needs PermitRootLogin yes; an empty password needs PermitEmptyPasswords yes; with
// UsePAM the check is PAM's, sshpam_auth_passwd with PAM_DISALLOW_NULL_AUTHTOK unless
// PermitEmptyPasswords) and sys_auth_passwd (an empty hash accepts the empty password);
// auth2-kbdint.c / auth2-chall.c (KbdInteractiveAuthentication; on Linux the only device is
// "pam", so it needs UsePAM yes, and PasswordAuthentication does not matter); auth2-none.c
// userauth_none (PermitEmptyPasswords and PasswordAuthentication, then auth_password("")).
// pam_unix accepts an empty password only with `nullok` (pam_unix(8)).
#pragma once

#include "probes/access/access_settings.h"
#include "probes/access/account_gates.h"
#include "probes/access/verdict.h"

namespace imageprobe::probes::access {

Decision DecidePassword(const Account& account, const AccessSettings& settings, const Host& host);
Decision DecideKeyboardInteractive(const Account& account, const AccessSettings& settings,
                                   const Host& host);
Decision DecideNone(const Account& account, const AccessSettings& settings, const Host& host);

}  // namespace imageprobe::probes::access
