// SPDX-License-Identifier: Apache-2.0
// References (github.com/aws/amazon-ssm-agent @1c217c8; details in formats.md §1):
//   agent/appconfig/constants_unix.go (DefaultDataStorePath /var/lib/amazon/ssm/, AppConfigPath,
//     SeelogFilePath, DefaultEC2SharedCredentialsFilePath);
//   core/agent_parser.go (registration file written by -register; -clear keeps it);
//   agent/managedInstances/vault/fsvault/fsvault.go (Vault layout, plain JSON, mode 0600);
//   agent/managedInstances/registration/instance_info.go (RegistrationKey, EC2RegistrationKey);
//   agent/managedInstances/fingerprint/fingerprint.go, hardwareInfo_unix.go (machine-id check);
//   agent/appconfig/constants.go (DefaultIdentityConsumptionOrder OnPrem, EC2, CustomIdentity);
//   agent/session/utility/utility_unix.go (ssm-user, /etc/sudoers.d/ssm-agent-users);
//   packaging/ubuntu/conffiles, amazon-ssm-agent.spec, packaging/snap/snapcraft.yml (units);
//   the installed version from the dpkg status file or the rpmdb (probes/common/rpm_packages.h).
#include "probes/aws/ssm_agent_probe.h"

#include <re2/re2.h>

#include <algorithm>
#include <deque>

#include "probes/aws/ssm_findings.h"
#include "probes/aws/ssm_records.h"
#include "probes/aws/systemd_unit.h"
#include "probes/common/dpkg_status.h"
#include "probes/common/optional_read.h"
#include "probes/common/rpm_packages.h"
#include "probes/common/user_db.h"
#include "scanner/parse/ini.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

// Bounds of the walk through one per-instance folder.
constexpr uint32_t kMaxFolderEntries = 20'000;
constexpr uint32_t kMaxFolderDepth = 16;

bool IsDirectory(const Target& target, std::string_view path) {
  auto st = target.fs.Stat(path);
  return st && st->IsDirectory();
}

// Where the rpm database stands on amazon-ssm-agent, for version_source when it has no answer.
std::string RpmVersionUnknownReason(const RpmDatabase& rpm) {
  if (rpm.path.empty()) return "unknown (no rpm database in the image)";
  if (!rpm.error.empty()) return "unknown (" + rpm.path + ": " + rpm.error + ")";
  return "unknown (no amazon-ssm-agent in " + rpm.path + ")";
}

