// SPDX-License-Identifier: Apache-2.0
// Pure parsers for the files that say which OS an image holds: os-release and its legacy
// predecessors, the hostname files, and the ELF header that tells the architecture.
// Text (or bytes) in, structs out; no I/O. Malformed lines become problems with line numbers.
//
// References: os-release(5) (systemd.io), lsb_release(1) (/etc/lsb-release uses the same
// KEY=value syntax), hostname(5), the ELF gABI (e_ident, e_machine; /usr/include/elf.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/user_db.h"  // ParseProblem

namespace imageprobe::probes::os {

// KEY=value assignments as os-release(5) defines them: one per line, "#" comments, values
// optionally in single or double quotes with shell-style backslash escapes. Later assignments
// win, as in a shell. Keys are [A-Za-z_][A-Za-z0-9_]*.
struct EnvFile {
  std::map<std::string, std::string> values;
  std::vector<parse::ParseProblem> problems;

  // The value of `key`, or "" when it is not set.
  std::string Get(std::string_view key) const;
};
EnvFile ParseEnvFile(std::string_view text);

// The identity fields this scanner cares about, whichever file they came from.
struct Release {
  std::string id;  // lower case, os-release ID: "ubuntu", "centos", "rhel", "amzn"
  std::string id_like;
  std::string name;
  std::string version;     // os-release VERSION: "14.04.6 LTS, Trusty Tahr"
  std::string version_id;  // "14.04", "7", "2023"
  std::string pretty_name;
  std::string codename;
  std::string variant_id;
  std::string build_id;
};

Release ReleaseFromOsRelease(const EnvFile& os_release);
// /etc/lsb-release: DISTRIB_ID, DISTRIB_RELEASE, DISTRIB_CODENAME, DISTRIB_DESCRIPTION.
Release ReleaseFromLsbRelease(const EnvFile& lsb_release);

// One line such as "CentOS Linux release 7.9.2009 (Core)" or "Amazon Linux AMI release
// 2018.03" (/etc/redhat-release, /etc/system-release). Empty id when it is not recognised.
Release ParseRedhatRelease(std::string_view text);

// /etc/debian_version: "7.11", "12.5", or "bookworm/sid" on testing. Empty id when the content
// does not look like a Debian version.
Release ParseDebianVersion(std::string_view text);

// /etc/hostname: the first line that is not a comment, trimmed. "" when there is none or it is
// not a plausible host name (hostname(5): up to 64 characters, no whitespace).
std::string ParseHostnameFile(std::string_view text);

// The architecture named by an ELF header ("x86_64", "aarch64", "i386", "ppc64le"…), or ""
// when `head` is not an ELF header or the machine is unknown.
std::string ElfArchitecture(std::string_view head);

}  // namespace imageprobe::probes::os
