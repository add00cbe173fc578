// SPDX-License-Identifier: Apache-2.0
// Account gates: what refuses a user before any method is tried, or after a method succeeded
// but before sshd lets the user in. Any one refuses every method.
//
// References: openssh-portable auth.c allowed_user (9.2): with UsePAM no, shadow expiry
// (auth-shadow.c auth_shadow_acctexpired: expired when sp_expire < today) and the locked
// password (LOCKED_PASSWD_PREFIX "!" on Linux, configure.ac); the shell must exist and be
// executable unless ChrootDirectory is set; DenyUsers, AllowUsers, DenyGroups, AllowGroups
// in that order (match.c match_user: a "user@host" pattern also matches the client's host or
// address; groupaccess.c ga_match). With UsePAM yes, auth2.c userauth_finish runs the PAM
// account stack after every method (do_pam_account): pam_unix refuses an expired account
// (passverify.c check_shadow_expiry: curdays >= sp_expire) and pam_nologin refuses non-root
// users while /etc/nologin exists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "probes/access/access_settings.h"
#include "probes/access/pam_stack.h"
#include "probes/access/verdict.h"
#include "probes/common/user_db.h"
#include "probes/users/shadow.h"
#include "scanner/core/filesystem.h"

namespace imageprobe::probes::access {

// What the account databases say of one user.
struct Account {
  const User* user = nullptr;
  parse::PasswordInfo password;
  std::string password_source;  // "/etc/shadow", "/etc/passwd", or ""
  std::optional<int64_t> expire_days;
};

// The machine around sshd: its PAM stack, /etc/nologin, and the day the verdict is for.
struct Host {
  const Filesystem& fs;
  const PamStack& pam;
  bool nologin_exists = false;
  // The tree holds programs (/bin/sh): shells can be checked. An extracted
  // tree of configuration only cannot say whether a shell exists, so it is not held against it.
  bool has_programs = true;
  int64_t today_days = 0;  // days since 1970-01-01 (UTC)
};

// auth.c allowed_user, then the PAM account stage: accepted when nothing refuses.
Decision CheckAccountGates(const Account& account, const AccessSettings& settings,
                           const Host& host);

// "1970-01-02" for day 1.
std::string FormatEpochDay(int64_t days);

}  // namespace imageprobe::probes::access
