// SPDX-License-Identifier: Apache-2.0
// References: cloud-init cloudinit/helpers.py (Paths lookups, FileSemaphores: per-instance
// instances/<iid>/sem/config_<module>, once-only sem/config_<module>.once), cloudinit/stages.py
// (instance symlink, data/instance-id, previous-instance-id), cloudinit/util.py
// (read_conf_with_confd), cloudinit/config/cc_ssh.py, cc_set_passwords.py;
// ../shared/reference/formats.md §4.
#include "probes/cloudinit/cloudinit_probe.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "probes/cloudinit/cloud_config.h"
#include "probes/cloudinit/cloudinit_records.h"
#include "scanner/parse/bounded_yaml.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

constexpr std::string_view kCloudCfg = "/etc/cloud/cloud.cfg";
constexpr std::string_view kCloudCfgDir = "/etc/cloud/cloud.cfg.d";
constexpr std::string_view kStateDir = "/var/lib/cloud";
constexpr std::string_view kInstancesDir = "/var/lib/cloud/instances";
// Leftover files cloud-init writes per instance that can carry build secrets.
constexpr std::array<std::string_view, 10> kInstanceLeftovers = {"user-data.txt",
                                                                 "user-data.txt.i",
                                                                 "vendor-data.txt",
                                                                 "vendor-data.txt.i",
                                                                 "vendor-data2.txt",
                                                                 "vendor-data2.txt.i",
                                                                 "cloud-config.txt",
                                                                 "vendor-cloud-config.txt",
                                                                 "vendor2-cloud-config.txt",
                                                                 "obj.pkl"};
// Root-only copy of instance metadata with secrets; normally on tmpfs, so present only when
// /run was captured or the file was copied.
constexpr std::array<std::string_view, 2> kSensitiveLeftovers = {
    "/run/cloud-init/instance-data-sensitive.json", "/var/lib/cloud/instance-data-sensitive.json"};
constexpr uint64_t kMaxSecretScanBytes = 8ull << 20;
constexpr size_t kMaxScriptsPerInstance = 64;

constexpr RuleInfo kStateLeftover{
    "cloudinit.state.instance_left", Severity::kMedium,
    "cloud-init instance state left in the image",
    "cloud-init decides whether per-instance modules (host key regeneration, user and "
    "authorized_keys setup) run by comparing the datasource's instance id with the state in "
    "/var/lib/cloud. A clone that boots with the same instance id (NoCloud seeds, VMware and "
    "other fixed-id datasources) skips them, so baked host keys and keys persist on every copy.",
    "Run `cloud-init clean --logs` (or remove /var/lib/cloud/instances, /var/lib/cloud/instance "
    "and /var/lib/cloud/data) before capturing the image."};
constexpr RuleInfo kOnceSemaphores{
    "cloudinit.state.once_semaphores", Severity::kLow,
    "cloud-init once-only semaphores left in the image",
    "Modules with frequency 'once' never run again on any clone while their "
    "/var/lib/cloud/sem/*.once marker exists.",
    "Remove /var/lib/cloud/sem (cloud-init clean does) before capturing the image."};
constexpr RuleInfo kLeftoverSecrets{
    "cloudinit.leftover.secrets", Severity::kHigh, "Leftover cloud-init data seems to hold secrets",
    "user-data, vendor-data, the pickled datasource and instance-data-sensitive.json keep what "
    "the build instance was given, including credentials passed in user-data. Every clone and "
    "anyone who can read the image gets them.",
    "Rotate the credentials that appear, remove the files (cloud-init clean), and pass secrets "
    "through a secrets manager instead of user-data."};
constexpr RuleInfo kLeftoverData{
    "cloudinit.leftover.user_data", Severity::kLow,
    "Leftover cloud-init user-data or instance data",
    "Data given to the build instance stays readable in the image; no secret pattern matched, "
    "but custom secrets do not follow patterns.",
    "Review the file and remove it with cloud-init clean before capturing the image."};
constexpr RuleInfo kPasswordAuth{
    "cloudinit.config.ssh_pwauth_enabled", Severity::kMedium,
    "cloud-init enables SSH password authentication",
    "ssh_pwauth: true makes cloud-init write PasswordAuthentication yes on first boot of each "
    "instance, whatever sshd_config in the image says.",
    "Set ssh_pwauth: false (or leave it unset) in /etc/cloud/cloud.cfg.d."};
