// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs_fstab.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "scanner/core/guest_path.h"

namespace imageprobe::images {
namespace {

constexpr std::array<std::string_view, 22> kSkippedTypes = {
    "swap",    "proc",     "sysfs",    "tmpfs",  "devpts",    "devtmpfs",   "cgroup", "cgroup2",
    "nfs",     "nfs4",     "cifs",     "smbfs",  "fuse",      "fuse.sshfs", "none",   "securityfs",
    "debugfs", "configfs", "efivarfs", "mqueue", "hugetlbfs", "autofs"};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::vector<parse::FstabEntry> MountableEntries(const parse::ParsedFstab& fstab) {
  std::vector<parse::FstabEntry> out;
  for (parse::FstabEntry entry : fstab.entries) {
    if (!entry.mount_point.starts_with('/')) continue;
    entry.mount_point = NormalizeGuestPath(entry.mount_point);
    if (entry.mount_point == "/") continue;
    if (std::find(kSkippedTypes.begin(), kSkippedTypes.end(), entry.type) != kSkippedTypes.end())
      continue;
    if (entry.HasOption("bind") || entry.HasOption("rbind")) continue;
    // Network specs ("server:/export", "//server/share") are not on this disk.
    if (entry.spec.find(':') != std::string::npos && !entry.spec.starts_with("/") &&
        ClassifyFstabSpec(entry.spec).kind == SpecKind::kOther)
      continue;
    if (entry.spec.starts_with("//")) continue;
    out.push_back(std::move(entry));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const parse::FstabEntry& a, const parse::FstabEntry& b) {
                     if (a.mount_point.size() != b.mount_point.size())
                       return a.mount_point.size() < b.mount_point.size();
                     return a.mount_point < b.mount_point;
                   });
  return out;
}

FstabSpec ClassifyFstabSpec(std::string_view spec) {
  auto unquote = [](std::string_view v) {
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
      v = v.substr(1, v.size() - 2);
    return std::string(v);
  };
  struct Prefix {
    std::string_view text;
    SpecKind kind;
  };
  static constexpr std::array<Prefix, 8> kPrefixes = {{
      {"UUID=", SpecKind::kUuid},
      {"LABEL=", SpecKind::kLabel},
      {"PARTUUID=", SpecKind::kPartUuid},
      {"PARTLABEL=", SpecKind::kPartLabel},
      {"/dev/disk/by-uuid/", SpecKind::kUuid},
      {"/dev/disk/by-label/", SpecKind::kLabel},
      {"/dev/disk/by-partuuid/", SpecKind::kPartUuid},
      {"/dev/disk/by-partlabel/", SpecKind::kPartLabel},
  }};
  for (const auto& prefix : kPrefixes) {
    if (StartsWith(spec, prefix.text))
      return {prefix.kind, unquote(spec.substr(prefix.text.size()))};
  }
  if (StartsWith(spec, "/dev/")) return {SpecKind::kDevice, std::string(spec)};
  return {SpecKind::kOther, std::string(spec)};
}

std::string ApplianceDeviceName(std::string_view dev) {
  // /dev/{hd,vd,xvd,sd}<letters><digits>
  for (std::string_view prefix : {"/dev/xvd", "/dev/hd", "/dev/vd", "/dev/sd"}) {
    if (!StartsWith(dev, prefix)) continue;
    std::string_view rest = dev.substr(prefix.size());
    size_t letters = 0;
    while (letters < rest.size() && std::islower(static_cast<unsigned char>(rest[letters])))
      ++letters;
    if (letters == 0) break;
    std::string_view digits = rest.substr(letters);
    if (!std::all_of(digits.begin(), digits.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      break;
    return "/dev/sd" + std::string(rest);
  }
  // /dev/nvme<c>n<n>[p<part>]: one disk per controller in practice; the appliance sees the
  // image as /dev/sda, so controller c maps to the (c+1)th letter.
  if (StartsWith(dev, "/dev/nvme")) {
    std::string_view rest = dev.substr(9);
    unsigned controller = 0, ns = 0, part = 0;
    auto [p1, e1] = std::from_chars(rest.data(), rest.data() + rest.size(), controller);
    if (e1 == std::errc() && p1 < rest.data() + rest.size() && *p1 == 'n' && controller < 26) {
      auto [p2, e2] = std::from_chars(p1 + 1, rest.data() + rest.size(), ns);
      if (e2 == std::errc()) {
        std::string name = "/dev/sd" + std::string(1, static_cast<char>('a' + controller));
        if (p2 == rest.data() + rest.size()) return name;
        if (*p2 == 'p') {
          auto [p3, e3] = std::from_chars(p2 + 1, rest.data() + rest.size(), part);
          if (e3 == std::errc() && p3 == rest.data() + rest.size())
            return name + std::to_string(part);
        }
      }
    }
  }
  return std::string(dev);
}

}  // namespace imageprobe::images
