// SPDX-License-Identifier: Apache-2.0
// The secrets probe ("secrets"): AWS shared credential/config files and shell histories in
// every home (from /etc/passwd) and /root. Nothing it reports carries a secret in clear.
#pragma once

#include <string>
#include <vector>

#include "probes/secrets/secrets_records.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

struct HomeDir {
  std::string user;
  std::string path;
};
// Homes worth looking into: /root, then each distinct passwd home other than "/" and the
// usual placeholders, then /home/* directories no account names (a deleted user's files stay).
std::vector<HomeDir> HomesToScan(const Target& target);

class SecretsProbe final : public Probe {
 public:
  std::string_view name() const override { return "secrets"; }
  std::string_view description() const override {
    return "AWS credentials and config files, secrets in shell histories, private keys "
           "cross-referenced with authorized_keys and ssh client configs";
  }
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override { return kSecretsRecords; }
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