constexpr RuleInfo kRootAllowed{
    "cloudinit.config.disable_root_false", Severity::kMedium,
    "cloud-init installs SSH keys for root without the forced-command guard",
    "With disable_root: false the instance's key pair is written to root's authorized_keys as "
    "a normal login key, so root logs in directly over SSH.",
    "Leave disable_root at its default (true)."};
constexpr RuleInfo kKeepHostKeys{
    "cloudinit.config.ssh_deletekeys_false", Severity::kMedium,
    "cloud-init keeps the image's SSH host keys",
    "With ssh_deletekeys: false the host keys baked into the image are not replaced, so every "
    "clone shares the same host identity and one leak impersonates them all.",
    "Leave ssh_deletekeys at its default (true) and remove host keys before capture."};
constexpr RuleInfo kUnlockedPassword{
    "cloudinit.config.user_password_unlocked", Severity::kLow,
    "cloud-init user with an unlocked password",
    "lock_passwd: false leaves the account's password usable for login (cloud-init locks it by "
    "default).",
    "Keep lock_passwd: true for users that log in with keys."};

constexpr std::array<RuleInfo, 8> kRules = {kStateLeftover, kOnceSemaphores,  kLeftoverSecrets,
                                            kLeftoverData,  kPasswordAuth,    kRootAllowed,
                                            kKeepHostKeys,  kUnlockedPassword};

std::string FirstLine(std::string_view text) {
  auto end = text.find_first_of("\r\n");
  return std::string(parse::TrimWhitespace(text.substr(0, end)));
}

// One finding per file: which kinds of secret, how many, where the first is (redacted).
void RaiseSecretHints(const std::string& path, const std::vector<SecretHint>& hints,
                      std::string title, Output& out) {
  std::string evidence;
  bool critical = false;
  for (const auto& hint : hints) {
    if (!evidence.empty()) evidence += "; ";
    evidence += hint.kind + " x" + std::to_string(hint.count) + " (first at line " +
                std::to_string(hint.first_line) + ": " + hint.redacted + ")";
    critical |= hint.kind == "aws_access_key_id" || hint.kind == "aws_secret_access_key" ||
                hint.kind == "private_key";
  }
  out.Raise(kLeftoverSecrets, critical ? Severity::kCritical : kLeftoverSecrets.severity,
            Finding{.title = std::move(title), .path = path, .evidence = evidence}, path);
}

// --- configuration ---

std::vector<CloudConfigSource> ReadConfigSources(const Filesystem& fs, const ScanLimits& limits,
                                                 Output& out) {
  std::vector<std::string> paths;
  if (fs.Exists(kCloudCfg)) paths.emplace_back(kCloudCfg);
  if (auto entries = fs.ListDir(kCloudCfgDir)) {
    for (const auto& entry : *entries) {  // sorted by name, as cloud-init sorts them
      std::string path = std::string(kCloudCfgDir) + "/" + entry.name;
      auto stat = fs.Stat(path);  // os.path.isfile follows symlinks
      if (entry.name.ends_with(".cfg") && stat && stat->IsRegular()) paths.push_back(path);
    }
  } else if (entries.error().code != FsErrc::kNotFound) {
    out.Error(std::string(kCloudCfgDir), entries.error().Message());
  }

  std::vector<CloudConfigSource> sources;
  parse::YamlLimits yaml_limits;
  yaml_limits.max_bytes = std::min<uint64_t>(yaml_limits.max_bytes, limits.max_file_bytes);
  for (const auto& path : paths) {
    auto text = fs.ReadFile(path, yaml_limits.max_bytes);
    if (!text) {
      out.Error(path, text.error().Message());
      continue;
    }
    // Configuration is baked into every clone too: a password or key here is as exposed.
    if (auto hints = FindSecretHints(*text); !hints.empty()) {
      RaiseSecretHints(path, hints, "cloud-init configuration seems to hold secrets", out);
    }
    parse::YamlParse parsed = parse::ParseBoundedYaml(*text, yaml_limits);
    nlohmann::json fact{{"path", path}, {"valid", !parsed.problem.has_value()}};
    if (parsed.problem) {
      out.Error(path, "line " + std::to_string(parsed.problem->line) + ", column " +
                          std::to_string(parsed.problem->column) + ": " + parsed.problem->message +
                          " (cloud-init ignores this file)");
    } else if (!parsed.root->IsMap() && parsed.root->kind != parse::YamlNode::Kind::kNull) {
      out.Error(path, "top level is not a mapping (cloud-init ignores this file)");
      fact["valid"] = false;
    } else if (parsed.root->IsMap()) {
      std::vector<std::string> keys;
      for (const auto& [key, value] : parsed.root->entries) keys.push_back(key);
      fact["keys"] = keys;
      if (parsed.root->Find("merge_how") != nullptr || parsed.root->Find("_merge_how")) {
        fact["merge_how_ignored"] = true;  // we merge the default way (see cloud_config.h)
      }
      sources.push_back({path, std::move(*parsed.root)});
    }
    out.AddFact(kCloudInitConfigFileRecord, path, std::move(fact));
  }
  return sources;
}

