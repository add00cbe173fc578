// SPDX-License-Identifier: Apache-2.0
// The expect.paths probe: whether each path an expectations file names (paths.present /
// paths.absent) exists in the image, recorded as "fs/path" facts for EvaluateExpectations.
// Not in the registry: `scan --expect` adds one, built with the file's paths, so nothing is
// looked at that no one asked about.
#pragma once

#include <string>
#include <vector>

#include "probes/expect/path_presence_records.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

class PathPresenceProbe final : public Probe {
 public:
  explicit PathPresenceProbe(std::vector<std::string> paths) : paths_(std::move(paths)) {}

  std::string_view name() const override { return "expect.paths"; }
  std::string_view description() const override {
    return "Whether the paths named in --expect exist (inventory for the expectations)";
  }
  std::span<const RuleInfo> rules() const override { return {}; }
  std::span<const RecordKind* const> records() const override { return kPathPresenceRecords; }
  std::vector<std::string> prefetch() const override { return paths_; }
  void Run(const Target& target, Output& out) const override;

 private:
  std::vector<std::string> paths_;
};

}  // namespace imageprobe::probes
