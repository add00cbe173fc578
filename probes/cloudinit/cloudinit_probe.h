// SPDX-License-Identifier: Apache-2.0
// The cloud-init probe: effective SSH-relevant configuration (cloud.cfg + cloud.cfg.d) and the
// state a previous boot left under /var/lib/cloud, with the secrets it may still hold.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "probes/cloudinit/secret_hints.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

struct CloudInitInstance {
  std::string id;           // directory name under /var/lib/cloud/instances
  bool is_current = false;  // what the `instance` symlink names
  bool boot_finished = false;
  std::vector<std::string> semaphores;  // sem/config_* names: modules that already ran
  int64_t newest_mtime = 0;
};
void to_json(nlohmann::json& j, const CloudInitInstance& instance);

struct CloudInitLeftover {
  std::string path;
  std::string instance_id;  // empty for files outside instances/
  uint64_t size = 0;
  bool scanned_partially = false;  // larger than what we read
  std::vector<SecretHint> secret_hints;
};
void to_json(nlohmann::json& j, const CloudInitLeftover& leftover);

struct CloudInitState {
  bool present = false;                      // /var/lib/cloud exists
  std::optional<std::string> instance_link;  // readlink of /var/lib/cloud/instance, not followed
  std::string current_instance_id;           // from the link when it names instances/<id>
  std::string data_instance_id;              // data/instance-id
  std::string previous_instance_id;          // data/previous-instance-id
  std::vector<std::string> once_semaphores;  // /var/lib/cloud/sem/*.once
  std::vector<CloudInitInstance> instances;
  std::vector<CloudInitLeftover> leftovers;
};
void to_json(nlohmann::json& j, const CloudInitState& state);

// Filesystem -> state. Unreadable parts become out.Error and the rest carries on.
CloudInitState CollectCloudInitState(const Filesystem& fs, const ScanLimits& limits, Output& out);

class CloudInitProbe final : public Probe {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override;
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