void ReportSettings(std::span<const CloudConfigSource> sources, Output& out) {
  parse::YamlNode merged = MergeCloudConfigs(sources);
  CloudInitSettings settings = ReadCloudInitSettings(merged);
  for (const auto& problem : settings.problems) out.Error(std::string(kCloudCfg), problem);

  auto add_setting = [&](std::string_view name, nlohmann::json value) {
    std::string source = SourceOfSetting(sources, name);
    out.AddFact(kCloudInitSettingRecord, std::string(name),
                {{"name", name},
                 {"value", std::move(value)},
                 {"source", source.empty() ? "default" : source}});
  };
  add_setting("disable_root", settings.disable_root);
  add_setting("ssh_pwauth", settings.ssh_pwauth);
  add_setting("ssh_deletekeys", settings.ssh_deletekeys);
  add_setting("ssh_genkeytypes", settings.ssh_genkeytypes);
  add_setting("ssh_authorized_keys", settings.ssh_authorized_key_count);

  if (settings.default_user) {
    out.AddFact(
        kCloudInitDefaultUserRecord, settings.default_user->name,
        {{"user", *settings.default_user}, {"source", SourceOfSetting(sources, "system_info")}});
  }
  std::string users_source = SourceOfSetting(sources, "users");
  for (const auto& user : settings.users) {
    std::string key = user.name.empty() ? "default" : user.name;
    // The `users` schema (lock_passwd's default, which keys count) was not re-read against
    // cloud-init's documentation (formats.md §4, §8): the fact says so.
    out.AddFact(kCloudInitUserRecord, key,
                {{"user", user}, {"source", users_source}, {"schema_confidence", "unconfirmed"}});
    if (!user.lock_passwd) {
      out.Raise(kUnlockedPassword,
                Finding{.title = "cloud-init leaves the password of " + key + " unlocked",
                        .path = users_source,
                        .line = user.line,
                        .user = key,
                        .evidence = "lock_passwd: false" +
                                    std::string(user.has_password ? " with a password set" : "")},
                key);
    }
  }

  if (settings.ssh_pwauth == "yes") {
    out.Raise(kPasswordAuth,
              Finding{.path = SourceOfSetting(sources, "ssh_pwauth"),
                      .evidence = "ssh_pwauth: " + settings.ssh_pwauth_raw},
              "ssh_pwauth");
  }
  if (!settings.disable_root) {
    out.Raise(kRootAllowed,
              Finding{.path = SourceOfSetting(sources, "disable_root"),
                      .evidence = "disable_root resolves to false"},
              "disable_root");
  }
  if (!settings.ssh_deletekeys) {
    out.Raise(kKeepHostKeys,
              Finding{.path = SourceOfSetting(sources, "ssh_deletekeys"),
                      .evidence = "ssh_deletekeys resolves to false"},
              "ssh_deletekeys");
  }
}

// --- state ---

void ScanLeftover(const Filesystem& fs, const std::string& path, std::string instance_id,
                  CloudInitState& state, Output& out) {
  auto stat = fs.Stat(path);
  if (!stat) return;
  if (!stat->IsRegular()) return;
  auto head = fs.ReadHead(path, kMaxSecretScanBytes);
  if (!head) {
    out.Error(path, head.error().Message());
    return;
  }
  CloudInitLeftover leftover;
  leftover.path = path;
  leftover.instance_id = std::move(instance_id);
  leftover.size = stat->size;
  leftover.scanned_partially = stat->size > head->size();
  leftover.secret_hints = FindSecretHints(*head);
  state.leftovers.push_back(std::move(leftover));
}

