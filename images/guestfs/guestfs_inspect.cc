// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/guestfs_inspect.h"

#include <algorithm>
#include <map>
#include <optional>

#include "images/guestfs_fstab.h"

namespace imageprobe::images {
namespace {

struct Candidate {
  std::string device;
  std::string type;
  bool mountable = false;
  bool has_etc = false;
  bool looks_like_root = false;
  std::optional<std::string> fstab;
};

bool Mountable(const std::string& type) {
  return !(type.empty() || type == "swap" || type == "unknown" || type == "LVM2_member" ||
           type == "crypto_LUKS" || type == "linux_raid_member");
}

// lstat of names in dir, one round trip; entry i is nullopt when the name does not exist.
std::vector<std::optional<struct guestfs_statns>> LstatMany(GuestfsHandle& h, const char* dir,
                                                            std::vector<const char*> names) {
  std::vector<std::optional<struct guestfs_statns>> out(names.size());
  names.push_back(nullptr);
  guestfs_statns_list* list =
      guestfs_lstatnslist(h.get(), dir, const_cast<char* const*>(names.data()));
  if (list == nullptr) return out;
  for (size_t i = 0; i < list->len && i < out.size(); ++i) {
    if (list->val[i].st_ino != -1) out[i] = list->val[i];
  }
  guestfs_free_statns_list(list);
  return out;
}

bool IsDir(const std::optional<struct guestfs_statns>& st) {
  return st && (st->st_mode & 0170000) == 0040000;
}
bool IsRegular(const std::optional<struct guestfs_statns>& st) {
  return st && (st->st_mode & 0170000) == 0100000;
}

// Looks at one filesystem mounted at "/" in the appliance.
void Examine(GuestfsHandle& h, Candidate& c, std::vector<Diagnostic>& diagnostics) {
  // Two round trips: the daemon rejects names with a "/" in lstatnslist.
  auto top = LstatMany(h, "/", {"etc", "usr", "bin"});
  c.has_etc = IsDir(top[0]);
  if (!c.has_etc) return;
  auto etc = LstatMany(h, "/etc", {"os-release", "fstab"});
  const auto& os_release = etc[0];
  const auto& fstab = etc[1];
  // A symlinked /bin or /usr (merged-usr) still counts: lstat saw something there.
  c.looks_like_root = os_release.has_value() || top[1].has_value() || top[2].has_value();
  if (!c.looks_like_root) return;
  if (IsRegular(fstab)) {
    if (fstab->st_size > kMaxFstabBytes) {
      diagnostics.push_back(
          ImageDiagnostic("/etc/fstab", FstabTooLargeMessage(c.device, fstab->st_size)));
      return;
    }
    // pread, not read_file: read_file goes through the daemon's file-transfer protocol and
    // costs ~0.35 s under TCG; a pread of the whole (small) file is one plain round trip.
    if (fstab->st_size == 0) {
      c.fstab = std::string();
      return;
    }
    size_t size = 0;
    char* data = guestfs_pread(h.get(), "/etc/fstab", static_cast<int>(fstab->st_size), 0, &size);
    if (data == nullptr) {
      diagnostics.push_back(
          ImageDiagnostic("/etc/fstab", FstabUnreadableMessage(c.device, h.LastError())));
      return;
    }
    c.fstab = std::string(data, size);
    free(data);
  }
}

// Resolves fstab specs to appliance devices, asking the appliance for UUIDs/labels lazily.
class SpecResolver {
 public:
  SpecResolver(GuestfsHandle& h, const std::vector<Candidate>& candidates)
      : h_(h), candidates_(candidates) {}

  std::optional<std::string> Resolve(const std::string& spec) {
    FstabSpec parsed = ClassifyFstabSpec(spec);
    switch (parsed.kind) {
      case SpecKind::kUuid:
        return ByTag("UUID", parsed.value, /*case_insensitive=*/true);
      case SpecKind::kLabel:
        return ByTag("LABEL", parsed.value, false);
      case SpecKind::kPartUuid:
        return ByTag("PARTUUID", parsed.value, true);
      case SpecKind::kPartLabel:
        return ByTag("PARTLABEL", parsed.value, false);
      case SpecKind::kDevice:
        return ByDevice(parsed.value);
      case SpecKind::kOther:
        return std::nullopt;
    }
    return std::nullopt;
  }

 private:
  std::optional<std::string> ByDevice(const std::string& guest_device) {
    std::string name = ApplianceDeviceName(guest_device);
    if (name.starts_with("/dev/mapper/") || std::count(name.begin(), name.end(), '/') == 3) {
      // /dev/mapper/vg-lv or /dev/vg/lv: let LVM say which LV it is.
      char* lv = guestfs_lvm_canonical_lv_name(h_.get(), name.c_str());
      if (lv != nullptr) name = TakeString(lv);
    }
    for (const auto& c : candidates_) {
      if (c.device == name) return name;
    }
    return std::nullopt;
  }

  std::optional<std::string> ByTag(const std::string& tag, const std::string& value,
                                   bool case_insensitive) {
    auto norm = [case_insensitive](std::string s) {
      if (case_insensitive) std::transform(s.begin(), s.end(), s.begin(), ::tolower);
      return s;
    };
    for (const auto& c : candidates_) {
      const auto& tags = Tags(c.device);
      auto it = tags.find(tag);
      if (it != tags.end() && norm(it->second) == norm(value)) return c.device;
    }
    return std::nullopt;
  }

  const std::map<std::string, std::string>& Tags(const std::string& device) {
    auto [it, inserted] = tags_.try_emplace(device);
    if (inserted) {
      auto kv = TakeStringList(guestfs_blkid(h_.get(), device.c_str()));
      for (size_t i = 0; i + 1 < kv.size(); i += 2) it->second[kv[i]] = kv[i + 1];
    }
    return it->second;
  }