SsmInstall CollectInstall(const Target& target, Output& out) {
  SsmInstall install;
  constexpr std::string_view kUnit = "amazon-ssm-agent.service";
  constexpr std::string_view kSnapUnit = "snap.amazon-ssm-agent.amazon-ssm-agent.service";
  const std::string etc_unit = "/etc/systemd/system/" + std::string(kUnit);
  const std::string usr_lib_unit = "/usr/lib/systemd/system/" + std::string(kUnit);
  const std::string lib_unit = "/lib/systemd/system/" + std::string(kUnit);
  constexpr std::string_view kUpstartJob = "/etc/init/amazon-ssm-agent.conf";
  bool lib_unit_exists = EntryExists(target.fs, lib_unit);
  bool usr_lib_unit_exists = EntryExists(target.fs, usr_lib_unit);
  bool etc_unit_exists = EntryExists(target.fs, etc_unit);
  bool upstart_job = EntryExists(target.fs, kUpstartJob);
  bool snap = EntryExists(target.fs, "/snap/amazon-ssm-agent/current") ||
              EntryExists(target.fs, "/etc/systemd/system/" + std::string(kSnapUnit));
  bool binary = EntryExists(target.fs, "/usr/bin/amazon-ssm-agent");

  std::optional<std::string> dpkg_version;
  bool dpkg_status = false;
  if (auto status = ReadOptionalFile(target, "/var/lib/dpkg/status", out)) {
    dpkg_status = true;
    dpkg_version = InstalledDpkgVersion(*status, "amazon-ssm-agent");
  }
  const RpmDatabase& rpm = RpmPackagesOf(target);
  if (!rpm.path.empty() && !rpm.error.empty() && rpm.format != "ndb") {
    out.Error(rpm.path, rpm.error);
  } else if (rpm.unreadable_headers > 0) {
    out.Error(rpm.path, std::to_string(rpm.unreadable_headers) +
                            " package headers are malformed and were skipped");
  }
  const RpmPackage* rpm_agent = rpm.Find("amazon-ssm-agent");
  // Which package manager the agent belongs to: the package databases first; the unit's
  // location only when neither database names the agent (RHEL has /usr/lib/systemd/system and
  // /lib/systemd/system too, so the path alone cannot tell deb from rpm).
  bool rpm_system = !rpm.path.empty() && !dpkg_status;
  bool deb_unit = lib_unit_exists || usr_lib_unit_exists;

  if (snap) {
    install.packaging = "snap";
    install.unit_name = kSnapUnit;
    install.unit_path = "/etc/systemd/system/" + std::string(kSnapUnit);
    // /snap/<name>/current -> "<revision>"; the snap's own files are in a squashfs that an
    // offline image only holds under /var/lib/snapd/snaps, so the revision is all we have.
    if (auto link = ReadLinkResolvingParents(target.fs, "/snap/amazon-ssm-agent/current")) {
      install.version = "snap revision " + *link;
      install.version_source = "/snap/amazon-ssm-agent/current";
    } else {
      install.version_source = "unknown (no /snap/amazon-ssm-agent/current symlink)";
    }
  } else if (rpm_agent ||
             (!dpkg_version && rpm_system && (deb_unit || etc_unit_exists || upstart_job))) {
    install.packaging = "rpm";
    install.unit_name = kUnit;
    // The spec installs the unit under /etc/systemd/system; newer builds and distribution
    // packages use %_unitdir (/usr/lib/systemd/system).
    install.unit_path = etc_unit_exists       ? etc_unit
                        : usr_lib_unit_exists ? usr_lib_unit
                        : lib_unit_exists     ? lib_unit
                        : upstart_job         ? std::string(kUpstartJob)
                                              : etc_unit;
    if (rpm_agent) {
      install.version = rpm_agent->Evr();
      install.version_source = rpm.path;
    } else {
      install.version_source = RpmVersionUnknownReason(rpm);
    }
  } else if (dpkg_version || deb_unit) {
    install.packaging = "deb";
    install.unit_name = kUnit;
    install.unit_path = deb_unit && !lib_unit_exists ? usr_lib_unit : lib_unit;
    if (dpkg_version) {
      install.version = *dpkg_version;
      install.version_source = "/var/lib/dpkg/status";
    } else {
      install.version_source = "unknown (no installed amazon-ssm-agent in /var/lib/dpkg/status)";
    }
  } else if (etc_unit_exists || upstart_job) {
    install.packaging = "rpm";
    install.unit_name = kUnit;
    install.unit_path = etc_unit_exists ? etc_unit : std::string(kUpstartJob);
    install.version_source = RpmVersionUnknownReason(rpm);
  } else if (binary) {
    install.packaging = "binary";
    install.version_source = "unknown (binary without a package unit)";
  }
  install.installed = !install.packaging.empty();
  if (!install.unit_name.empty()) {
    UnitEnablement enablement = CheckUnitEnablement(target, install.unit_name, out);
    install.enabled = enablement.Enabled();
    install.masked = enablement.masked;
    install.wanted_by = std::move(enablement.wanted_by);
  }
  return install;
}

