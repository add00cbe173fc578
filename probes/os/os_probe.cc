// SPDX-License-Identifier: Apache-2.0
// References:
//  - os-release(5): /etc/os-release, falling back to /usr/lib/os-release ("Applications should
//    check for the former, and exclusively use its data if it exists, and only fall back to
//    the latter if it is missing").
//  - Legacy identification used before os-release (libguestfs daemon/inspect_fs_unix.ml reads
//    the same files): /etc/system-release (Amazon Linux AMI), /etc/redhat-release,
//    /etc/lsb-release (DISTRIB_*), /etc/debian_version.
//  - hostname(5): /etc/hostname; Red Hat before systemd: HOSTNAME= in /etc/sysconfig/network.
//  - Architecture: e_machine of the ELF header of /bin/sh or /usr/bin/env (elf(5)), as
//    libguestfs does (file_architecture on a binary inside the guest).
//  - Package databases: /var/lib/dpkg/status (dpkg(1)); /var/lib/rpm and
//    /usr/lib/sysimage/rpm (rpm's %_dbpath; Packages, Packages.db or rpmdb.sqlite);
//    /lib/apk/db/installed (apk-tools).
#include "probes/os/os_probe.h"

#include <array>

#include "probes/os/end_of_life.h"
#include "probes/os/os_records.h"

