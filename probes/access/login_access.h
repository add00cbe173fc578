// SPDX-License-Identifier: Apache-2.0
// Who can log in, as the image's own sshd would decide it: per user, the account gates, each
// method (publickey per key, password, keyboard-interactive, none) and each AuthenticationMethods
// chain, each accepted, refused or conditional with the reason and the line that decides it.
// Computed once per root and shared (AccessOf): the users probe reports it per account, the
// authorized_keys probe per key.
//
// The steps mirror openssh-portable 9.2, one file each:
//   account_gates.cc    auth.c allowed_user + the PAM account stage
//   pubkey_verdict.cc   auth2-pubkey.c, auth-options.c, auth.c auth_root_allowed
//   password_verdict.cc auth-passwd.c, auth2-passwd.c, auth2-kbdint.c, auth2-none.c
//   here                auth2.c userauth_finish + auth2_update_methods_lists
//                       (AuthenticationMethods), and Match blocks that depend on the client
//                       (a verdict that changes when such a block applies is conditional).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "probes/access/account_gates.h"
#include "probes/access/verdict.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes::access {

inline constexpr std::string_view kMethods[] = {"publickey", "password", "keyboard-interactive",
                                                "none"};

struct KeyAccess {
  std::string fingerprint;
  std::string path;
  uint32_t line = 0;
  Decision decision;  // a login with this key alone (account gates included)
};

struct ChainAccess {
  std::string chain;  // "publickey,password" as configured
  Decision decision;
};

struct UserAccess {
  Account account;
  Decision gates;                           // accepted when no account gate refuses
  std::map<std::string, Decision> methods;  // one per kMethods entry
  std::vector<ChainAccess> chains;          // AuthenticationMethods, when not "any"
  std::vector<KeyAccess> keys;              // first line per fingerprint, in file order
  Decision overall;                         // accepted when some method or chain is
  std::string session;  // what a login gets when the shell is nologin/false; "" otherwise

  const KeyAccess* FindKey(std::string_view fingerprint) const;
  // Methods sshd would accept alone, in kMethods order.
  std::vector<std::string> AcceptedMethods() const;
};

struct AccessInventory {
  // What the verdict is based on: the image's sshd_config, or why not.
  std::string basis;
  std::vector<UserAccess> users;  // /etc/passwd order
  std::vector<Diagnostic> diagnostics;

  const UserAccess* Find(std::string_view user) const;

  std::map<std::string, size_t, std::less<>> index;  // user name -> position in `users`
};

// The verdict for this root, computed once and shared.
const AccessInventory& AccessOf(const Target& target);

}  // namespace imageprobe::probes::access
