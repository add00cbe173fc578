// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "scanner/core/probe.h"

namespace imageprobe::probes::ssh {

// "ssh.trusted_user_ca": the certificate authorities sshd trusts for user logins
// (TrustedUserCAKeys, globally and where a Match block changes it): each CA key as a fact, and
// findings for a trusted CA, a named file that is missing, and one others can write.
class TrustedUserCaProbe final : public Probe {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes::ssh
