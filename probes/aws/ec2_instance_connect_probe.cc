// SPDX-License-Identifier: Apache-2.0
// References: aws/aws-ec2-instance-connect-config rpmsrc/SPECS/generic.spec (%post drop-in,
// /opt/aws/bin/eic_*), debian/install and debian/postinst (/usr/share/ec2-instance-connect,
// ssh.service.d drop-in); AWS EC2 user guide "Install EC2 Instance Connect" (drop-in
// contents); sshd_config(5) AuthorizedKeysCommand (must be root-owned, not group/world
// writable); ../shared/reference/formats.md §3, §6a.
#include "probes/aws/ec2_instance_connect_probe.h"

#include <array>
#include <cstdio>
#include <set>

#include "probes/aws/ec2_instance_connect_records.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

constexpr std::string_view kRpmBin = "/opt/aws/bin";
constexpr std::string_view kDebShare = "/usr/share/ec2-instance-connect";
constexpr std::string_view kSystemUser = "ec2-instance-connect";

struct DropInLocation {
  std::string_view path;
  std::string_view unit;
};
// /usr/lib variants cover merged-/usr images where /lib is a link (deduplicated on resolve);
// /etc variants are where an administrator's copy would override the packaged one.
constexpr std::array<DropInLocation, 6> kDropIns = {{
    {"/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf", "sshd.service"},
    {"/lib/systemd/system/ssh.service.d/ec2-instance-connect.conf", "ssh.service"},
    {"/usr/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf", "sshd.service"},
    {"/usr/lib/systemd/system/ssh.service.d/ec2-instance-connect.conf", "ssh.service"},
    {"/etc/systemd/system/sshd.service.d/ec2-instance-connect.conf", "sshd.service"},
    {"/etc/systemd/system/ssh.service.d/ec2-instance-connect.conf", "ssh.service"},
}};

constexpr RuleInfo kHelperMissing{
    "aws.ec2_instance_connect.helper_missing", Severity::kMedium,
    "EC2 Instance Connect drop-in runs a helper that is not in the image",
    "sshd is started with an AuthorizedKeysCommand that does not exist, so EC2 Instance Connect "
    "logins fail, and whoever can later create that path decides which keys sshd accepts.",
    "Reinstall the ec2-instance-connect package or remove its systemd drop-in."};
constexpr RuleInfo kHelperWritable{
    "aws.ec2_instance_connect.helper_writable", Severity::kHigh,
    "EC2 Instance Connect helper is writable by a non-root user",
    "The helpers decide which public keys sshd accepts for every user. sshd checks only the "
    "AuthorizedKeysCommand itself; the scripts it calls (eic_curl_authorized_keys, "
    "eic_parse_authorized_keys) are not checked, so a non-root writer can grant itself login as "
    "anyone.",
    "Make the helpers and their directories owned by root and not group/world-writable."};
constexpr std::array<RuleInfo, 2> kRules = {kHelperMissing, kHelperWritable};

void AddHelpers(const Filesystem& fs, std::string_view dir, Ec2InstanceConnect& eic) {
  auto entries = fs.ListDir(dir);
  if (!entries) {
    if (entries.error().code != FsErrc::kNotFound) {
      eic.errors.emplace_back(std::string(dir), entries.error().Message());
    }
    return;
  }
  for (const auto& entry : *entries) {
    if (!entry.name.starts_with("eic_")) continue;
    std::string path = std::string(dir) + "/" + entry.name;
    FileStat stat = entry.stat;
    // sshd runs what a symlink points at: its owner and mode are the ones that matter (a
    // dangling link keeps its own).
    if (stat.IsSymlink()) {
      if (auto target = fs.Stat(path)) stat = *target;
    }
    eic.helpers.push_back({std::move(path), stat});
  }
}

std::string_view ProgramOf(std::string_view command) {
  auto words = parse::SplitWhitespace(command);
  return words.empty() ? std::string_view() : words[0];
}

