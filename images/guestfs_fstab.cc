// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs_fstab.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "scanner/guest_path.h"

namespace imageprobe::images {
namespace {

// fstab(5): spaces and tabs in a field are written as \040 and \011.
std::string UnescapeOctal(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    auto is_octal = [](char c) { return c >= '0' && c <= '7'; };
    if (field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) &&
        is_octal(field[i + 2]) && is_octal(field[i + 3])) {
      int value = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
      if (value > 0 && value < 256) {
        out.push_back(static_cast<char>(value));
        i += 3;
        continue;
      }
    }
    out.push_back(field[i]);
  }
  return out;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

constexpr std::array<std::string_view, 22> kSkippedTypes = {
    "swap",   "proc",     "sysfs",  "tmpfs",   "devpts", "devtmpfs",  "cgroup", "cgroup2",
    "nfs",    "nfs4",     "cifs",   "smbfs",   "fuse",   "fuse.sshfs", "none",  "securityfs",
    "debugfs", "configfs", "efivarfs", "mqueue", "hugetlbfs", "autofs"};

bool HasOption(std::string_view options, std::string_view wanted) {
  size_t start = 0;
  while (start <= options.size()) {
    size_t comma = options.find(',', start);
    std::string_view opt =
        options.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (opt == wanted) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

Fstab ParseFstab(std::string_view text) {
  Fstab fstab;
  uint32_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto fields = Fields(line);
    if (fields.empty()) continue;
    if (fields.size() < 2) {
      fstab.problems.push_back({line_number, "fstab entry without a mount point"});
      continue;
    }
    if (line.find('\0') != std::string_view::npos) {
      fstab.problems.push_back({line_number, "fstab line contains a NUL byte"});
      continue;
    }
    FstabEntry entry;
    entry.spec = UnescapeOctal(fields[0]);
    std::string mountpoint = UnescapeOctal(fields[1]);
    entry.mountpoint = mountpoint.starts_with('/') ? NormalizeGuestPath(mountpoint) : mountpoint;
    entry.type = fields.size() > 2 ? std::string(fields[2]) : "auto";
    entry.options = fields.size() > 3 ? std::string(fields[3]) : "defaults";
    entry.line = line_number;
    fstab.entries.push_back(std::move(entry));
  }
  return fstab;
}

std::vector<FstabEntry> MountableEntries(const Fstab& fstab) {
  std::vector<FstabEntry> out;
  for (const auto& entry : fstab.entries) {
    if (!entry.mountpoint.starts_with('/') || entry.mountpoint == "/") continue;
    if (std::find(kSkippedTypes.begin(), kSkippedTypes.end(), entry.type) != kSkippedTypes.end())
      continue;
    if (HasOption(entry.options, "bind") || HasOption(entry.options, "rbind")) continue;
    // Network specs ("server:/export", "//server/share") are not on this disk.
    if (entry.spec.find(':') != std::string::npos && !entry.spec.starts_with("/") &&
        ClassifyFstabSpec(entry.spec).kind == SpecKind::kOther)
      continue;
    if (entry.spec.starts_with("//")) continue;
    out.push_back(entry);
  }
  std::stable_sort(out.begin(), out.end(), [](const FstabEntry& a, const FstabEntry& b) {
    if (a.mountpoint.size() != b.mountpoint.size()) return a.mountpoint.size() < b.mountpoint.size();
    return a.mountpoint < b.mountpoint;
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
    if (StartsWith(spec, prefix.text)) return {prefix.kind, unquote(spec.substr(prefix.text.size()))};
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
