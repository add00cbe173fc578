// SPDX-License-Identifier: Apache-2.0
// Format detection by content, never by file name. Detection is a pure function over the bytes
// at the start and end of the input (so it can be unit-tested and fuzzed), plus a structural
// check that catches truncated containers before any appliance is started.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace imageprobe::images {

enum class Format {
  kDirectory,
  kRawDisk,  // MBR or GPT partition table
  kExtFs,    // bare ext2/3/4 filesystem image
  kXfsFs,
  kBtrfsFs,
  kVmdkSparse,  // monolithicSparse / twoGbMaxExtentSparse extent ("KDMV")
  kVmdkStreamOptimized,
  kVmdkDescriptor,  // text descriptor naming extent files
  kQcow2,
  kVhdFixed,
  kVhdDynamic,
  kVhdx,
  kVdi,
  kOva,  // tar holding an .ovf and disk members
  kTar,  // tar of a root tree, possibly compressed (see `compression`)
};

enum class Backend { kDirectory, kArchive, kGuestfs };

struct Detection {
  Format format;
  std::string name;         // stable, shown in reports: "qcow2", "vmdk-stream-optimized", …
  std::string detail;       // "GPT partition table", "gzip-compressed", "ext4 (64bit)", …
  std::string qemu_format;  // what add_drive_opts gets: raw, vmdk, qcow2, vpc, vhdx, vdi
  Backend backend = Backend::kGuestfs;
};

// How much DetectFormat wants to see: the first kHeadBytes (btrfs keeps its superblock at
// 64 KiB) and the last kTailBytes (VHD footer, VMDK stream end-of-stream marker).
inline constexpr size_t kHeadBytes = 128 * 1024;
inline constexpr size_t kTailBytes = 1024;

// Pure. `head` and `tail` may be shorter than asked for when the file is small. An error names
// what was seen ("unrecognised content: starts with 7f 45 4c 46 (ELF executable?)").
std::expected<Detection, std::string> DetectFormat(std::string_view head, std::string_view tail,
                                                   uint64_t size);

// Reads the input (bounded), detects its format and validates its structure: a container whose
// header points past the end of the file is reported as truncated here. Directories are
// detected by stat. Errors are one line and name the reason, not the path (the caller adds it).
std::expected<Detection, std::string> DetectPath(const std::string& path);

// The same for the `length` bytes at `offset` of the file `path`: a disk stored in an OVA. A
// VMDK descriptor there is refused (its extents would be other members).
std::expected<Detection, std::string> DetectRange(const std::string& path, uint64_t offset,
                                                  uint64_t length);

}  // namespace imageprobe::images