// Who other than root could change `path`: the file itself, then each parent directory.
std::optional<std::string> NonRootWriter(const Filesystem& fs, const std::string& path) {
  std::string current = path;
  while (!current.empty()) {
    auto stat = fs.Stat(current);
    if (stat) {
      bool sticky_dir = stat->IsDirectory() && (stat->mode & 01000) != 0;
      if (stat->uid != 0) {
        return current + " is owned by uid " + std::to_string(stat->uid);
      }
      if ((stat->mode & 022) != 0 && !sticky_dir) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%04o", stat->mode);
        return current + " has mode " + mode;
      }
    }
    if (current == "/") break;
    size_t slash = current.rfind('/');
    current = slash == 0 ? "/" : current.substr(0, slash);
  }
  return std::nullopt;
}

void Evaluate(const Filesystem& fs, const Ec2InstanceConnect& eic, Output& out) {
  std::set<std::string> checked;
  auto check_writable = [&](const std::string& path, const std::string& source) {
    if (!checked.insert(path).second) return;
    if (auto writer = NonRootWriter(fs, path)) {
      out.Raise(kHelperWritable,
                Finding{.title = "EC2 Instance Connect helper " + path +
                                 " can be changed by a non-root user",
                        .path = path,
                        .evidence = *writer + (source.empty() ? "" : " (run by " + source + ")")},
                path);
    }
  };
  for (const auto& dropin : eic.dropins) {
    if (!dropin.authorized_keys_command) continue;
    std::string program(ProgramOf(*dropin.authorized_keys_command));
    if (program.empty() || program[0] != '/') continue;  // sshd itself refuses those
    if (!fs.Stat(program)) {
      out.Raise(kHelperMissing,
                Finding{.path = dropin.path,
                        .line = dropin.exec_start.line,
                        .evidence = "AuthorizedKeysCommand " + program + " does not exist"},
                program);
      continue;
    }
    check_writable(program, dropin.path);
  }
  for (const auto& helper : eic.helpers) check_writable(helper.path, "");
}

}  // namespace

std::string_view Ec2InstanceConnectProbe::name() const { return "aws.ec2_instance_connect"; }

std::string_view Ec2InstanceConnectProbe::description() const {
  return "EC2 Instance Connect: installed helpers and the sshd options its drop-in injects";
}

std::span<const RuleInfo> Ec2InstanceConnectProbe::rules() const { return kRules; }

std::span<const RecordKind* const> Ec2InstanceConnectProbe::records() const {
  return kEc2InstanceConnectRecords;
}

std::vector<std::string> Ec2InstanceConnectProbe::prefetch() const {
  return {"/opt/aws/bin",
          "/usr/share/ec2-instance-connect",
          "/lib/systemd/system/sshd.service.d",
          "/lib/systemd/system/ssh.service.d",
          "/usr/lib/systemd/system/sshd.service.d",
          "/usr/lib/systemd/system/ssh.service.d",
          "/etc/systemd/system/sshd.service.d",
          "/etc/systemd/system/ssh.service.d",
          "/etc/ssh/sshd_config.d"};
}

void Ec2InstanceConnectProbe::Run(const Target& target, Output& out) const {
  Ec2InstanceConnect eic = CollectEc2InstanceConnect(target.fs, UsersOf(target));
  for (auto& [path, message] : eic.errors) out.Error(path, message);
  if (!eic.installed()) {
    out.NotApplicable("no EC2 Instance Connect helpers or sshd drop-in");
    return;
  }
  nlohmann::json helpers = nlohmann::json::array();
  for (const auto& helper : eic.helpers) {
    helpers.push_back({{"path", helper.path},
                       {"mode", parse::OctalMode(helper.stat.mode)},
                       {"uid", helper.stat.uid},
                       {"gid", helper.stat.gid}});
  }
  out.AddFact(kEicInstallationRecord, "ec2-instance-connect",
              {{"layout", eic.layout},
               {"helpers", helpers},
               {"system_user_present", eic.system_user_present},
               {"dropin_count", eic.dropins.size()}});
  for (const auto& dropin : eic.dropins) {
    out.AddFact(kEicDropinRecord, dropin.path, dropin);
    for (const auto& problem : dropin.exec_start.problems) {
      out.Error(dropin.path, "line " + std::to_string(problem.line) + ": " + problem.message);
    }
    for (const auto& problem : dropin.exec_start.command.problems) out.Error(dropin.path, problem);
    for (const auto& problem : dropin.exec_start.sshd.problems) out.Error(dropin.path, problem);
  }
  for (const auto& path : eic.sshd_config_hints) {
    out.AddFact(kEicSshdConfigHintRecord, path,
                {{"path", path},
                 {"unconfirmed", true},
                 {"note",
                  "AL2023-style sshd_config.d drop-in; layout UNCONFIRMED, see "
                  "formats.md §3"}});
  }
  Evaluate(target.fs, eic, out);
}