namespace imageprobe::probes::os {

namespace {

constexpr std::array<RuleInfo, 1> kRules = {kEndOfLifeRule};

// The content of a small text file, or nullopt. A missing file is normal; anything else
// (too large, a device, unreadable) is recorded as an error on `path`.
std::optional<std::string> ReadTextFile(const Filesystem& fs, std::string_view path,
                                        const ScanLimits& limits, Output& out) {
  // Identity files are a few hundred bytes; 1 MiB leaves room and still bounds junk.
  auto data = fs.ReadFile(path, std::min<uint64_t>(limits.max_file_bytes, 1 << 20));
  if (data) return std::move(*data);
  if (data.error().code != FsErrc::kNotFound && data.error().code != FsErrc::kNotDirectory) {
    out.Error(std::string(path), data.error().Message());
  }
  return std::nullopt;
}

void ReportProblems(std::string_view path, const std::vector<parse::ParseProblem>& problems,
                    Output& out) {
  for (const auto& p : problems) {
    out.Error(std::string(path), "line " + std::to_string(p.line) + ": " + p.message);
  }
}

void FillFrom(const Release& r, std::string_view source, OsInfo& os) {
  os.detected = true;
  os.id = r.id;
  os.id_like = r.id_like;
  os.name = r.name;
  os.version_id = r.version_id;
  os.pretty_name = r.pretty_name;
  os.codename = r.codename;
  os.source = std::string(source);
}

// Tries os-release, then the legacy files, in the order their information is most precise.
std::optional<Release> IdentifyRelease(const Filesystem& fs, const ScanLimits& limits, Output& out,
                                       std::string& source) {
  for (std::string_view path : {"/etc/os-release", "/usr/lib/os-release"}) {
    auto text = ReadTextFile(fs, path, limits, out);
    if (!text) continue;
    EnvFile env = ParseEnvFile(*text);
    ReportProblems(path, env.problems, out);
    Release r = ReleaseFromOsRelease(env);
    if (!r.id.empty()) {
      source = path;
      return r;
    }
    out.Error(std::string(path), "no ID= in os-release");
    break;  // os-release(5): use /etc/os-release exclusively when it exists
  }
  for (std::string_view path : {"/etc/system-release", "/etc/redhat-release"}) {
    auto text = ReadTextFile(fs, path, limits, out);
    if (!text) continue;
    Release r = ParseRedhatRelease(*text);
    if (!r.id.empty()) {
      source = path;
      return r;
    }
  }
  if (auto text = ReadTextFile(fs, "/etc/lsb-release", limits, out)) {
    EnvFile env = ParseEnvFile(*text);
    Release r = ReleaseFromLsbRelease(env);
    if (!r.id.empty()) {
      ReportProblems("/etc/lsb-release", env.problems, out);
      source = "/etc/lsb-release";
      return r;
    }
  }
  if (auto text = ReadTextFile(fs, "/etc/debian_version", limits, out)) {
    Release r = ParseDebianVersion(*text);
    if (!r.id.empty()) {
      source = "/etc/debian_version";
      return r;
    }
  }
  return std::nullopt;
}

std::string CollectHostname(const Filesystem& fs, const ScanLimits& limits, Output& out) {
  if (auto text = ReadTextFile(fs, "/etc/hostname", limits, out)) {
    std::string name = ParseHostnameFile(*text);
    if (!name.empty()) return name;
  }
  if (auto text = ReadTextFile(fs, "/etc/sysconfig/network", limits, out)) {
    std::string name = ParseHostnameFile(ParseEnvFile(*text).Get("HOSTNAME"));
    if (!name.empty()) return name;
  }
  return "";
}

std::string CollectArchitecture(const Filesystem& fs) {
  for (std::string_view path : {"/bin/sh", "/usr/bin/env", "/bin/ls", "/usr/bin/ls"}) {
    auto head = fs.ReadHead(path, 64);
    if (!head) continue;
    std::string arch = ElfArchitecture(*head);
    if (!arch.empty()) return arch;
  }
  return "";
}

std::string CollectPackageFormat(const Filesystem& fs) {
  auto is_file = [&](std::string_view path) {
    auto st = fs.Stat(path);
    return st && st->IsRegular();
  };
  if (is_file("/var/lib/dpkg/status")) return "deb";
  for (std::string_view dir : {"/var/lib/rpm", "/usr/lib/sysimage/rpm"}) {
    for (std::string_view db : {"Packages", "Packages.db", "rpmdb.sqlite"}) {
      if (is_file(std::string(dir) + "/" + std::string(db))) return "rpm";
    }
  }
  if (is_file("/lib/apk/db/installed")) return "apk";
  return "";
}

}  // namespace

void to_json(nlohmann::json& j, const OsReleaseFact& f) {
  j = {{"id", f.release.id},
       {"id_like", f.release.id_like},
       {"name", f.release.name},
       {"version", f.release.version},
       {"version_id", f.release.version_id},
       {"pretty_name", f.release.pretty_name},
       {"codename", f.release.codename},
       {"variant_id", f.release.variant_id},
       {"build_id", f.release.build_id},
       {"hostname", f.hostname},
       {"arch", f.arch},
       {"package_format", f.package_format},
       {"source", f.source},
       {"standard_support_end", f.standard_support_end},
       {"extended_support_end", f.extended_support_end},
       {"extended_support_name", f.extended_support_name},
       {"support_source", f.support_source}};
}

std::chrono::year_month_day TodayUtc() {
  return std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

OsIdentity CollectOs(const Filesystem& fs, const ScanLimits& limits, Output& out) {
  OsIdentity identity;
  OsInfo& os = identity.info;
  std::string source;
  if (auto release = IdentifyRelease(fs, limits, out, source)) {
    FillFrom(*release, source, os);
    identity.release = std::move(*release);
  }
  os.hostname = CollectHostname(fs, limits, out);
  os.arch = CollectArchitecture(fs);
  os.package_format = CollectPackageFormat(fs);
  return identity;
}

void EvaluateEndOfLife(const OsInfo& os, std::chrono::year_month_day today, Output& out) {
  const EolEntry* entry = FindEndOfLife(os, EndOfLifeTable());
  if (!entry) return;
  SupportState state = SupportStateOn(*entry, today);
  if (state == SupportState::kSupported) return;

  std::string label = (os.name.empty() ? os.id : os.name) + " " + os.version_id;
  std::string evidence = "VERSION_ID=" + os.version_id + " in " + os.source +
                         "; standard support ended " + FormatDate(entry->standard_end);
  if (entry->extended_end) {
    evidence += "; " + std::string(entry->extended_name) +
                (state == SupportState::kAllEnded ? " ended " : " runs until ") +
                FormatDate(*entry->extended_end);
  }
  evidence += " (" + std::string(entry->source) + ")";

  Finding finding;
  finding.path = os.source;
  finding.evidence = std::move(evidence);
  if (state == SupportState::kAllEnded) {
    finding.title = label + " is past the end of all vendor support";
    out.Raise(kEndOfLifeRule, Severity::kHigh, std::move(finding),
              DistroKey(os) + " " + os.version_id);
  } else {
    finding.title = label + " is past the end of standard support (" +
                    std::string(entry->extended_name) + " only)";
    out.Raise(kEndOfLifeRule, Severity::kMedium, std::move(finding),
              DistroKey(os) + " " + os.version_id);
  }
}

std::span<const RuleInfo> OsProbe::rules() const { return kRules; }

std::vector<std::string> OsProbe::prefetch() const {
  return {"/etc/os-release",     "/usr/lib/os-release",   "/etc/system-release",
          "/etc/redhat-release", "/etc/lsb-release",      "/etc/debian_version",
          "/etc/hostname",       "/etc/sysconfig/network"};
}

void OsProbe::Run(const Target& target, Output& out) const {
  auto etc = target.fs.Stat("/etc");
  if (!etc || !etc->IsDirectory()) {
    out.SetOs(OsInfo{});
    out.NotApplicable("no /etc directory in this root");
    return;
  }
  OsIdentity identity = CollectOs(target.fs, target.limits, out);
  const OsInfo& os = identity.info;
  if (!os.detected) {
    out.SetOs(os);
    out.NotApplicable(
        "no os-release, system-release, redhat-release, lsb-release or debian_version "
        "identifies the OS");
    return;
  }

  OsReleaseFact fact;
  // The fact keeps the full release (VERSION, VARIANT_ID, BUILD_ID) that OsInfo leaves out.
  fact.release = identity.release;
  fact.hostname = os.hostname;
  fact.arch = os.arch;
  fact.package_format = os.package_format;
  fact.source = os.source;
  if (const EolEntry* entry = FindEndOfLife(os, EndOfLifeTable())) {
    fact.standard_support_end = FormatDate(entry->standard_end);
    if (entry->extended_end) fact.extended_support_end = FormatDate(*entry->extended_end);
    fact.extended_support_name = std::string(entry->extended_name);
    fact.support_source = std::string(entry->source);
  }
  out.AddFact(kOsReleaseRecord, "release", fact);
  out.SetOs(os);
  EvaluateEndOfLife(os, target.as_of ? *target.as_of : today_(), out);
}

}  // namespace imageprobe::probes::os
