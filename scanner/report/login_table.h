// SPDX-License-Identifier: Apache-2.0
// "Who can log in": the table a reviewer reads first, built from a root's facts (never by
// re-reading the image). One row per authorized key (facts "ssh/authorized_key": user, type,
// fingerprint, the file it came from, sshd's verdict for it) and one per password-family
// method sshd accepts or might accept for an account, or refuses although the account has a
// password (facts "users/user": access.methods, password_state, sudo); a refused or
// conditional row says why in its note. Reports from before the verdict (no "verdict" or
// "access" fields) render as they did: accepted, log_in_with.
// Each row carries that user's sudo rights and whether the account can log in at all
// (a key in the authorized_keys of a nologin account is listed, marked as such).
//
// The facts' JSON is the probes' contract (probes/ssh/authorized_keys_probe.cc,
// probes/users/users_probe.cc); a field that is missing renders as unknown, never as a crash.
#pragma once

#include <string>
#include <vector>

#include "scanner/report.h"

namespace imageprobe::report {

struct LoginRow {
  std::string user;
  std::string method;       // "key", "password", "keyboard-interactive", "none", or a chain
  std::string key_type;     // "ssh-ed25519", "RSA 4096"…; empty for a password
  std::string fingerprint;  // "SHA256:…"; empty for a password
  std::string source;       // the authorized_keys file, or /etc/shadow for a password
  std::string sudo;         // "ALL (NOPASSWD)", "ALL", "some commands", "no", "unknown"
  // Empty when the row is a working way in; otherwise why not or under what condition
  // ("refused: PasswordAuthentication no", "conditional: from=…", "no login shell (…)").
  std::string caveat;
};

// Rows sorted by user, then method (keys first), then fingerprint.
std::vector<LoginRow> LoginRows(const RootReport& root);

}  // namespace imageprobe::report
