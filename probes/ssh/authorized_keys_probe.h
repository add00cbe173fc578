// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scanner/core/probe.h"

namespace imageprobe::probes::ssh {

// "ssh.authorized_keys": every key sshd would accept for root and each login-capable user.
class AuthorizedKeysProbe final : public Probe {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override;
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

// Packer's temporary key comment "packer_<TimeOrderedUUID>": the build's UTC time
// ("2024-05-01T12:00:00Z"), from the UUID's first 8 hex digits. nullopt for other comments.
std::optional<std::string> PackerBuildTime(std::string_view comment);

// The forced command cloud-init writes for root when disable_root is on.
bool IsCloudInitDisableRootCommand(std::string_view command);

}  // namespace imageprobe::probes::ssh
