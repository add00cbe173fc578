// SPDX-License-Identifier: Apache-2.0
// References: awsdocs/ec2-image-builder-user-guide doc_source/security-best-practices.md
// @9fbda32, "Override the Linux clean up script" (sections, files, skip markers, the
// perform_cleanup gate); cmd-run.md and toe-run-config-input.md (TOE_<DATETIME>_<EXECUTIONID>
// log folders). See formats.md §2. The working directory is a recipe setting the image does
// not record: this probe looks in likely places (/tmp, /var/tmp, /root, /home/*) and says so.
#include "probes/aws/imagebuilder_cleanup_probe.h"

#include <algorithm>
#include <array>
#include <set>
#include <span>

#include "probes/aws/imagebuilder_records.h"
#include "probes/common/optional_read.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

constexpr RuleInfo kWouldDeleteAuthorizedKeys{
    "imagebuilder.cleanup.deletes_authorized_keys", Severity::kMedium,
    "Image Builder's cleanup would delete these authorized_keys",
    "Without a skip_cleanup_ssh_files marker, the Linux cleanup script shreds "
    "/root/.ssh/authorized_keys and /home/*/.ssh/authorized_keys: an AMI built from this image "
    "through Image Builder has no authorized keys for any of these users.",
    "If the keys must survive, create an empty file named skip_cleanup_ssh_files (no "
    "extension) in the recipe's working directory before the build, or provision keys at boot."};
constexpr RuleInfo kCleanupPending{
    "imagebuilder.cleanup.not_run", Severity::kHigh,
    "Image Builder cleanup did not run (perform_cleanup is still present)",
    "The cleanup script deletes perform_cleanup as its first step; the marker still being "
    "there means the image was captured before, or without, the cleanup.",
    "Find out why the cleanup step was skipped, and rebuild."};
constexpr RuleInfo kCleanupSkipped{
    "imagebuilder.cleanup.section_skipped", Severity::kLow,
    "A section of Image Builder's cleanup was skipped",
    "A skip_cleanup_* marker makes the cleanup keep that section's files; the marker itself "
    "stays in the image.",
    "Keep the marker only if the files are meant to ship; delete it afterwards."};
constexpr RuleInfo kToeLeftover{
    "imagebuilder.toe_logs.present", Severity::kMedium, "AWSTOE log folder left in the image",
    "TOE_<date>_<execution id> folders hold component logs of the build, which can include "
    "command output and parameters; the cleanup removes them unless skip_cleanup_toe_files.",
    "Delete the TOE_* folders before capturing the image."};
constexpr RuleInfo kCleanupIncomplete{
    "imagebuilder.cleanup.incomplete", Severity::kMedium,
    "Image Builder was used but the image does not look cleaned",
    "Files the cleanup script deletes (host keys, authorized_keys, cloud-init state, logs) "
    "are still present in an image that carries Image Builder markers.",
    "Check the cleanup step's log; remove the listed files or mark them skipped on purpose."};
constexpr RuleInfo kBadMarkerName{
    "imagebuilder.cleanup.marker_ignored", Severity::kMedium,
    "skip_cleanup marker with a wrong name is ignored by the cleanup",
    "The cleanup tests for exact names with no extension; a file such as "
    "skip_cleanup_ssh_files.txt does not stop it.",
    "Rename the marker to the exact name listed in the Image Builder documentation."};

constexpr std::array kRules = {
    kWouldDeleteAuthorizedKeys, kCleanupPending, kCleanupSkipped, kToeLeftover,
    kCleanupIncomplete,         kBadMarkerName};

struct SectionFiles {
  std::string_view section;
  std::string_view marker;
  std::vector<std::string_view> files;
};