void to_json(nlohmann::json& j, const EicDropIn& dropin) {
  j = nlohmann::json{
      {"path", dropin.path},
      {"unit", dropin.unit},
      {"resets_exec_start", dropin.exec_start.resets_exec_start},
      {"exec_start", dropin.exec_start.command.argv},
      {"unexpanded", dropin.exec_start.command.unexpanded},
      {"sshd_options", dropin.exec_start.sshd.options},
      {"authorized_keys_command", dropin.authorized_keys_command.value_or("")},
      {"authorized_keys_command_user", dropin.authorized_keys_command_user.value_or("")}};
}

Ec2InstanceConnect CollectEc2InstanceConnect(const Filesystem& fs, const UserDb& users) {
  Ec2InstanceConnect eic;
  AddHelpers(fs, kRpmBin, eic);
  bool rpm = !eic.helpers.empty();
  size_t before = eic.helpers.size();
  AddHelpers(fs, kDebShare, eic);
  bool deb = eic.helpers.size() > before || fs.Exists(kDebShare);
  eic.layout = rpm && deb ? "rpm+deb" : rpm ? "rpm" : deb ? "deb" : "";
  eic.system_user_present = users.Find(kSystemUser) != nullptr;

  std::set<std::string> seen;  // resolved paths: /lib and /usr/lib are often the same place
  for (const auto& location : kDropIns) {
    auto resolved = fs.Resolve(location.path);
    if (!resolved) {
      if (resolved.error().code != FsErrc::kNotFound &&
          resolved.error().code != FsErrc::kNotDirectory) {
        eic.errors.emplace_back(std::string(location.path), resolved.error().Message());
      }
      continue;
    }
    if (!seen.insert(*resolved).second) continue;
    auto text = fs.ReadFile(location.path, 1 << 20);
    if (!text) {
      eic.errors.emplace_back(std::string(location.path), text.error().Message());
      continue;
    }
    EicDropIn dropin;
    dropin.path = std::string(location.path);
    dropin.unit = std::string(location.unit);
    dropin.exec_start = ParseServiceExecStart(*text);
    // sshd keeps the first value it is given for these (servconf.c), -o included.
    for (const auto& option : dropin.exec_start.sshd.options) {
      if (parse::EqualsIgnoreCase(option.keyword, "AuthorizedKeysCommand") &&
          !dropin.authorized_keys_command) {
        dropin.authorized_keys_command = option.value;
      } else if (parse::EqualsIgnoreCase(option.keyword, "AuthorizedKeysCommandUser") &&
                 !dropin.authorized_keys_command_user) {
        dropin.authorized_keys_command_user = option.value;
      }
    }
    eic.dropins.push_back(std::move(dropin));
  }

  if (auto entries = fs.ListDir("/etc/ssh/sshd_config.d")) {
    for (const auto& entry : *entries) {
      if (entry.name.find("ec2-instance-connect") != std::string::npos) {
        eic.sshd_config_hints.push_back("/etc/ssh/sshd_config.d/" + entry.name);
      }
    }
  }
  return eic;
}

}  // namespace imageprobe::probes
