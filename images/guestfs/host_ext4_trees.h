// SPDX-License-Identifier: Apache-2.0
// Trees the libguestfs backend reads from the raw image file on the host, with the native ext4
// layer (images/native/ext4_fs.h: libext2fs on our own io_manager), instead of a tar_out.
//
// Why: under TCG the appliance's own work dominates a bulk read. A tar_out of /home with 5,000
// homes costs ~27 s of guest CPU (path walk, tar) although the bytes involved are a few
// megabytes; libext2fs reads the same metadata from the image file in a fraction of a second.
// So a tree is read here when the drive is a raw file and the tree lies on one ext2/3/4
// filesystem that is the disk itself or one of its partitions; tar_out stays for everything
// else (qcow2, VMDK, XFS, LVM, md, a tree another filesystem is mounted inside) and is the
// fallback when this fails.
//
// The view equals the appliance's mount: a journal that needs recovery is replayed in memory,
// as the kernel in the appliance replays it on mount (one it cannot replay is refused, and the
// tree is streamed). Read-only: the file is opened O_RDONLY and the io_manager cannot write.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "images/archive_index.h"
#include "images/guestfs/call_trace.h"
#include "images/guestfs/guestfs_handle.h"

namespace imageprobe::images {

// What the appliance mounted where.
struct MountedFilesystem {
  std::string mountpoint;  // "/", "/home"
  std::string device;      // "/dev/sda", "/dev/sda2"
  std::string type;        // "ext4"; "" when not known yet (asked with vfs_type when needed)
};

// A filesystem's bytes inside a raw image file: `length` bytes from `offset`, or to the end of
// the file when no length is given.
struct RawFilesystemRange {
  std::string image_path;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
};

// Adds the tree at `dir_in_fs` of the ext2/3/4 filesystem in `range` to `index`, placed under
// `guest_dir` (tree_snapshot.h). Fails with a one-line reason, leaving `index` partly filled,
// when the file cannot be opened, the range is not inside it, the filesystem is not readable
// natively (Ext4Fs::Open's reasons), or the walk fails.
std::expected<void, std::string> AddExt4TreeFromFile(const RawFilesystemRange& range,
                                                     std::string_view dir_in_fs,
                                                     std::string_view guest_dir,
                                                     ArchiveIndex& index);

class HostExt4Trees {
 public:
  // `image_path` is the appliance's only drive (/dev/sda), a raw file.
  HostExt4Trees(GuestfsHandle& handle, CallTrace& trace, std::string image_path,
                std::vector<MountedFilesystem> mounts)
      : handle_(handle),
        trace_(trace),
        image_path_(std::move(image_path)),
        mounts_(std::move(mounts)) {}

  // `dir` (a real directory of the guest) whole, in a new index with `limits`; nullptr when it
  // is not read here, with `why` set when it was tried and failed.
  std::shared_ptr<ArchiveIndex> Read(const std::string& dir, ArchiveLimits limits,
                                     std::string& why);

 private:
  // Where `device` lies in the image file (part_list, asked once), or nullopt for a device that
  // is not a byte range of it (LVM, md).
  std::optional<RawFilesystemRange> DeviceRange(const std::string& device);

  GuestfsHandle& handle_;
  CallTrace& trace_;
  std::string image_path_;
  std::vector<MountedFilesystem> mounts_;
  struct Partition {
    uint64_t start = 0;
    uint64_t size = 0;
  };
  std::optional<std::map<int, Partition>> partitions_;  // part_list of /dev/sda
};

}  // namespace imageprobe::images