const std::vector<SectionFiles>& FixedTargets() {
  static const std::vector<SectionFiles> targets = {
      {"CLOUD_INIT_FILES",
       "skip_cleanup_cloudinit_files",
       {"/etc/sudoers.d/90-cloud-init-users", "/etc/locale.conf", "/var/log/cloud-init.log",
        "/var/log/cloud-init-output.log"}},
      {"INSTANCE_FILES",
       "skip_cleanup_instance_files",
       {"/etc/.updated", "/etc/aliases.db", "/etc/hostname",
        "/var/lib/misc/postfix.aliasesdb-stamp", "/var/lib/postfix/master.lock",
        "/var/spool/postfix/pid/master.pid", "/var/.updated",
        "/var/cache/yum/x86_64/2/.gpgkeyschecked.yum"}},
      {"SSH_FILES",
       "skip_cleanup_ssh_files",
       {"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_rsa_key.pub", "/etc/ssh/ssh_host_ecdsa_key",
        "/etc/ssh/ssh_host_ecdsa_key.pub", "/etc/ssh/ssh_host_ed25519_key",
        "/etc/ssh/ssh_host_ed25519_key.pub"}},
      {"INSTANCE_LOG_FILES",
       "skip_cleanup_instance_log_files",
       {"/var/log/audit/audit.log", "/var/log/boot.log", "/var/log/dmesg", "/var/log/cron"}},
      {"ALWAYS", "", {"/var/lib/rsyslog/imjournal.state"}},
  };
  return targets;
}

constexpr std::array<std::string_view, 6> kSkipMarkers = {
    "skip_cleanup_cloudinit_files",    "skip_cleanup_instance_files", "skip_cleanup_ssh_files",
    "skip_cleanup_instance_log_files", "skip_cleanup_toe_files",      "skip_cleanup_ssm_log_files"};

bool IsRegularFile(const Target& target, std::string_view path) {
  auto st = target.fs.Stat(path);
  return st && st->IsRegular();
}

// Entries of `dir` whose names pass `keep`, as full paths; missing dir: none.
std::vector<std::string> ListMatching(const Target& target, std::string_view dir, auto keep) {
  std::vector<std::string> paths;
  auto entries = target.fs.ListDir(dir);
  if (!entries) return paths;
  for (const auto& entry : *entries) {
    if (keep(entry)) paths.push_back(std::string(dir) + "/" + entry.name);
  }
  return paths;
}

std::vector<std::string> WorkingDirectories(const Target& target) {
  std::vector<std::string> dirs = {"/tmp", "/var/tmp", "/root"};
  for (auto& home :
       ListMatching(target, "/home", [](const DirEntry& e) { return e.stat.IsDirectory(); })) {
    dirs.push_back(std::move(home));
  }
  return dirs;
}

// The first `max` parts, then how many more there are.
std::string JoinAtMost(const std::vector<std::string>& parts, std::string_view sep, size_t max) {
  std::string out = parse::Join(std::span(parts).first(std::min(max, parts.size())), sep);
  if (parts.size() > max)
    out += std::string(sep) + "… (" + std::to_string(parts.size() - max) + " more)";
  return out;
}

// perform_cleanup, skip_cleanup_* and TOE_* folders in the likely working directories.
void FindMarkers(const Target& target, CleanupState& state, Output& out) {
  for (const auto& dir : WorkingDirectories(target)) {
    auto entries = target.fs.ListDir(dir);
    if (!entries) {
      if (entries.error().code != FsErrc::kNotFound) out.Error(dir, entries.error().Message());
      continue;
    }
    for (const auto& entry : *entries) {
      std::string path = dir + "/" + entry.name;
      CleanupMarker marker{entry.name, path, dir, entry.stat.mtime};
      if (entry.name.starts_with("TOE_") && entry.stat.IsDirectory()) {
        state.toe_folders.push_back(marker);
      } else if (entry.name == "perform_cleanup" || entry.name.starts_with("skip_cleanup_")) {
        state.markers.push_back(marker);
      }
    }
  }
}

void AddMarkerFacts(const CleanupState& state, Output& out) {
  for (const auto& m : state.markers) {
    bool known = m.name == "perform_cleanup" ||
                 std::ranges::find(kSkipMarkers, m.name) != kSkipMarkers.end();
    out.AddFact(kImageBuilderMarkerRecord, m.path,
                {{"path", m.path},
                 {"marker", m.name},
                 {"recognised_by_cleanup", known},
                 {"working_directory", m.working_directory},
                 // The recipe's workingDirectory is not recorded in the image (formats.md §2).
                 {"working_directory_confidence", "inferred"},
                 {"mtime_utc", FormatUtc(m.mtime)}});
  }
  for (const auto& t : state.toe_folders) {
    out.AddFact(kImageBuilderToeFolderRecord, t.path,
                {{"path", t.path},
                 {"working_directory", t.working_directory},
                 {"working_directory_confidence", "inferred"},
                 {"mtime_utc", FormatUtc(t.mtime)}});
  }
}

