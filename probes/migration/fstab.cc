// SPDX-License-Identifier: Apache-2.0
// References: fstab(5) (fields, \040 octal escapes, nofail/noauto), mount.nfs(8), mount.cifs(8);
// AWS EC2 user guide "Amazon EBS and NVMe" (EBS volumes are NVMe devices on Nitro, device
// names are not stable) and "Make an Amazon EBS volume available for use" (use UUID and
// nofail in /etc/fstab).
#include "probes/migration/fstab.h"

#include <array>

namespace imageprobe::probes {
namespace {

bool StartsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (auto prefix : prefixes) {
    if (text.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

nlohmann::json FstabEntryFact(const parse::FstabEntry& entry) {
  return nlohmann::json{{"spec", entry.spec},
                        {"mount_point", entry.mount_point},
                        {"type", entry.type},
                        {"options", entry.options}};
}

FstabAssessment AssessFstabEntryForNitro(const parse::FstabEntry& entry) {
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