CloudInitInstance ReadInstance(const Filesystem& fs, const std::string& id, const std::string& dir,
                               CloudInitState& state, Output& out) {
  CloudInitInstance instance;
  instance.id = id;
  instance.is_current = id == state.current_instance_id;
  if (auto entries = fs.ListDir(dir)) {
    for (const auto& entry : *entries) {
      instance.newest_mtime = std::max(instance.newest_mtime, entry.stat.mtime);
      if (entry.name == "boot-finished") instance.boot_finished = true;
    }
  }
  if (auto sems = fs.ListDir(dir + "/sem")) {
    for (const auto& sem : *sems) {
      if (sem.name.starts_with("config_")) instance.semaphores.push_back(sem.name);
    }
  }
  for (auto name : kInstanceLeftovers)
    ScanLeftover(fs, dir + "/" + std::string(name), id, state, out);
  // User-data shell scripts are saved here as part-001…; they carry the same secrets.
  if (auto scripts = fs.ListDir(dir + "/scripts")) {
    size_t scanned = 0;
    for (const auto& script : *scripts) {
      if (!script.stat.IsRegular()) continue;
      if (++scanned > kMaxScriptsPerInstance) {
        out.Error(dir + "/scripts", "more than " + std::to_string(kMaxScriptsPerInstance) +
                                        " scripts; the rest were not scanned for secrets");
        break;
      }
      ScanLeftover(fs, dir + "/scripts/" + script.name, id, state, out);
    }
  }
  return instance;
}

std::string ReadId(const Filesystem& fs, std::string_view path, Output& out) {
  auto text = fs.ReadFile(path, 4096);
  if (text) return FirstLine(*text);
  if (text.error().code != FsErrc::kNotFound) out.Error(std::string(path), text.error().Message());
  return {};
}

void ReportState(const CloudInitState& state, Output& out) {
  // Leftover files outside /var/lib/cloud (a captured /run) count even without the state dir.
  if (state.present) out.AddFact(kCloudInitStateRecord, std::string(kStateDir), state);
  for (const auto& instance : state.instances) {
    out.AddFact(kCloudInitInstanceRecord, instance.id, instance);
  }
  for (const auto& leftover : state.leftovers) {
    out.AddFact(kCloudInitLeftoverFileRecord, leftover.path, leftover);
  }

  if (!state.instances.empty() || !state.data_instance_id.empty()) {
    std::string ids;
    bool ssh_ran = false;
    for (const auto& instance : state.instances) {
      if (!ids.empty()) ids += ", ";
      ids += instance.id + (instance.is_current ? " (current)" : "");
      ssh_ran |= std::ranges::count(instance.semaphores, "config_ssh") > 0;
    }
    std::string evidence = "instances: " + (ids.empty() ? std::string("none") : ids);
    if (!state.data_instance_id.empty()) evidence += "; data/instance-id " + state.data_instance_id;
    if (ssh_ran) evidence += "; per-instance config_ssh semaphore present (host keys were set up)";
    out.Raise(kStateLeftover, Finding{.path = std::string(kStateDir), .evidence = evidence},
              "instances");
  }
  if (!state.once_semaphores.empty()) {
    std::string names;
    for (const auto& name : state.once_semaphores) names += (names.empty() ? "" : ", ") + name;
    out.Raise(kOnceSemaphores, Finding{.path = std::string(kStateDir) + "/sem", .evidence = names},
              "sem");
  }
  for (const auto& leftover : state.leftovers) {
    if (leftover.secret_hints.empty()) {
      out.Raise(
          kLeftoverData,
          Finding{.path = leftover.path,
                  .evidence = std::to_string(leftover.size) + " bytes, no secret pattern matched"},
          leftover.path);
      continue;
    }
    RaiseSecretHints(leftover.path, leftover.secret_hints, "", out);
  }
}

}  // namespace

std::string_view CloudInitProbe::name() const { return "cloudinit"; }

std::string_view CloudInitProbe::description() const {
  return "cloud-init: effective SSH settings, users, leftover instance state and user-data";
}

std::span<const RuleInfo> CloudInitProbe::rules() const { return kRules; }

