// SPDX-License-Identifier: Apache-2.0
// Which sshd an image has: the OpenSSH version (whose compiled-in defaults apply to everything
// sshd_config leaves unset, see openssh_defaults.h), the distribution package it came from, and
// the packaging family (Debian and Red Hat patch sshd; the access verdict needs to know whose).
//
//   OpensshBuild build = CollectOpensshBuild(fs, &target.os, &RpmPackagesOf(target));
//   if (build.known() && build.AtLeast(8, 8)) …   // ssh-rsa signatures off by default
//
// Detection order (first that answers wins): the dpkg status database (package
// openssh-server), the rpmdb (openssh-server), then the version string compiled into the
// sshd binary ("OpenSSH_9.2p1", version.h SSH_RELEASE), read with a size cap. The Parse*
// functions are pure; CollectOpensshBuild is the only one that reads the Filesystem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "probes/common/rpm_packages.h"
#include "scanner/core/filesystem.h"
#include "scanner/core/model.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

struct OpensshBuild {
  std::string version;          // upstream release, "9.2p1" (or "9.2" for a native OpenBSD one)
  int major = 0, minor = 0;     // 9, 2; 0, 0 when unknown
  std::string package_version;  // "1:9.2p1-2+deb12u3", "8.7p1-38.el9"; empty from the binary
  // Where the version came from: "/var/lib/dpkg/status", the rpmdb path
  // ("/var/lib/rpm/rpmdb.sqlite"), the sshd binary ("/usr/sbin/sshd"), or "" (not found).
  std::string source;
  enum class Family { kUpstream, kDebian, kRedHat } family = Family::kUpstream;
  // Which defaults table was applied: "OpenSSH 9.2", or, for an unknown version, the newest
  // table and a note that it is a guess ("OpenSSH 10.0 (version unknown: newest table)").
  std::string defaults;

  bool known() const { return major > 0; }
  // True when the version is at least major.minor; false for an unknown version.
  bool AtLeast(int want_major, int want_minor) const {
    return known() && (major > want_major || (major == want_major && minor >= want_minor));
  }
};

std::string_view FamilyName(OpensshBuild::Family family);  // "upstream", "debian", "redhat"

// The upstream version in a package version or version banner: "1:9.2p1-2+deb12u3",
// "8.7p1-38.el9_4.1", "9.2p1", "OpenSSH_7.4p1" all give {version "X.YpN", X, Y}. nullopt when the
// text does not start (after an epoch or "OpenSSH_") with MAJOR.MINOR.
struct OpensshVersion {
  std::string version;
  int major = 0, minor = 0;
};
std::optional<OpensshVersion> ParseOpensshVersion(std::string_view text);

// The release string in the bytes of an sshd binary. sshd also carries the compat.c patterns
// ("OpenSSH_2*,OpenSSH_3*", "OpenSSH_6.6.1*", "OpenSSH_7.4*"), which are not its version: a
// candidate followed by '*', ',' or another '.' is a pattern and skipped, and one with a
// portable suffix ("OpenSSH_9.2p1") is preferred over a bare "OpenSSH_9.2" (SSH_VERSION).
std::optional<OpensshVersion> FindOpensshVersionInBinary(std::string_view bytes);

// The packaging family from os-release ID and ID_LIKE (space-separated): debian, ubuntu ->
// kDebian; rhel, centos, fedora, amzn, rocky, almalinux -> kRedHat; anything else kUpstream.
OpensshBuild::Family OpensshFamilyFor(std::string_view id, std::string_view id_like);

// The largest prefix of the sshd binary searched for its version (the string sits in .rodata,
// well inside the first MiB of the 1–2 MiB binaries distributions ship).
inline constexpr uint64_t kSshdBinaryMaxBytes = 8ull << 20;

// Reads the package databases and the binary. `os` gives the family when the os probe
// identified the root; otherwise /etc/os-release (or /usr/lib/os-release) is read with the os
// probe's parsers. `rpm` is the root's rpmdb when the caller has it (shared through the
// Context); nullptr reads it here. `defaults` names the table openssh_defaults.h applies.
OpensshBuild CollectOpensshBuild(const Filesystem& fs, const ScanLimits& limits,
                                 const OsInfo* os = nullptr, const RpmDatabase* rpm = nullptr);

}  // namespace imageprobe::probes
