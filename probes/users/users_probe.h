// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "scanner/core/probe.h"

namespace imageprobe::probes::users {

// "users": accounts, password state (never the hash), groups, sudo rights, who can log in.
class UsersProbe final : public Probe {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override;
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes::users
