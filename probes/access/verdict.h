// SPDX-License-Identifier: Apache-2.0
// The three answers sshd can give to "may this user log in this way", as an offline scan can
// know them, with the reason and the line that decides it.
//
//   accepted     sshd would authenticate the user with this method (given the credential)
//   refused      sshd would not, whatever the client offers; `reason` says why
//   conditional  it depends on what an offline scan cannot see: the client's address (a
//                from= option, user@host in AllowUsers, Match Address), a program sshd runs
//                (AuthorizedKeysCommand), or a CA's signature
#pragma once

#include <string>
#include <string_view>

namespace imageprobe::probes::access {

enum class Verdict { kRefused, kConditional, kAccepted };
std::string_view VerdictName(Verdict verdict);

struct Decision {
  Verdict verdict = Verdict::kRefused;
  std::string reason;  // why, in sshd's terms: "PasswordAuthentication no", "account locked"
  std::string source;  // where it is decided: "/etc/ssh/sshd_config:12", "default", "/etc/shadow"
  // Accepted, but what the login may do is limited (a forced command, `restrict`): said here.
  std::string restriction;

  static Decision Accepted(std::string reason = {}, std::string source = {}) {
    return {Verdict::kAccepted, std::move(reason), std::move(source), {}};
  }
  static Decision Refused(std::string reason, std::string source = {}) {
    return {Verdict::kRefused, std::move(reason), std::move(source), {}};
  }
  static Decision Conditional(std::string reason, std::string source = {}) {
    return {Verdict::kConditional, std::move(reason), std::move(source), {}};
  }
  bool accepted() const { return verdict == Verdict::kAccepted; }
  bool refused() const { return verdict == Verdict::kRefused; }
};

// Both must hold (a gate and a method, two methods of a chain): the weaker answer, with its
// reason. Refused beats conditional beats accepted; for two accepted, `a` keeps its reason.
Decision Both(const Decision& a, const Decision& b);

// Either may be used (two keys, two methods): the stronger answer.
Decision Either(const Decision& a, const Decision& b);

}  // namespace imageprobe::probes::access