  GuestfsHandle& h_;
  const std::vector<Candidate>& candidates_;
  std::map<std::string, std::map<std::string, std::string>> tags_;
};

std::optional<std::vector<GuestRoot>> InspectOsFallback(GuestfsHandle& h,
                                                        const std::vector<Candidate>& candidates) {
  auto os_roots = TakeStringList(guestfs_inspect_os(h.get()));
  if (os_roots.empty()) return std::nullopt;
  std::vector<GuestRoot> roots;
  for (const auto& device : os_roots) {
    GuestRoot root{device, "", true, {}, {}};
    for (const auto& c : candidates) {
      if (c.device == device) root.type = c.type;
    }
    auto kv = TakeStringList(guestfs_inspect_get_mountpoints(h.get(), device.c_str()));
    for (size_t i = 0; i + 1 < kv.size(); i += 2) {
      if (kv[i] == "/" || kv[i + 1] == device) continue;
      root.mounts.push_back({kv[i], kv[i + 1], "inspect_os"});
    }
    std::stable_sort(root.mounts.begin(), root.mounts.end(),
                     [](const PlannedMount& a, const PlannedMount& b) {
                       return a.mountpoint.size() < b.mountpoint.size();
                     });
    roots.push_back(std::move(root));
  }
  return roots;
}

// The filesystems of the image. list_filesystems is what libguestfs offers, but it probes for
// LVM, md and Windows dynamic disks on every call and costs ~5 s under TCG; asking blkid about
// each partition (and LVM only when a partition is an LVM PV) takes a fraction of that. An
// image where that finds nothing (md RAID, LDM…) gets list_filesystems as before.
std::vector<Candidate> ListCandidates(GuestfsHandle& h) {
  std::vector<Candidate> candidates;
  // GuestfsImage adds exactly one drive, and libguestfs names drives /dev/sda, /dev/sdb… in the
  // order they were added (guestfs(3), "BLOCK DEVICE NAMING"); asking with list_devices would
  // cost a udev settle in the appliance (~0.5 s under TCG) to learn the same name.
  const std::vector<std::string> devices = {"/dev/sda"};
  auto partitions = TakeStringList(guestfs_list_partitions(h.get()));
  std::vector<std::string> blocks;
  for (const auto& device : devices) {
    bool partitioned = std::any_of(partitions.begin(), partitions.end(),
                                   [&](const std::string& p) { return p.starts_with(device); });
    if (!partitioned) blocks.push_back(device);
  }
  blocks.insert(blocks.end(), partitions.begin(), partitions.end());
  bool lvm = false;
  auto add = [&](const std::string& block) {
    char* type = guestfs_vfs_type(h.get(), block.c_str());
    if (type == nullptr) return;  // no filesystem signature (BIOS boot partition, …)
    std::string t = TakeString(type);
    if (t == "LVM2_member") lvm = true;
    if (Mountable(t)) candidates.push_back({block, t});
  };
  for (const auto& block : blocks) add(block);
  if (lvm) {
    for (const auto& lv : TakeStringList(guestfs_lvs(h.get()))) add(lv);
  }
  if (!candidates.empty()) return candidates;

  char** fs_list = guestfs_list_filesystems(h.get());
  if (fs_list == nullptr)
    throw GuestfsCallError("list_filesystems: " + h.LastError(), h.LastErrno());
  auto kv = TakeStringList(fs_list);
  for (size_t i = 0; i + 1 < kv.size(); i += 2) {
    if (Mountable(kv[i + 1])) candidates.push_back({kv[i], kv[i + 1]});
  }
  return candidates;
}

}  // namespace

Inspection InspectGuest(GuestfsHandle& h) {
  Inspection result;
  std::vector<Candidate> candidates = ListCandidates(h);

  // Filesystems that cannot be a Linux root (an EFI system partition, …) are examined first, so
  // that on a typical cloud image the root is the one left mounted for the first Mount().
  std::stable_partition(candidates.begin(), candidates.end(), [](const Candidate& c) {
    return c.type == "vfat" || c.type == "msdos" || c.type == "exfat" || c.type == "iso9660" ||
           c.type == "ntfs" || c.type == "udf";
  });

  for (auto& c : candidates) {
    if (!result.mounted_device.empty()) {
      h.Check(guestfs_umount_all(h.get()), "umount_all");
      result.mounted_device.clear();
    }
    if (guestfs_mount_ro(h.get(), c.device.c_str(), "/") == -1) {
      result.diagnostics.push_back(ImageDiagnostic(c.device, "could not mount " + c.type +
                                                                 " filesystem " + c.device +
                                                                 " read-only: " + h.LastError()));
      continue;
    }
    c.mountable = true;
    result.mounted_device = c.device;
    Examine(h, c, result.diagnostics);
  }

  SpecResolver resolver(h, candidates);
  for (const auto& c : candidates) {
    if (c.mountable && c.looks_like_root) {
      result.roots.push_back(
          PlanRoot(c.device, c.type, c.fstab,
                   [&resolver](const std::string& spec) { return resolver.Resolve(spec); }));
    }
  }
  if (!result.roots.empty()) return result;

  if (!result.mounted_device.empty()) {
    h.Check(guestfs_umount_all(h.get()), "umount_all");
    result.mounted_device.clear();
  }
  if (auto roots = InspectOsFallback(h, candidates)) {
    result.method = InspectionMethod::kInspectOs;
    result.roots = std::move(*roots);
    return result;
  }

  result.method = InspectionMethod::kFilesystems;
  for (const auto& c : candidates) {
    if (c.mountable) result.roots.push_back(GuestRoot{c.device, c.type, false, {}, {}});
  }
  return result;
}

}  // namespace imageprobe::images
