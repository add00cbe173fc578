// SPDX-License-Identifier: Apache-2.0
// The config-files probe ("files.config"): one "file/config" fact per config file the other
// probes read on this root (see probes/files/config_file.h for what is shown). It runs last,
// reading the runner's log of whole-file reads (scanner/core/read_log.h), and always runs, even
// with --probe, so that the files the selected probes read are inventoried.
#pragma once

#include "probes/files/config_files_records.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

class ConfigFilesProbe final : public Probe {
 public:
  std::string_view name() const override { return "files.config"; }
  std::string_view description() const override {
    return "Every config file the probes read: hash, mode, owner, redacted text";
  }
  std::span<const RuleInfo> rules() const override { return {}; }
  std::span<const RecordKind* const> records() const override { return kConfigFilesRecords; }
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
