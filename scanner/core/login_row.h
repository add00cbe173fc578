// SPDX-License-Identifier: Apache-2.0
// One row of "who can log in": a way into one account, what sshd says about it, and what the
// account may do once in. The rows come from the record kinds that carry access (their
// login_rows hooks, scanner/core/record_kind.h); scanner/report/login_table.h assembles and sorts
// them.
#pragma once

#include <string>

namespace imageprobe {

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

}  // namespace imageprobe
