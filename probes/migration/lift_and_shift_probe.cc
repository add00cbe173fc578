// SPDX-License-Identifier: Apache-2.0
// References: AWS Application Migration Service / VM Import prerequisites (ENA and NVMe
// drivers, DHCP networking, fstab by UUID, removal of VMware Tools); AWS EC2 user guide
// "Amazon EBS and NVMe", "Enable enhanced networking with ENA"; fstab(5); udev(7);
// interfaces(5); netplan(5); RHEL ifcfg documentation (sysconfig.txt); open-vm-tools
// packaging (vmtoolsd, open-vm-tools.service / vmtoolsd.service).
#include "probes/migration/lift_and_shift_probe.h"

#include <array>
#include <string>

#include "probes/common/dpkg_status.h"
#include "probes/common/rpm_packages.h"
#include "probes/migration/fstab.h"
#include "probes/migration/kernel_drivers.h"
#include "probes/migration/lift_and_shift_records.h"
#include "probes/migration/network_config.h"

namespace imageprobe::probes {
namespace {

constexpr RuleInfo kVmwareTools{
    "migration.vmware_tools.installed", Severity::kLow, "VMware Tools are installed",
    "VMware Tools (vmtoolsd) do nothing on EC2, keep running and log errors, and show the image "
    "was lifted from VMware without clean-up.",
    "Uninstall open-vm-tools / VMware Tools before importing or after the first boot on EC2."};
constexpr RuleInfo kMacBoundNames{
    "migration.network.mac_bound_names", Severity::kMedium,
    "Interface names are bound to the source machine's MAC addresses",
    "On EC2 the network interface has a new MAC: a persistent-net rule or a MAC match keeps the "
    "old name for a MAC that no longer exists, so the new interface gets another name (eth1) "
    "and the configuration for eth0 never applies.",
    "Remove /etc/udev/rules.d/70-persistent-net.rules and HWADDR/macaddress matches."};
constexpr RuleInfo kStaticAddress{
    "migration.network.static_address", Severity::kHigh,
    "Static IP configuration from the source network",
    "EC2 assigns addresses from the VPC subnet over DHCP; a static address from the on-premises "
    "network leaves the instance unreachable.",
    "Configure the primary interface for DHCP before migrating."};
constexpr RuleInfo kFstabDeviceName{
    "migration.fstab.device_name", Severity::kHigh, "/etc/fstab mounts by kernel device name",
    "On Nitro instances EBS volumes are NVMe devices (/dev/nvme1n1…); a /dev/sdb1 or /dev/xvdb "
    "entry no longer matches and, without nofail, the boot stops in emergency mode.",
    "Mount by UUID= or LABEL= and add nofail to non-root data volumes."};
constexpr RuleInfo kFstabNetworkMount{
    "migration.fstab.network_mount", Severity::kMedium,
    "/etc/fstab mounts an on-premises file share without nofail",
    "An NFS or CIFS server of the source network is unreachable from the VPC; without nofail "
    "the boot waits for it and can stop in emergency mode.",
    "Add nofail (and _netdev) or remove the mount before migrating."};
constexpr RuleInfo kKernelDrivers{
    "migration.kernel.missing_nitro_drivers", Severity::kMedium,
    "Installed kernel lacks ENA or NVMe drivers",
    "Nitro instance types need the ENA driver for networking and the NVMe driver for EBS "
    "volumes; a kernel without them cannot boot or cannot reach the network there.",
    "Install a kernel (or kmod/DKMS packages) with ena and nvme, and rebuild the initramfs."};
constexpr std::array<RuleInfo, 6> kRules = {kVmwareTools,     kMacBoundNames,     kStaticAddress,
                                            kFstabDeviceName, kFstabNetworkMount, kKernelDrivers};

constexpr uint64_t kSmallFile = 1 << 20;

std::optional<std::string> ReadOptional(const Filesystem& fs, const std::string& path,
                                        uint64_t max_bytes, Output& out) {
  auto text = fs.ReadFile(path, max_bytes);
  if (text) return std::move(*text);
  if (text.error().code != FsErrc::kNotFound && text.error().code != FsErrc::kNotDirectory) {
    out.Error(path, text.error().Message());
  }
  return std::nullopt;
}

std::vector<DirEntry> ListOptional(const Filesystem& fs, const std::string& dir, Output& out) {
  auto entries = fs.ListDir(dir);
  if (entries) return std::move(*entries);
  if (entries.error().code != FsErrc::kNotFound && entries.error().code != FsErrc::kNotDirectory) {
    out.Error(dir, entries.error().Message());
  }
  return {};
}

// --- VMware Tools ---

bool IsVmwareToolsPackage(std::string_view name) {
  return name.starts_with("open-vm-tools") || name.starts_with("vmware-tools");
}

void CheckVmwareTools(const Target& target, Output& out) {
  const Filesystem& fs = target.fs;
  nlohmann::json packages = nlohmann::json::array();
  std::string package_db;  // where the packages were listed, for the finding's path
  if (auto status = ReadOptional(fs, "/var/lib/dpkg/status", 64ull << 20, out)) {
    for (const auto& package : ParseDpkgStatus(*status)) {
      if (!package.installed()) continue;
      if (IsVmwareToolsPackage(package.name)) {
        packages.push_back({{"name", package.name}, {"version", package.version}});
        package_db = "/var/lib/dpkg/status";
      }
    }
  }
  // RHEL, CentOS, Amazon Linux: the rpmdb (its read errors are reported by the SSM probe).
  const RpmDatabase& rpm = RpmPackagesOf(target);
  for (const auto& package : rpm.packages) {
    if (IsVmwareToolsPackage(package.name)) {
      packages.push_back({{"name", package.name}, {"version", package.Evr()}});
      package_db = rpm.path;
    }
  }
  static constexpr std::array<std::string_view, 9> kFiles = {
      "/etc/vmware-tools",
      "/usr/bin/vmtoolsd",
      "/usr/sbin/vmtoolsd",
      "/usr/lib/vmware-tools",
      "/etc/init.d/vmware-tools",
      "/lib/systemd/system/vmtoolsd.service",
      "/usr/lib/systemd/system/vmtoolsd.service",
      "/lib/systemd/system/open-vm-tools.service",
      "/usr/lib/systemd/system/open-vm-tools.service"};
  static constexpr std::array<std::string_view, 2> kEnabled = {
      "/etc/systemd/system/multi-user.target.wants/vmtoolsd.service",
      "/etc/systemd/system/multi-user.target.wants/open-vm-tools.service"};
  std::vector<std::string> files;
  std::vector<std::string> enabled;
  for (auto path : kFiles) {
    if (fs.Exists(path)) files.emplace_back(path);
  }
  for (auto path : kEnabled) {
    if (fs.Exists(path)) enabled.emplace_back(path);
  }
  if (packages.empty() && files.empty() && enabled.empty()) return;
  out.AddFact(kVmwareToolsRecord, "vmware-tools",
              {{"packages", packages}, {"files", files}, {"enabled_units", enabled}});
  std::string evidence;
  for (const auto& package : packages) {
    evidence += (evidence.empty() ? "" : ", ") + package["name"].get<std::string>() + " " +
                package["version"].get<std::string>();
  }
  for (const auto& path : files) evidence += (evidence.empty() ? "" : ", ") + path;
  if (!enabled.empty()) evidence += "; enabled at boot";
  std::string path = !files.empty()        ? files.front()
                     : !package_db.empty() ? package_db
                                           : "/var/lib/dpkg/status";
  out.Raise(kVmwareTools, Finding{.path = path, .evidence = evidence}, "vmware-tools");
}

// --- network ---

// cloud-init writes /etc/netplan/50-cloud-init.yaml from the datasource's network config, with
// the build instance's MAC, and rewrites it when it sees a new instance id: on EC2 that file is
// stale rather than wrong, unless cloud-init's state was left behind (cloudinit probe).
bool WrittenByCloudInit(const std::string& path) {
  return path == "/etc/netplan/50-cloud-init.yaml";
}

void ReportInterface(const std::string& path, const InterfaceConfig& config, Output& out) {
  bool cloud_init = WrittenByCloudInit(path);
  std::string note = cloud_init ? "; written by cloud-init, rewritten for a new instance id" : "";
  out.AddFact(kNetworkInterfaceRecord, path + "|" + config.name,
              {{"path", path}, {"interface", config}});
  if (config.is_static) {
    std::string addresses;
    for (const auto& address : config.addresses) {
      addresses += (addresses.empty() ? "" : ", ") + address;
    }
    out.Raise(kStaticAddress, cloud_init ? Severity::kLow : kStaticAddress.severity,
              Finding{.title = "Static address on " + config.name + " from the source network",
                      .path = path,
                      .line = config.line,
                      .evidence = config.name + " (" + config.method + "): " + addresses + note},
              config.name);
  }
  if (!config.mac.empty()) {
    out.Raise(kMacBoundNames, cloud_init ? Severity::kLow : kMacBoundNames.severity,
              Finding{.path = path,
                      .line = config.line,
                      .evidence = config.name + " bound to MAC " + config.mac + note},
              config.name + "|" + config.mac);
  }
}

void ReportProblems(const std::string& path, const std::vector<NetworkProblem>& problems,
                    Output& out) {
  for (const auto& problem : problems) {
    out.Error(path, "line " + std::to_string(problem.line) + ": " + problem.message);
  }
}

void CheckUdevRules(const Filesystem& fs, Output& out) {
  for (const auto& entry : ListOptional(fs, "/etc/udev/rules.d", out)) {
    if (!entry.name.ends_with(".rules") || entry.name.find("net") == std::string::npos) continue;
    std::string path = "/etc/udev/rules.d/" + entry.name;
    auto text = ReadOptional(fs, path, kSmallFile, out);
    if (!text) continue;
    for (const auto& rule : ParseUdevNetRules(*text)) {
      out.AddFact(kUdevNetRuleRecord, path + "|" + rule.mac, {{"path", path}, {"rule", rule}});
      out.Raise(
          kMacBoundNames,
          Finding{.path = path,
                  .line = rule.line,
                  .evidence = "NAME=\"" + rule.name + "\" for ATTR{address}==\"" + rule.mac + "\""},
          rule.mac);
    }
  }
}

void CheckIfcfg(const Filesystem& fs, Output& out) {
  const std::string dir = "/etc/sysconfig/network-scripts";
  for (const auto& entry : ListOptional(fs, dir, out)) {
    if (!entry.name.starts_with("ifcfg-") || entry.name == "ifcfg-lo") continue;
    std::string path = dir + "/" + entry.name;
    auto text = ReadOptional(fs, path, kSmallFile, out);
    if (!text) continue;
    auto parsed = ParseIfcfg(*text, entry.name);
    ReportProblems(path, parsed.problems, out);
    for (const auto& config : parsed.interfaces) ReportInterface(path, config, out);
  }
}

void CheckDebianInterfaces(const Filesystem& fs, Output& out) {
  std::vector<std::string> paths = {"/etc/network/interfaces"};
  for (const auto& entry : ListOptional(fs, "/etc/network/interfaces.d", out)) {
    paths.push_back("/etc/network/interfaces.d/" + entry.name);
  }
  for (const auto& path : paths) {
    auto text = ReadOptional(fs, path, kSmallFile, out);
    if (!text) continue;
    auto parsed = ParseDebianInterfaces(*text);
    ReportProblems(path, parsed.problems, out);
    for (const auto& config : parsed.interfaces) {
      if (config.name == "lo") continue;
      ReportInterface(path, config, out);
    }
  }
}

void CheckNetplan(const Filesystem& fs, Output& out) {
  for (const auto& entry : ListOptional(fs, "/etc/netplan", out)) {
    if (!entry.name.ends_with(".yaml") && !entry.name.ends_with(".yml")) continue;
    std::string path = "/etc/netplan/" + entry.name;
    auto text = ReadOptional(fs, path, kSmallFile, out);
    if (!text) continue;
    auto parsed = ParseNetplan(*text);
    ReportProblems(path, parsed.problems, out);
    for (const auto& config : parsed.interfaces) ReportInterface(path, config, out);
  }
}

// --- fstab ---

void CheckFstab(const Filesystem& fs, Output& out) {
  const std::string path = "/etc/fstab";
  auto text = ReadOptional(fs, path, kSmallFile, out);
  if (!text) return;
  auto parsed = parse::ParseFstab(*text);
  for (const auto& problem : parsed.problems) {
    out.Error(path, "line " + std::to_string(problem.line) + ": " + problem.message);
  }
  for (const auto& entry : parsed.entries) {
    FstabAssessment assessment = AssessFstabEntryForNitro(entry);
    nlohmann::json fact = FstabEntryFact(entry);
    fact["nitro_risk"] = assessment.risk == NitroRisk::kNone         ? "none"
                         : assessment.risk == NitroRisk::kDeviceName ? "device_name"
                                                                     : "network_mount";
    // Swap areas all "mount" on swap/none: their device is what tells them apart.
    std::string key = entry.mount_point.starts_with("/") ? entry.mount_point : entry.spec;
    out.AddFact(kFstabEntryRecord, key, std::move(fact));
    Finding finding{.path = path, .line = entry.line, .evidence = assessment.reason};
    if (assessment.risk == NitroRisk::kDeviceName) {
      // With nofail or noauto a missing device no longer stops the boot.
      bool soft = assessment.nofail || assessment.noauto;
      if (soft) finding.evidence += " (nofail/noauto: the boot carries on without it)";
      out.Raise(kFstabDeviceName, soft ? Severity::kLow : kFstabDeviceName.severity,
                std::move(finding), key);
    } else if (assessment.risk == NitroRisk::kNetworkMount) {
      out.Raise(kFstabNetworkMount, std::move(finding), key);
    }
  }
}

// --- kernels ---

KernelDrivers CollectKernelDrivers(const Filesystem& fs, const std::string& version,
                                   const ScanLimits& limits, Output& out) {
  KernelDrivers drivers;
  drivers.version = version;
  const std::string base = "/lib/modules/" + version;
  for (std::string_view list : {"modules.builtin", "modules.dep"}) {
    std::string path = base + "/" + std::string(list);
    if (auto text = ReadOptional(fs, path, limits.max_file_bytes, out)) {
      NoteModuleList(*text, list, drivers);
    }
  }
  // Where distributions and DKMS/kmod packages put the two modules; listing a few folders is
  // cheap where walking the whole tree is not.
  static constexpr std::array<std::string_view, 9> kDirs = {
      "kernel/drivers/net/ethernet/amazon/ena",
      "kernel/drivers/nvme/host",
      "extra",
      "extra/ena",
      "updates",
      "updates/dkms",
      "weak-updates",
      "weak-updates/ena",
      "kernel"};
  for (auto dir : kDirs) {
    std::string path = base + "/" + std::string(dir);
    auto entries = fs.ListDir(path);
    if (!entries) continue;
    drivers.known = true;
    for (const auto& entry : *entries) {
      bool ena = IsModuleFile(entry.name, "ena");
      bool nvme = IsModuleFile(entry.name, "nvme");
      if (ena || nvme) drivers.evidence.push_back(path + "/" + entry.name);
      drivers.ena |= ena;
      drivers.nvme |= nvme;
    }
  }
  return drivers;
}

void CheckKernels(const Filesystem& fs, const ScanLimits& limits, Output& out) {
  auto versions = fs.ListDir("/lib/modules");
  if (!versions) {
    if (versions.error().code != FsErrc::kNotFound) {
      out.Error("/lib/modules", versions.error().Message());
    }
    // No modules at all (a container root, a partial tree): we cannot tell, so no finding.
    out.AddFact(kKernelModulesRecord, "/lib/modules",
                {{"status", "unknown"}, {"reason", versions.error().Message()}});
    return;
  }
  for (const auto& entry : *versions) {
    if (!entry.stat.IsDirectory() && !entry.stat.IsSymlink()) continue;
    KernelDrivers drivers = CollectKernelDrivers(fs, entry.name, limits, out);
    out.AddFact(kKernelRecord, drivers.version, drivers);
    if (!drivers.known || (drivers.ena && drivers.nvme)) continue;
    std::string missing = !drivers.ena && !drivers.nvme ? "neither ena nor nvme"
                          : !drivers.ena                ? "no ena"
                                                        : "no nvme";
    Severity severity = !drivers.ena && !drivers.nvme ? Severity::kHigh : kKernelDrivers.severity;
    out.Raise(
        kKernelDrivers, severity,
        Finding{.title = "Kernel " + drivers.version + " lacks Nitro drivers (" + missing + ")",
                .path = "/lib/modules/" + drivers.version,
                .evidence = missing + " in modules.builtin, modules.dep or the driver folders"},
        drivers.version);
  }
}

}  // namespace

std::string_view LiftAndShiftProbe::name() const { return "migration.lift_and_shift"; }

std::string_view LiftAndShiftProbe::description() const {
  return "Lift-and-shift leftovers: VMware Tools, MAC-bound and static networking, fstab "
         "device names and network mounts, kernels without ENA/NVMe";
}

std::span<const RuleInfo> LiftAndShiftProbe::rules() const { return kRules; }

std::span<const RecordKind* const> LiftAndShiftProbe::records() const {
  return kLiftAndShiftRecords;
}

std::vector<std::string> LiftAndShiftProbe::prefetch() const {
  // /lib/modules is large: only its listings and two text files per kernel are read.
  return {"/etc/udev/rules.d",
          "/etc/sysconfig/network-scripts",
          "/etc/netplan",
          "/etc/network",
          "/etc/fstab",
          "/etc/vmware-tools",
          "/var/lib/dpkg/status",
          "/lib/modules/*/modules.builtin",
          "/lib/modules/*/modules.dep"};
}

void LiftAndShiftProbe::Run(const Target& target, Output& out) const {
  CheckVmwareTools(target, out);
  CheckUdevRules(target.fs, out);
  CheckIfcfg(target.fs, out);
  CheckDebianInterfaces(target.fs, out);
  CheckNetplan(target.fs, out);
  CheckFstab(target.fs, out);
  CheckKernels(target.fs, target.limits, out);
}

}  // namespace imageprobe::probes
