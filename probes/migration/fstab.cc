// SPDX-License-Identifier: Apache-2.0
// References: fstab(5) (fields, \040 octal escapes, nofail/noauto), mount.nfs(8), mount.cifs(8);
// AWS EC2 user guide "Amazon EBS and NVMe" (EBS volumes are NVMe devices on Nitro, device
// names are not stable) and "Make an Amazon EBS volume available for use" (use UUID and
// nofail in /etc/fstab).
#include "probes/migration/fstab.h"

#include <array>

#include "probes/common/text.h"

namespace imageprobe::probes {
namespace {

std::string DecodeOctalEscapes(std::string_view field) {
  auto is_octal = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) &&
        is_octal(field[i + 2]) && is_octal(field[i + 3])) {
      out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                               (field[i + 3] - '0'));
      i += 3;
      continue;
    }
    out += field[i];
  }
  return out;
}

bool StartsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (auto prefix : prefixes) {
    if (text.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

bool FstabEntry::HasOption(std::string_view option) const {
  for (auto field : SplitFields(options, ',')) {
    if (field == option) return true;
  }
  return false;
}

void to_json(nlohmann::json& j, const FstabEntry& entry) {
  j = nlohmann::json{{"spec", entry.spec},
                     {"mount_point", entry.mount_point},
                     {"type", entry.type},
                     {"options", entry.options}};
}

ParsedFstab ParseFstab(std::string_view text) {
  ParsedFstab parsed;
  ForEachLine(text, [&](std::string_view line, uint32_t number) {
    std::string_view trimmed = TrimWhitespace(line);
    if (trimmed.empty() || trimmed[0] == '#') return;
    auto fields = SplitWhitespace(trimmed);
    if (fields.size() < 3) {
      parsed.problems.push_back({number, "fewer than 3 fields"});
      return;
    }
    if (fields.size() > 6) {
      parsed.problems.push_back({number, "more than 6 fields"});
      return;
    }
    FstabEntry entry;
    entry.spec = DecodeOctalEscapes(fields[0]);
    entry.mount_point = DecodeOctalEscapes(fields[1]);
    entry.type = std::string(fields[2]);
    entry.options = fields.size() > 3 ? std::string(fields[3]) : "defaults";
    entry.line = number;
    parsed.entries.push_back(std::move(entry));
  });
  return parsed;
}

FstabAssessment AssessFstabEntryForNitro(const FstabEntry& entry) {
  FstabAssessment assessment;
  assessment.nofail = entry.HasOption("nofail");
  assessment.noauto = entry.HasOption("noauto");
  static constexpr std::array<std::string_view, 9> kNetworkTypes = {
      "nfs", "nfs4", "cifs", "smb3", "smbfs", "glusterfs", "ceph", "fuse.sshfs", "davfs"};
  bool network_type = false;
  for (auto type : kNetworkTypes) network_type |= entry.type == type;
  // host:/export (NFS) and //server/share (CIFS) name a remote server even with odd types.
  bool remote_spec = entry.spec.starts_with("//") ||
                     (!entry.spec.starts_with("/") && entry.spec.find(":/") != std::string::npos &&
                      !StartsWithAny(entry.spec, {"UUID=", "LABEL=", "PARTUUID=", "PARTLABEL="}));
  if (network_type || remote_spec) {
    if (assessment.nofail) return assessment;  // unreachable server, boot carries on
    assessment.risk = NitroRisk::kNetworkMount;
    assessment.reason =
        entry.type + " mount of " + entry.spec + " on " + entry.mount_point + " without nofail";
    return assessment;
  }
  // Names the kernel assigns by probe order or bus: on Nitro EBS disks are /dev/nvmeXnY.
  if (StartsWithAny(entry.spec, {"/dev/sd", "/dev/xvd", "/dev/hd", "/dev/vd"})) {
    assessment.risk = NitroRisk::kDeviceName;
    assessment.reason = "mounts " + entry.spec +
                        " by kernel device name (on Nitro EBS disks are "
                        "NVMe devices; use UUID= or LABEL=)";
  }
  return assessment;
}

}  // namespace imageprobe::probes
