// SPDX-License-Identifier: Apache-2.0
#include "images/native/native_inspect.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>

#include "images/guestfs_fstab.h"
#include "images/native/ext4_fs.h"
#include "images/native/lvm_volumes.h"
#include "images/native/partition_table.h"
#include "images/native/unread_fs.h"
#include "images/native/xfs_fs.h"

namespace imageprobe::images::native {
namespace {

bool IsExt(const std::string& type) { return type == "ext2" || type == "ext3" || type == "ext4"; }
bool IsXfs(const std::string& type) { return type == "xfs"; }
bool IsStandIn(const std::string& type) { return type == "vfat"; }

// Filesystems nothing mounts (swap) or nothing is there to read (no signature at all, as for a
// BIOS boot partition): the appliance skips them too.
bool IsSkipped(const std::string& type) { return type.empty() || type == "swap"; }

std::string Lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The volumes as the appliance lists them: /dev/sda when the disk has no partitions, else
// /dev/sdaN by partition number.
std::vector<NativeVolume> ListVolumes(const std::shared_ptr<const BlockDevice>& disk,
                                      const PartitionTable& table) {
  std::vector<NativeVolume> volumes;
  if (table.partitions.empty()) {
    volumes.push_back({"/dev/sda", disk, {}, "", ""});
    return volumes;
  }
  for (const Partition& p : table.partitions) {
    std::string device = "/dev/sda" + std::to_string(p.number);
    auto slice = std::make_shared<SliceDevice>(
        disk, p.offset, p.size,
        "partition " + std::to_string(p.number) + " of " + disk->Describe());
    volumes.push_back({device, std::move(slice), {}, p.part_uuid, p.part_label});
  }
  return volumes;
}

// Every LVM2 PV among the volumes replaced by its LVs (lvm_volumes.h), which come after the
// partitions, sorted, as the appliance lists them (guestfs_lvs sorts its output). An LV that is
// itself a PV stays as it is (and is refused as LVM2_member).
std::expected<std::vector<NativeVolume>, std::string> ExpandLvmVolumes(
    std::vector<NativeVolume> volumes) {
  std::vector<NativeVolume> out, logical_volumes;
  for (NativeVolume& volume : volumes) {
    auto signature = IdentifyFilesystem(*volume.bytes);
    if (!signature || signature->type != "LVM2_member") {
      out.push_back(std::move(volume));
      continue;
    }
    auto lvs = ExpandLvmPhysicalVolume(volume.bytes, volume.device);
    if (!lvs) return std::unexpected(lvs.error());
    for (LvmVolume& lv : *lvs) {
      logical_volumes.push_back({lv.device, std::move(lv.bytes), {}, "", "", lv.mapper_device});
    }
  }
  std::ranges::sort(logical_volumes, {}, &NativeVolume::device);
  for (size_t i = 1; i < logical_volumes.size(); ++i) {
    if (logical_volumes[i].device == logical_volumes[i - 1].device) {
      return std::unexpected("two LVM volume groups hold " + logical_volumes[i].device);
    }
  }
  std::ranges::move(logical_volumes, std::back_inserter(out));
  return out;
}

struct Examined {
  bool looks_like_root = false;
  std::optional<std::string> fstab;
};

// The same look at a filesystem as guestfs_inspect.cc's Examine, through lstat: /etc must be
// a directory, and one of /etc/os-release, /usr or /bin must exist (a merged-usr symlink
// counts).
Examined Examine(const Filesystem& fs, const std::string& device,
                 std::vector<Diagnostic>& diagnostics) {
  Examined out;
  auto etc = fs.Lstat("/etc");
  if (!etc || !etc->IsDirectory()) return out;
  out.looks_like_root = fs.Lstat("/etc/os-release").has_value() || fs.Lstat("/usr").has_value() ||
                        fs.Lstat("/bin").has_value();
  if (!out.looks_like_root) return out;
  auto fstab = fs.Lstat("/etc/fstab");
  if (!fstab || !fstab->IsRegular()) return out;
  const auto size = static_cast<int64_t>(fstab->size);
  if (size > kMaxFstabBytes) {
    diagnostics.push_back(ImageDiagnostic("/etc/fstab", FstabTooLargeMessage(device, size)));
    return out;
  }
  auto text = fs.ReadAt("/etc/fstab", 0, fstab->size);
  if (!text) {
    diagnostics.push_back(
        ImageDiagnostic("/etc/fstab", FstabUnreadableMessage(device, text.error().Message())));
    return out;
  }
  out.fstab = std::move(*text);
  return out;
}

// An fstab spec to the volume it names, as udev's /dev/disk/by-* links and the kernel name
// them: UUID and PARTUUID compare without case (blkid prints lower case, fstabs are written
// either way), labels exactly.
std::optional<std::string> Resolve(const std::vector<NativeVolume>& volumes,
                                   const std::string& spec) {
  FstabSpec parsed = ClassifyFstabSpec(spec);
  auto find = [&](auto matches) -> std::optional<std::string> {
    for (const auto& v : volumes) {
      if (matches(v)) return v.device;
    }
    return std::nullopt;
  };
  switch (parsed.kind) {
    case SpecKind::kUuid:
      return find([&](const NativeVolume& v) {
        return !v.signature.uuid.empty() && Lower(v.signature.uuid) == Lower(parsed.value);
      });
    case SpecKind::kLabel:
      return find([&](const NativeVolume& v) {
        return !v.signature.label.empty() && v.signature.label == parsed.value;
      });
    case SpecKind::kPartUuid:
      return find([&](const NativeVolume& v) {
        return !v.part_uuid.empty() && Lower(v.part_uuid) == Lower(parsed.value);
      });
    case SpecKind::kPartLabel:
      return find([&](const NativeVolume& v) {
        return !v.part_label.empty() && v.part_label == parsed.value;
      });
    case SpecKind::kDevice: {
      // An LV answers to /dev/VG/LV and /dev/mapper/VG-LV, as lvm_canonical_lv_name makes
      // both the appliance's /dev/VG/LV.
      const std::string name = ApplianceDeviceName(parsed.value);
      return find([&](const NativeVolume& v) {
        return v.device == name || (!v.mapper_device.empty() && v.mapper_device == parsed.value);
      });
    }
    case SpecKind::kOther:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string Described(const NativeVolume& v) {
  return v.device + " (" + v.signature.type + ", native)";
}

// The native reader of an ext or XFS volume. A reason starting with `not_readable` is damage
// the appliance's mount refuses as well.
struct OpenedFs {
  std::expected<std::unique_ptr<Filesystem>, std::string> fs;
  std::string_view not_readable;
  std::optional<JournalReplaySummary> replayed;  // an ext journal replayed in memory
};
OpenedFs OpenReader(const NativeVolume& v) {
  auto erase = [](auto opened) -> std::expected<std::unique_ptr<Filesystem>, std::string> {
    if (!opened) return std::unexpected(opened.error());
    return std::unique_ptr<Filesystem>(std::move(*opened));
  };
  if (IsXfs(v.signature.type)) {
    return {erase(XfsFs::Open(v.bytes, Described(v))), XfsFs::kNotReadable, std::nullopt};
  }
  auto ext = Ext4Fs::Open(v.bytes, Described(v));
  std::optional<JournalReplaySummary> replayed;
  if (ext) replayed = (*ext)->replayed_journal();
  return {erase(std::move(ext)), Ext4Fs::kNotReadable, std::move(replayed)};
}

}  // namespace

std::expected<NativeInspection, std::string> InspectNative(
    std::shared_ptr<const BlockDevice> disk) {
  NativeInspection result;
  auto table = ReadPartitionTable(*disk);
  if (!table) return std::unexpected("partition table: " + table.error());
  result.table_scheme = table->scheme;
  result.table_warnings = table->warnings;

  struct Candidate {
    NativeVolume volume;
    Examined examined;
  };
  auto volumes = ExpandLvmVolumes(ListVolumes(disk, *table));
  if (!volumes) return std::unexpected(volumes.error());
  std::vector<Candidate> candidates;
  for (NativeVolume& volume : *volumes) {
    auto signature = IdentifyFilesystem(*volume.bytes);
    if (!signature) return std::unexpected(volume.device + ": " + signature.error());
    volume.signature = std::move(*signature);
    const std::string& type = volume.signature.type;
    if (IsSkipped(type)) continue;
    if (IsStandIn(type)) {
      result.volumes.push_back(volume);
      candidates.push_back({std::move(volume), {}});
      continue;
    }
    if (!IsExt(type) && !IsXfs(type)) return std::unexpected(volume.device + " is " + type);
    auto [fs, not_readable, replayed] = OpenReader(volume);
    if (!fs && fs.error().starts_with(not_readable)) {
      // Damage the appliance's mount refuses too: reported as it reports it, and skipped.
      // Its fstab entries still name it, and fail when mounted, as in the appliance.
      result.diagnostics.push_back(ImageDiagnostic(
          volume.device, "could not mount " + type + " filesystem " + volume.device +
                             " read-only: " + fs.error().substr(not_readable.size())));
      result.volumes.push_back(std::move(volume));
      continue;
    }
    if (!fs) return std::unexpected(volume.device + " (" + type + "): " + fs.error());
    if (replayed) {
      auto count = [](uint64_t n, const std::string& what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
      };
      result.notes.push_back(volume.device + ": " + type + " journal replayed in memory (" +
                             count(replayed->transactions, "transaction") + ", " +
                             count(replayed->blocks, "block") + ")");
    }
    Examined examined = Examine(**fs, volume.device, result.diagnostics);
    result.volumes.push_back(volume);
    candidates.push_back({std::move(volume), std::move(examined)});
  }
  if (candidates.empty()) {
    return std::unexpected(result.diagnostics.empty() ? "no filesystem it reads on the disk"
                                                      : result.diagnostics.front().message);
  }

  auto resolve = [&](const std::string& spec) { return Resolve(result.volumes, spec); };
  for (const auto& c : candidates) {
    if (!c.examined.looks_like_root) continue;
    result.roots.push_back(
        PlanRoot(c.volume.device, c.volume.signature.type, c.examined.fstab, resolve));
  }
  if (!result.roots.empty()) return result;

  // No OS: the appliance would ask inspect_os, then make every filesystem a root of its own.
  // A filesystem that is only stood in for cannot be such a root.
  for (const auto& c : candidates) {
    if (IsStandIn(c.volume.signature.type)) {
      return std::unexpected("no operating system found, and " + c.volume.device + " is " +
                             c.volume.signature.type);
    }
    result.roots.push_back(GuestRoot{c.volume.device, c.volume.signature.type, false, {}, {}});
  }
  return result;
}

std::expected<std::unique_ptr<Filesystem>, std::string> OpenVolume(const NativeVolume& volume,
                                                                   const FileStat& mount_point) {
  if (IsStandIn(volume.signature.type)) {
    return std::make_unique<UnreadFs>(mount_point,
                                      volume.signature.type + " filesystem " + volume.device +
                                          " is not read by the native engine",
                                      Described(volume));
  }
  auto [fs, not_readable, replayed] = OpenReader(volume);
  (void)replayed;  // said once, by the inspection
  if (!fs && fs.error().starts_with(not_readable)) {
    return std::unexpected(fs.error().substr(not_readable.size()));
  }
  return std::move(fs);
}

}  // namespace imageprobe::images::native
