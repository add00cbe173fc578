// SPDX-License-Identifier: Apache-2.0
// The EC2 Image Builder cleanup probe ("aws.imagebuilder_cleanup"): markers the Linux cleanup
// script reads, AWSTOE log folders, and which of the files that script deletes are still in
// the image. Its most useful warning is for a parent image: authorized_keys in /root or /home
// without a skip_cleanup_ssh_files marker are shredded by the cleanup, so every user of the
// new AMI loses key-based login (the incident this probe exists for).
#pragma once

#include <string>
#include <vector>

#include "probes/aws/imagebuilder_records.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

// One section of the cleanup script (IBDOC "Override the Linux clean up script").
struct CleanupSection {
  std::string name;         // "SSH_FILES"
  std::string skip_marker;  // "skip_cleanup_ssh_files"; empty for the unconditional part
};

struct CleanupLeftover {
  std::string section;  // "SSH_FILES", "ALWAYS", "MACHINE_ID"
  std::string path;
  bool skipped = false;  // its section's skip marker is present
};

struct CleanupMarker {
  std::string name;  // "perform_cleanup", "skip_cleanup_ssh_files", "TOE_…"
  std::string path;
  std::string working_directory;
  int64_t mtime = 0;
};

struct CleanupState {
  std::vector<CleanupMarker> markers;  // perform_cleanup and skip_cleanup_*
  std::vector<CleanupMarker> toe_folders;
  std::vector<CleanupLeftover> leftovers;
  std::vector<std::string> authorized_keys;  // files the SSH_FILES section deletes
  bool HasMarker(std::string_view name) const;
  bool ImageBuilderEvidence() const { return !markers.empty() || !toe_folders.empty(); }
};

CleanupState CollectCleanupState(const Target& target, Output& out);
void EvaluateCleanupState(const CleanupState& state, Output& out);

class ImageBuilderCleanupProbe final : public Probe {
 public:
  std::string_view name() const override { return "aws.imagebuilder_cleanup"; }
  std::string_view description() const override {
    return "EC2 Image Builder cleanup: markers, AWSTOE leftovers, files the cleanup deletes";
  }
  std::span<const RuleInfo> rules() const override;
  std::span<const RecordKind* const> records() const override { return kImagebuilderRecords; }
  std::vector<std::string> prefetch() const override;
  void Run(const Target& target, Output& out) const override;
};

}  // namespace imageprobe::probes