// Newest mtime under `root`, breadth first, without following symlinks, bounded.
SsmInstanceFolder WalkInstanceFolder(const Target& target, const DirEntry& entry, std::string path,
                                     Output& out) {
  SsmInstanceFolder folder;
  folder.id = entry.name;
  folder.path = path;
  folder.newest_mtime = entry.stat.mtime;
  std::deque<std::pair<std::string, uint32_t>> queue{{path, 0}};
  bool first = true;
  while (!queue.empty()) {
    auto [dir, depth] = std::move(queue.front());
    queue.pop_front();
    auto children = target.fs.List(dir);
    if (!children) {
      out.Error(dir, children.error().Message());
      continue;
    }
    for (const auto& child : *children) {
      // Counted up to the bound, not past it: "20000 entries, truncated", never 20001.
      if (folder.entries == kMaxFolderEntries) {
        folder.truncated = true;
        return folder;
      }
      ++folder.entries;
      if (first) folder.top_level.push_back(child.name);
      folder.newest_mtime = std::max(folder.newest_mtime, child.stat.mtime);
      if (child.stat.IsDirectory()) {
        if (depth + 1 >= kMaxFolderDepth) {
          folder.truncated = true;
        } else {
          queue.emplace_back(dir + "/" + child.name, depth + 1);
        }
      }
    }
    first = false;
  }
  return folder;
}

void CollectRegistration(const Target& target, SsmState& state, Output& out) {
  std::string path = std::string(kSsmDataDir) + "/registration";
  auto text = ReadOptionalFile(target, path, out);
  if (!text) return;
  auto parsed = ParseSsmRegistration(*text);
  if (!parsed) {
    out.Error(path, parsed.error());
    return;
  }
  state.registration = *parsed;
  nlohmann::json data = *parsed;
  data["path"] = path;
  out.AddFact(kSsmRegistrationRecord, "registration", std::move(data));
}

