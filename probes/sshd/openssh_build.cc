// SPDX-License-Identifier: Apache-2.0
// References: deb-control(5) / deb-version(7) (Version: [epoch:]upstream-revision), rpm EVR
// ([epoch:]version-release), openssh-portable version.h (SSH_VERSION "OpenSSH_9.2", SSH_RELEASE
// SSH_VERSION SSH_PORTABLE "OpenSSH_9.2p1") and compat.c (the "OpenSSH_6.6.1*"-style patterns
// that share the binary), os-release(5) ID and ID_LIKE.
#include "probes/sshd/openssh_build.h"

#include <array>

#include "probes/common/dpkg_status.h"
#include "probes/os/os_release.h"
#include "probes/sshd/openssh_defaults.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits at `i` as an int (at most 4, so no overflow); advances `i`. -1 when none.
int ReadNumber(std::string_view text, size_t& i) {
  size_t start = i;
  int value = 0;
  while (i < text.size() && IsDigit(text[i]) && i - start < 4)
    value = value * 10 + (text[i++] - '0');
  if (i == start || (i < text.size() && IsDigit(text[i]))) return -1;
  return value;
}

// "MAJOR.MINOR[.PATCH][pN]" at the start of `text`; `end` is set past it.
std::optional<OpensshVersion> ParseAt(std::string_view text, size_t& end) {
  size_t i = 0;
  int major = ReadNumber(text, i);
  if (major <= 0 || i >= text.size() || text[i] != '.') return std::nullopt;
  ++i;
  int minor = ReadNumber(text, i);
  if (minor < 0) return std::nullopt;
  if (i + 1 < text.size() && text[i] == '.' && IsDigit(text[i + 1])) {  // 6.6.1: a patch level
    ++i;
    if (ReadNumber(text, i) < 0) return std::nullopt;
  }
  if (i + 1 < text.size() && text[i] == 'p' && IsDigit(text[i + 1])) {
    ++i;
    if (ReadNumber(text, i) < 0) return std::nullopt;
  }
  end = i;
  return OpensshVersion{std::string(text.substr(0, i)), major, minor};
}

}  // namespace

std::string_view FamilyName(OpensshBuild::Family family) {
  switch (family) {
    case OpensshBuild::Family::kDebian:
      return "debian";
    case OpensshBuild::Family::kRedHat:
      return "redhat";
    case OpensshBuild::Family::kUpstream:
      break;
  }
  return "upstream";
}

std::optional<OpensshVersion> ParseOpensshVersion(std::string_view text) {
  text = parse::TrimWhitespace(text);
  if (text.starts_with("OpenSSH_")) text.remove_prefix(8);
  // deb-version(7) / rpm: an epoch is digits and a colon before the upstream version.
  if (size_t colon = text.find(':'); colon != std::string_view::npos && colon > 0 && colon < 10 &&
                                     std::all_of(text.begin(), text.begin() + colon, IsDigit)) {
    text.remove_prefix(colon + 1);
  }
  size_t end = 0;
  return ParseAt(text, end);
}

std::optional<OpensshVersion> FindOpensshVersionInBinary(std::string_view bytes) {
  constexpr std::string_view kPrefix = "OpenSSH_";
  std::optional<OpensshVersion> bare;
  for (size_t at = bytes.find(kPrefix); at != std::string_view::npos;
       at = bytes.find(kPrefix, at + 1)) {
    std::string_view rest = bytes.substr(at + kPrefix.size(), 32);
    size_t end = 0;
    std::optional<OpensshVersion> found = ParseAt(rest, end);
    if (!found) continue;
    // compat.c patterns go on with '*', ',', or a further '.'; the release string ends (NUL,
    // or " Debian-2+deb12u3" in Debian's SSH_EXTRAVERSION banner).
    char next = end < rest.size() ? rest[end] : '\0';
    if (next == '*' || next == ',' || next == '.' || next == '?') continue;
    if (found->version.find('p') != std::string::npos) return found;
    if (!bare) bare = std::move(found);
  }
  return bare;
}

OpensshBuild::Family OpensshFamilyFor(std::string_view id, std::string_view id_like) {
  constexpr std::array<std::string_view, 2> kDebian = {"debian", "ubuntu"};
  constexpr std::array<std::string_view, 6> kRedHat = {"rhel", "centos", "fedora",
                                                       "amzn", "rocky",  "almalinux"};
  std::vector<std::string_view> words = parse::SplitWhitespace(id_like);
  words.insert(words.begin(), id);  // ID first: it decides over ID_LIKE
  for (std::string_view word : words) {
    std::string lower = parse::ToLower(word);
    if (std::find(kDebian.begin(), kDebian.end(), lower) != kDebian.end()) {
      return OpensshBuild::Family::kDebian;
    }
    if (std::find(kRedHat.begin(), kRedHat.end(), lower) != kRedHat.end()) {
      return OpensshBuild::Family::kRedHat;
    }
  }
  return OpensshBuild::Family::kUpstream;
}

OpensshBuild CollectOpensshBuild(const Filesystem& fs, const ScanLimits& limits, const OsInfo* os,
                                 const RpmDatabase* rpm) {
  OpensshBuild build;
  auto take = [&](std::optional<OpensshVersion> version, std::string package, std::string source) {
    if (!version) return false;
    build.version = std::move(version->version);
    build.major = version->major;
    build.minor = version->minor;
    build.package_version = std::move(package);
    build.source = std::move(source);
    return true;
  };
  bool found = false;
  constexpr std::string_view kDpkgStatus = "/var/lib/dpkg/status";
  if (FsResult<std::string> status = fs.ReadFile(kDpkgStatus, limits.max_file_bytes)) {
    if (std::optional<std::string> version = InstalledDpkgVersion(*status, "openssh-server")) {
      found = take(ParseOpensshVersion(*version), *version, std::string(kDpkgStatus));
    }
  }
  if (!found) {
    RpmDatabase own;
    if (rpm == nullptr) {
      own = CollectRpmDatabase(fs);
      rpm = &own;
    }
    if (const RpmPackage* package = rpm->Find("openssh-server")) {
      found = take(ParseOpensshVersion(package->version), package->Evr(), rpm->path);
    }
  }
  if (!found) {
    for (std::string_view path : {"/usr/sbin/sshd", "/usr/bin/sshd"}) {
      FsResult<std::string> head = fs.ReadHead(path, kSshdBinaryMaxBytes);
      if (head && take(FindOpensshVersionInBinary(*head), "", std::string(path))) break;
    }
  }
  if (os != nullptr && os->detected) {
    build.family = OpensshFamilyFor(os->id, os->id_like);
  } else {
    for (std::string_view path : {"/etc/os-release", "/usr/lib/os-release"}) {
      FsResult<std::string> text = fs.ReadFile(path, limits.max_file_bytes);
      if (!text) continue;
      os::Release release = os::ReleaseFromOsRelease(os::ParseEnvFile(*text));
      build.family = OpensshFamilyFor(release.id, release.id_like);
      break;  // os-release(5): /etc/os-release alone when it exists
    }
  }
  build.defaults = OpensshDefaultsName(build);
  return build;
}

}  // namespace imageprobe::probes
