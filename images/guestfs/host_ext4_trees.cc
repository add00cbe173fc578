// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/host_ext4_trees.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "images/guestfs/tree_snapshot.h"
#include "images/native/block_device.h"
#include "images/native/ext4_fs.h"
#include "images/native/file_device.h"
#include "scanner/core/guest_path.h"

namespace imageprobe::images {

std::expected<void, std::string> AddExt4TreeFromFile(const RawFilesystemRange& range,
                                                     std::string_view dir_in_fs,
                                                     std::string_view guest_dir,
                                                     ArchiveIndex& index) {
  auto file = native::FileDevice::Open(range.image_path);
  if (!file) return std::unexpected(file.error());
  const uint64_t size = (*file)->size();
  if (range.offset > size || (range.length && *range.length > size - range.offset)) {
    return std::unexpected("the filesystem's range lies outside " + range.image_path + " (" +
                           std::to_string(size) + " bytes)");
  }
  const uint64_t length = range.length.value_or(size - range.offset);
  auto device = std::make_shared<native::SliceDevice>(*file, range.offset, length,
                                                      "bytes " + std::to_string(range.offset) +
                                                          "+" + std::to_string(length) + " of " +
                                                          (*file)->Describe());
  // The listing limit is the index's, so a hostile directory stops at the listing.
  const auto max_entries = static_cast<uint32_t>(
      std::min<uint64_t>(index.limits().max_entries, std::numeric_limits<uint32_t>::max()));
  auto fs = native::Ext4Fs::Open(device, device->Describe(), max_entries);
  if (!fs) return std::unexpected(fs.error());
  return SnapshotTree(**fs, dir_in_fs, guest_dir, index);
}

std::optional<RawFilesystemRange> HostExt4Trees::DeviceRange(const std::string& device) {
  // GuestfsImage adds one drive: /dev/sda, its partitions /dev/sdaN (guestfs(3)).
  const std::string disk = "/dev/sda";
  if (device == disk) return RawFilesystemRange{image_path_, 0, std::nullopt};
  if (!device.starts_with(disk) || device.size() == disk.size() ||
      !std::all_of(device.begin() + disk.size(), device.end(), ::isdigit) ||
      device.size() > disk.size() + 3) {
    return std::nullopt;  // LVM, md, …: not a byte range of the file
  }
  if (!partitions_) {
    partitions_.emplace();
    CallTrace::Scope call(trace_, "part_list", disk);
    if (guestfs_partition_list* list = guestfs_part_list(handle_.get(), disk.c_str())) {
      for (uint32_t i = 0; i < list->len; ++i) {
        const auto& p = list->val[i];
        (*partitions_)[p.part_num] = {p.part_start, p.part_size};
      }
      guestfs_free_partition_list(list);
    }
  }
  auto it = partitions_->find(std::stoi(device.substr(disk.size())));
  if (it == partitions_->end()) return std::nullopt;
  return RawFilesystemRange{image_path_, it->second.start, it->second.size};
}

std::shared_ptr<ArchiveIndex> HostExt4Trees::Read(const std::string& dir, ArchiveLimits limits,
                                                  std::string& why) {
  const MountedFilesystem* holder = nullptr;
  for (const auto& m : mounts_) {
    if (GuestPathWithin(dir, m.mountpoint) &&
        (holder == nullptr || m.mountpoint.size() > holder->mountpoint.size())) {
      holder = &m;
    }
  }
  if (holder == nullptr) return nullptr;
  std::string type = holder->type;
  if (type.empty()) {
    CallTrace::Scope call(trace_, "vfs_type", holder->device);
    if (char* t = guestfs_vfs_type(handle_.get(), holder->device.c_str())) type = TakeString(t);
  }
  if (type != "ext2" && type != "ext3" && type != "ext4") return nullptr;
  // tar in the appliance crosses into filesystems mounted below `dir`; one filesystem cannot.
  for (const auto& m : mounts_) {
    if (&m != holder && GuestPathWithin(m.mountpoint, dir)) return nullptr;
  }
  auto range = DeviceRange(holder->device);
  if (!range) return nullptr;
  std::string in_fs = "/";
  if (dir.size() > holder->mountpoint.size()) {
    in_fs = holder->mountpoint == "/" ? dir : dir.substr(holder->mountpoint.size());
  }
  auto index = std::make_shared<ArchiveIndex>(limits);
  CallTrace::Scope call(trace_, "host_ext4_read", dir);  // traced with the calls it replaces
  auto added = AddExt4TreeFromFile(*range, in_fs, dir, *index);
  if (!added) {
    why = dir + ": reading " + holder->device + " from the image file failed (" + added.error() +
          "); streamed by the appliance instead";
    return nullptr;
  }
  return index;
}

}  // namespace imageprobe::images