void AddLeftover(CleanupState& state, std::string_view section, std::string path,
                 std::string_view marker) {
  state.leftovers.push_back(
      {std::string(section), std::move(path), !marker.empty() && state.HasMarker(marker)});
}

// Files of every section but SSH_FILES that the cleanup would delete and the image still holds.
void FindLeftovers(const Target& target, CleanupState& state, Output& out) {
  for (const auto& s : FixedTargets()) {
    for (auto file : s.files) {
      if (IsRegularFile(target, file)) AddLeftover(state, s.section, std::string(file), s.marker);
    }
  }
  auto any = [](const DirEntry&) { return true; };
  for (auto& p : ListMatching(target, "/var/lib/cloud", any)) {
    AddLeftover(state, "CLOUD_INIT_FILES", std::move(p), "skip_cleanup_cloudinit_files");
  }
  for (auto& p : ListMatching(target, "/var/log/amazon/ssm", any)) {
    AddLeftover(state, "SSM_LOG_FILES", std::move(p), "skip_cleanup_ssm_log_files");
  }
  for (const auto& t : state.toe_folders) {
    AddLeftover(state, "TOE_FILES", t.path, "skip_cleanup_toe_files");
  }
  for (auto& p : ListMatching(target, "/var/log/sa",
                              [](const DirEntry& e) { return e.name.starts_with("sa"); })) {
    AddLeftover(state, "ALWAYS", std::move(p), "");
  }
  for (auto& p : ListMatching(target, "/var/lib/dhclient", [](const DirEntry& e) {
         return e.name.starts_with("dhclient") && e.name.ends_with(".lease");
       })) {
    AddLeftover(state, "ALWAYS", std::move(p), "");
  }
  for (auto dir : {"/var/tmp", "/var/log/journal"}) {
    for (auto& p : ListMatching(target, dir, any)) AddLeftover(state, "ALWAYS", std::move(p), "");
  }
  if (auto id = ReadOptionalFile(target, "/etc/machine-id", out);
      id && !parse::TrimWhitespace(*id).empty() && parse::TrimWhitespace(*id) != "uninitialized") {
    AddLeftover(state, "MACHINE_ID", "/etc/machine-id", "");
  }
}

// SSH_FILES globs /root and /home/*; authorized_keys of homes elsewhere survive it.
void FindAuthorizedKeys(const Target& target, CleanupState& state) {
  std::vector<std::string> key_files = {"/root/.ssh/authorized_keys"};
  for (auto& home :
       ListMatching(target, "/home", [](const DirEntry& e) { return e.stat.IsDirectory(); })) {
    key_files.push_back(home + "/.ssh/authorized_keys");
  }
  for (auto& file : key_files) {
    if (IsRegularFile(target, file)) {
      AddLeftover(state, "SSH_FILES", file, "skip_cleanup_ssh_files");
      state.authorized_keys.push_back(std::move(file));
    }
  }
}

// The verdict: whether the image looks cleaned, and what is left.
void AddCleanupStateFact(const Target& target, const CleanupState& state, Output& out) {
  bool cleaned =
      std::ranges::none_of(state.leftovers, [](const CleanupLeftover& l) { return !l.skipped; });
  nlohmann::json remaining = nlohmann::json::array();
  for (const auto& l : state.leftovers) {
    remaining.push_back({{"section", l.section}, {"path", l.path}, {"skipped", l.skipped}});
  }
  // Each marker once, though several working directories may hold it (their paths are in
  // the marker facts).
  std::set<std::string> skip_markers;
  for (const auto& m : state.markers) {
    if (m.name != "perform_cleanup") skip_markers.insert(m.name);
  }
  out.AddFact(kImageBuilderCleanupStateRecord, "cleanup",
              {{"verdict", cleaned ? "looks cleaned" : "not cleaned"},
               {"looks_cleaned", cleaned},
               {"image_builder_evidence", state.ImageBuilderEvidence()},
               {"perform_cleanup_present", state.HasMarker("perform_cleanup")},
               {"skip_markers", skip_markers},
               {"remaining", remaining},
               // formats.md §2 records only that the script ends with `touch /etc/machine-id`;
               // counting a non-empty machine-id as "not cleaned" is this probe's judgement.
               {"machine_id_rule_confidence", "unconfirmed"},
               // Markers are looked for in likely working directories; that /tmp is the
               // service's default is seen only in documentation examples (formats.md §2).
               {"working_directories_searched", WorkingDirectories(target)},
               {"working_directory_confidence", "inferred"},
               {"tmp_default_confidence", "unconfirmed"}});
}

}  // namespace