std::span<const RecordKind* const> CloudInitProbe::records() const { return kCloudinitRecords; }

std::vector<std::string> CloudInitProbe::prefetch() const {
  return {"/etc/cloud", "/var/lib/cloud", "/run/cloud-init"};
}

void CloudInitProbe::Run(const Target& target, Output& out) const {
  const Filesystem& fs = target.fs;
  bool has_config = fs.Exists(kCloudCfg) || fs.Exists(kCloudCfgDir);
  CloudInitState state = CollectCloudInitState(fs, target.limits, out);
  if (!has_config && !state.present) {
    out.NotApplicable("no /etc/cloud/cloud.cfg, cloud.cfg.d or /var/lib/cloud");
    return;
  }
  std::vector<CloudConfigSource> sources = ReadConfigSources(fs, target.limits, out);
  ReportSettings(sources, out);
  ReportState(state, out);
}

void to_json(nlohmann::json& j, const CloudInitInstance& instance) {
  j = nlohmann::json{{"id", instance.id},
                     {"is_current", instance.is_current},
                     {"boot_finished", instance.boot_finished},
                     {"semaphores", instance.semaphores},
                     {"newest_mtime", instance.newest_mtime}};
}

void to_json(nlohmann::json& j, const CloudInitLeftover& leftover) {
  j = nlohmann::json{{"path", leftover.path},
                     {"instance_id", leftover.instance_id},
                     {"size", leftover.size},
                     {"scanned_partially", leftover.scanned_partially},
                     {"secret_hints", leftover.secret_hints}};
}

void to_json(nlohmann::json& j, const CloudInitState& state) {
  std::vector<std::string> ids;
  for (const auto& instance : state.instances) ids.push_back(instance.id);
  j = nlohmann::json{{"instance_link", state.instance_link.value_or("")},
                     {"current_instance_id", state.current_instance_id},
                     {"data_instance_id", state.data_instance_id},
                     {"previous_instance_id", state.previous_instance_id},
                     {"once_semaphores", state.once_semaphores},
                     {"instance_ids", ids},
                     {"leftover_file_count", state.leftovers.size()}};
}

CloudInitState CollectCloudInitState(const Filesystem& fs, const ScanLimits& limits, Output& out) {
  (void)limits;  // reads are bounded by kMaxSecretScanBytes and the backend's entry cap
  CloudInitState state;
  auto dir = fs.Stat(kStateDir);
  state.present = dir && dir->IsDirectory();
  if (state.present) {
    std::string link_path = std::string(kStateDir) + "/instance";
    if (auto lstat = fs.Lstat(link_path); lstat && lstat->IsSymlink()) {
      // Read the link text only: the target is a guest path we name, not one we follow.
      if (auto target = fs.ReadLink(link_path)) {
        state.instance_link = *target;
        std::string_view text = *target;
        while (text.size() > 1 && text.back() == '/') text.remove_suffix(1);
        for (std::string_view prefix : {"/var/lib/cloud/instances/", "instances/"}) {
          if (text.starts_with(prefix) &&
              text.substr(prefix.size()).find('/') == std::string_view::npos) {
            state.current_instance_id = std::string(text.substr(prefix.size()));
          }
        }
      } else {
        out.Error(link_path, target.error().Message());
      }
    }
    state.data_instance_id = ReadId(fs, "/var/lib/cloud/data/instance-id", out);
    state.previous_instance_id = ReadId(fs, "/var/lib/cloud/data/previous-instance-id", out);
    if (auto sems = fs.ListDir("/var/lib/cloud/sem")) {
      for (const auto& sem : *sems) {
        if (sem.name.ends_with(".once")) state.once_semaphores.push_back(sem.name);
      }
    }
    if (auto entries = fs.ListDir(kInstancesDir)) {
      for (const auto& entry : *entries) {
        if (!entry.stat.IsDirectory()) continue;  // a symlinked instance dir is not followed
        state.instances.push_back(ReadInstance(
            fs, entry.name, std::string(kInstancesDir) + "/" + entry.name, state, out));
      }
    } else if (entries.error().code != FsErrc::kNotFound) {
      out.Error(std::string(kInstancesDir), entries.error().Message());
    }
  }
  for (auto path : kSensitiveLeftovers) ScanLeftover(fs, std::string(path), "", state, out);
  return state;
}

}  // namespace imageprobe::probes
