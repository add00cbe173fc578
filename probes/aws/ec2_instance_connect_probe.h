// SPDX-License-Identifier: Apache-2.0
// EC2 Instance Connect: what is installed, and the AuthorizedKeysCommand / User that its
// systemd drop-in puts on sshd's command line. The sshd configuration probe folds these `-o`
// options into the effective configuration (they win over sshd_config); this probe only
// reports them and checks the helper scripts they run.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "probes/aws/systemd_exec_start.h"
#include "probes/common/user_db.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

struct EicFile {
  std::string path;
  FileStat stat;
};

struct EicDropIn {
  std::string path;
  std::string unit;  // "sshd.service" or "ssh.service"
  ServiceExecStart exec_start;
  std::optional<std::string> authorized_keys_command;  // first -o wins, like sshd
  std::optional<std::string> authorized_keys_command_user;
};
void to_json(nlohmann::json& j, const EicDropIn& dropin);

struct Ec2InstanceConnect {
  std::string layout;            // "rpm", "deb", "rpm+deb", or "" when no helper files were found
  std::vector<EicFile> helpers;  // eic_* scripts found
  bool system_user_present = false;  // passwd has ec2-instance-connect
  std::vector<EicDropIn> dropins;
  // UNCONFIRMED layout (AL2023-style /etc/ssh/sshd_config.d/*ec2-instance-connect*): paths only.
  std::vector<std::string> sshd_config_hints;
  std::vector<std::pair<std::string, std::string>> errors;  // path, message

  bool installed() const {
    return !layout.empty() || !dropins.empty() || !sshd_config_hints.empty();
  }
};

Ec2InstanceConnect CollectEc2InstanceConnect(const Filesystem& fs, const UserDb& users);

class Ec2InstanceConnectProbe final : public Probe {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override;
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