void CollectVault(const Target& target, SsmState& state, Output& out) {
  std::map<std::string, std::string> data_paths;  // key -> data file named by a manifest
  for (std::string name : {"Manifest", "EC2Manifest"}) {
    std::string path = std::string(kSsmVaultDir) + "/" + name;
    auto text = ReadOptionalFile(target, path, out);
    if (!text) continue;
    auto manifest = ParseSsmVaultManifest(*text);
    if (!manifest) {
      out.Error(path, manifest.error());
      continue;
    }
    nlohmann::json keys = nlohmann::json::object();
    for (const auto& [key, file] : *manifest) {
      keys[key] = file;
      if (file.starts_with("/")) data_paths.emplace(key, file);
    }
    out.AddFact(kSsmVaultManifestRecord, name, {{"path", path}, {"keys", keys}});
    state.manifests[name] = std::move(*manifest);
  }

  std::string store = std::string(kSsmVaultDir) + "/Store";
  if (auto entries = target.fs.ListDir(store)) {
    for (const auto& entry : *entries) state.store_keys.push_back(entry.name);
  } else if (entries.error().code != FsErrc::kNotFound) {
    out.Error(store, entries.error().Message());
  }
  auto data_path = [&](const std::string& key) {
    auto it = data_paths.find(key);
    return it != data_paths.end() ? it->second : store + "/" + key;
  };

  for (std::string key : {"RegistrationKey", "EC2RegistrationKey"}) {
    std::string path = data_path(key);
    auto text = ReadOptionalFile(target, path, out);
    if (!text) continue;
    auto info = ParseSsmInstanceInfo(*text);
    // The text holds the private key: drop it now rather than at the end of the scope.
    std::fill(text->begin(), text->end(), '\0');
    if (!info) {
      out.Error(path, info.error());
      continue;
    }
    nlohmann::json data = *info;
    data["path"] = path;
    out.AddFact(kSsmVaultIdentityRecord, key, std::move(data));
    state.identities.push_back({key, path, std::move(*info)});
  }

  std::string fingerprint_path = data_path("InstanceFingerprint");
  if (auto text = ReadOptionalFile(target, fingerprint_path, out)) {
    if (auto fingerprint = ParseSsmFingerprint(*text)) {
      state.fingerprint = std::move(*fingerprint);
    } else {
      out.Error(fingerprint_path, fingerprint.error());
    }
  }
  for (std::string_view path : {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
    auto text = ReadOptionalFile(target, path, out);
    if (!text) continue;
    state.image_machine_id = std::string(parse::TrimWhitespace(*text));
    state.image_machine_id_path = std::string(path);
    break;
  }
  if (state.fingerprint) {
    // machine-id is "confidential" per machine-id(5): facts carry a redacted form only.
    nlohmann::json data = *state.fingerprint;
    data["path"] = fingerprint_path;
    if (auto id = state.fingerprint->MachineId()) {
      data["machine_id"] = RedactSecret(parse::TrimWhitespace(*id));
      data["image_machine_id"] = RedactSecret(state.image_machine_id);
      data["image_machine_id_path"] = state.image_machine_id_path;
      data["machine_id_matches_image"] =
          !state.image_machine_id.empty() && parse::TrimWhitespace(*id) == state.image_machine_id;
      // A changed machine-id makes the agent compute a new fingerprint; that the service then
      // refuses the old identity is an inference, not read in the source (formats.md §1e).
      data["service_rejects_new_fingerprint_confidence"] = "unconfirmed";
    }
    out.AddFact(kSsmFingerprintRecord, "InstanceFingerprint", std::move(data));
  }
  if (!state.store_keys.empty()) {
    out.AddFact(kSsmVaultStoreRecord, "Store", {{"path", store}, {"keys", state.store_keys}});
  }
}

void CollectInstanceFolders(const Target& target, SsmState& state, Output& out) {
  static const RE2 kInstanceId(R"((?:i|mi)-[0-9a-f]{8,32})");
  auto entries = target.fs.ListDir(kSsmDataDir);
  if (!entries) {
    if (entries.error().code != FsErrc::kNotFound) {
      out.Error(std::string(kSsmDataDir), entries.error().Message());
    }
    return;
  }
  for (const auto& entry : *entries) {
    if (!entry.stat.IsDirectory() || !RE2::FullMatch(entry.name, kInstanceId)) continue;
    SsmInstanceFolder folder =
        WalkInstanceFolder(target, entry, std::string(kSsmDataDir) + "/" + entry.name, out);
    out.AddFact(kSsmInstanceFolderRecord, folder.id, folder);
    state.instance_folders.push_back(std::move(folder));
  }
}

void CollectConfig(const Target& target, SsmState& state, Output& out) {
  state.seelog_path = std::string(kSsmConfigDir) + "/seelog.xml";
  if (auto text = ReadOptionalFile(target, state.seelog_path, out)) {
    state.seelog = ParseSeelogLevels(*text);
    if (!state.seelog->seelog_element_found) {
      out.Error(state.seelog_path, "no <seelog> element");
    }
    nlohmann::json data = *state.seelog;
    data["path"] = state.seelog_path;
    out.AddFact(kSsmSeelogRecord, state.seelog_path, std::move(data));
  }
  state.config_path = std::string(kSsmConfigDir) + "/amazon-ssm-agent.json";
  if (auto text = ReadOptionalFile(target, state.config_path, out)) {
    auto config = ParseSsmAgentConfig(*text);
    if (!config) {
      out.Error(state.config_path, config.error());
    } else {
      for (const auto& problem : config->problems) out.Error(state.config_path, problem);
      nlohmann::json data = *config;
      data["path"] = state.config_path;
      // The RPM ships only the .template: a real file there was put in place on purpose.
      data["deliberate_on_rpm"] = state.install.packaging == "rpm";
      out.AddFact(kSsmConfigRecord, state.config_path, std::move(data));
      state.config = std::move(*config);
    }
  }
  std::string credentials = std::string(kSsmDataDir) + "/credentials";
  if (auto text = ReadOptionalFile(target, credentials, out)) {
    state.credentials_file_present = true;
    parse::IniFile ini = parse::ParseIni(*text);
    for (const auto& problem : ini.problems) {
      out.Error(credentials, "line " + std::to_string(problem.line) + ": " + problem.message);
    }
    state.shared_credentials = ExtractAwsCredentials(ini);
    for (const auto& profile : state.shared_credentials) {
      nlohmann::json data = profile;
      data["path"] = credentials;
      // Which agent code writes this file is not confirmed (formats.md §1c).
      data["writer_confidence"] = "unconfirmed";
      out.AddFact(kSsmCredentialsProfileRecord, profile.profile, std::move(data));
    }
  }
  state.ssm_user_sudoers = EntryExists(target.fs, "/etc/sudoers.d/ssm-agent-users");
  state.ssm_user_exists = UsersOf(target).Find("ssm-user") != nullptr;
  if (state.ssm_user_sudoers || state.ssm_user_exists) {
    out.AddFact(kSsmSessionManagerRecord, "ssm-user",
                {{"user_exists", state.ssm_user_exists},
                 {"sudoers_file_present", state.ssm_user_sudoers},
                 {"sudoers_file", "/etc/sudoers.d/ssm-agent-users"}});
  }
}

}  // namespace

