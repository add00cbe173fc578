// SPDX-License-Identifier: Apache-2.0
// The CloudWatch agent probe ("aws.cloudwatch_agent"): which configuration files the image
// carries, and the shared credentials file that common-config.toml points the agent at.
#pragma once

#include <string_view>

#include "probes/aws/cloudwatch_common_config.h"
#include "probes/aws/cloudwatch_records.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

class CloudWatchAgentProbe final : public Probe {
 public:
  std::string_view name() const override { return "aws.cloudwatch_agent"; }
  std::string_view description() const override {
    return "Amazon CloudWatch agent: configuration files and the credentials file they name";
  }
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override { return kCloudwatchRecords; }
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