bool CleanupState::HasMarker(std::string_view name) const {
  return std::ranges::any_of(markers, [&](const CleanupMarker& m) { return m.name == name; });
}

CleanupState CollectCleanupState(const Target& target, Output& out) {
  CleanupState state;
  FindMarkers(target, state, out);
  AddMarkerFacts(state, out);
  FindLeftovers(target, state, out);
  FindAuthorizedKeys(target, state);
  AddCleanupStateFact(target, state, out);
  return state;
}

void EvaluateCleanupState(const CleanupState& state, Output& out) {
  if (!state.authorized_keys.empty() && !state.HasMarker("skip_cleanup_ssh_files")) {
    Finding f;
    f.path = state.authorized_keys.front();
    f.evidence = "If this image is built with EC2 Image Builder, its cleanup script will delete " +
                 std::to_string(state.authorized_keys.size()) +
                 " authorized_keys file(s): " + JoinAtMost(state.authorized_keys, ", ", 20) +
                 ". No skip_cleanup_ssh_files marker was found in /tmp, /var/tmp, /root or "
                 "/home/* (the working directory is inferred).";
    out.Raise(kWouldDeleteAuthorizedKeys, std::move(f), "ssh_files");
  }
  for (const auto& m : state.markers) {
    Finding f;
    f.path = m.path;
    f.evidence = "marker " + m.name + " in " + m.working_directory +
                 " (taken as the recipe's working directory; inferred)";
    if (m.name == "perform_cleanup") {
      out.Raise(kCleanupPending, std::move(f), m.name);
    } else if (std::ranges::find(kSkipMarkers, m.name) != kSkipMarkers.end()) {
      out.Raise(kCleanupSkipped, std::move(f), m.name);
    } else {
      out.Raise(kBadMarkerName, std::move(f), m.name);
    }
  }
  for (const auto& t : state.toe_folders) {
    Finding f;
    f.path = t.path;
    f.evidence = "AWSTOE log folder " + t.name + ", last changed " + FormatUtc(t.mtime) +
                 (state.HasMarker("skip_cleanup_toe_files") ? " (skip_cleanup_toe_files is set)"
                                                            : "; cleanup skipped or failed");
    out.Raise(kToeLeftover, std::move(f), t.name);
  }
  if (state.ImageBuilderEvidence()) {
    std::vector<std::string> remaining;
    for (const auto& l : state.leftovers) {
      if (!l.skipped) remaining.push_back(l.section + ": " + l.path);
    }
    if (!remaining.empty()) {
      Finding f;
      f.evidence = "not cleaned; still present: " + JoinAtMost(remaining, ", ", 25);
      out.Raise(kCleanupIncomplete, std::move(f), "leftovers");
    }
  }
}

std::span<const RuleInfo> ImageBuilderCleanupProbe::rules() const { return kRules; }

std::vector<std::string> ImageBuilderCleanupProbe::prefetch() const {
  // Only small trees: the markers in /tmp, /var/tmp, /root and the homes, and the log files the
  // cleanup targets, are looked up one by one. Fetching those directories whole would stream
  // users' data and the journal out of the appliance.
  return {"/etc/ssh", "/etc/sudoers.d", "/root/.ssh", "/home/*/.ssh", "/var/lib/cloud"};
}

void ImageBuilderCleanupProbe::Run(const Target& target, Output& out) const {
  CleanupState state = CollectCleanupState(target, out);
  EvaluateCleanupState(state, out);
}

}  // namespace imageprobe::probes