void to_json(nlohmann::json& j, const SsmInstall& install) {
  j = {{"installed", install.installed},
       {"packaging", install.packaging},
       {"unit_name", install.unit_name},
       {"unit_path", install.unit_path},
       {"enabled", install.enabled},
       {"masked", install.masked},
       {"wanted_by", install.wanted_by},
       {"version", install.version},
       {"version_source", install.version_source}};
  // The snap unit's location is a snapd convention, not read in the agent's source.
  if (install.packaging == "snap") j["unit_path_confidence"] = "unconfirmed";
}

void to_json(nlohmann::json& j, const SsmInstanceFolder& folder) {
  j = {{"id", folder.id},
       {"path", folder.path},
       {"newest_mtime", folder.newest_mtime},
       {"newest_mtime_utc", FormatUtc(folder.newest_mtime)},
       {"entries", folder.entries},
       {"truncated", folder.truncated},
       {"top_level", folder.top_level}};
}

SsmState CollectSsmState(const Target& target, Output& out) {
  SsmState state;
  state.install = CollectInstall(target, out);
  state.data_dir_present = IsDirectory(target, kSsmDataDir);
  state.config_dir_present = IsDirectory(target, kSsmConfigDir);
  out.AddFact(kSsmAgentRecord, "agent", state.install);
  CollectRegistration(target, state, out);
  CollectVault(target, state, out);
  CollectInstanceFolders(target, state, out);
  CollectConfig(target, state, out);
  return state;
}

std::span<const RuleInfo> SsmAgentProbe::rules() const { return SsmAgentRules(); }

std::vector<std::string> SsmAgentProbe::prefetch() const {
  // Not /lib/systemd/system: only a unit's existence is checked there, which one listing of the
  // directory answers; fetching its hundreds of units costs more than the whole scan's lookups.
  return {"/var/lib/amazon/ssm",
          "/etc/amazon",
          "/etc/systemd/system",
          "/var/lib/dpkg/status",
          "/snap/amazon-ssm-agent",
          "/etc/machine-id",
          "/var/lib/dbus/machine-id",
          "/etc/sudoers.d",
          "/etc/init",
          "/usr/bin/amazon-ssm-agent"};
}

void SsmAgentProbe::Run(const Target& target, Output& out) const {
  SsmState state = CollectSsmState(target, out);
  if (!state.install.installed && !state.data_dir_present && !state.config_dir_present) {
    // Keep the "not installed" fact: a diff then shows the agent appearing or disappearing.
    out.NotApplicable("no SSM agent installation, state or configuration");
    return;
  }
  EvaluateSsmState(state, out);
}

}  // namespace imageprobe::probes
