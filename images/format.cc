// SPDX-License-Identifier: Apache-2.0
// DetectFormat: magic numbers, in an order where a stronger signature wins over a weaker one
// (a fixed VHD is a raw disk plus a footer, so the footer is checked before the MBR; a GPT disk
// also has a protective MBR, so GPT comes first).
//
// References (field offsets):
//  qcow2: qemu docs/interop/qcow2.txt;  VHDX: MS-VHDX 2.2;  VHD: Microsoft "Virtual Hard Disk
//  Image Format Specification" (footer, cookie "conectix", disk type at 60);  VDI: VirtualBox
//  src/VBox/Storage/VDICore.h (signature 0xbeda107f at 0x40);  VMDK: VMware "Virtual Disk Format
//  5.0" (SparseExtentHeader);  ext2/3/4: e2fsprogs lib/ext2fs/ext2_fs.h;  XFS: xfs_format.h
//  (XFS_SB_MAGIC);  btrfs: ctree.h (BTRFS_MAGIC at 64 KiB + 0x40);  GPT: UEFI 2.x 5.3;
//  tar: POSIX ustar (magic at 257).
#include "images/format.h"

#include <algorithm>
#include <cstdio>

#include "images/byte_reader.h"
#include "images/tar_peek.h"
#include "images/vmdk_descriptor.h"

namespace imageprobe::images {
namespace {

Detection Make(Format format, std::string name, std::string detail, std::string qemu,
               Backend backend = Backend::kGuestfs) {
  return Detection{format, std::move(name), std::move(detail), std::move(qemu), backend};
}

// --- VMDK sparse extent header (SparseExtentHeader, little-endian) ---
constexpr uint32_t kVmdkFlagCompressed = 1u << 16;
constexpr uint32_t kVmdkFlagMarkers = 1u << 17;

Detection DetectVmdkSparse(std::string_view head) {
  uint32_t flags = Le32(head, 8);
  uint64_t desc_offset = Le64(head, 28);  // sectors
  uint64_t desc_size = Le64(head, 36);
  uint16_t compress = Le16(head, 77);
  std::string create_type;
  if (desc_offset != 0 && desc_size != 0 && desc_offset < head.size() / 512) {
    uint64_t bytes = std::min<uint64_t>(desc_size * 512, head.size() - desc_offset * 512);
    create_type = ParseVmdkDescriptor(head.substr(desc_offset * 512, bytes)).create_type;
  }
  bool stream = create_type == "streamOptimized" ||
                (create_type.empty() && ((flags & kVmdkFlagCompressed) != 0 ||
                                         (flags & kVmdkFlagMarkers) != 0 || compress != 0));
  if (stream) {
    return Make(Format::kVmdkStreamOptimized, "vmdk-stream-optimized", "streamOptimized", "vmdk");
  }
  return Make(Format::kVmdkSparse, "vmdk-sparse",
              create_type.empty() ? "sparse extent" : create_type, "vmdk");
}

std::string Ext4Detail(std::string_view sb) {
  uint32_t compat = Le32(sb, 92), incompat = Le32(sb, 96), ro_compat = Le32(sb, 100);
  constexpr uint32_t kHasJournal = 0x4;
  constexpr uint32_t kIncompatExt4 = 0x40 /*extents*/ | 0x80 /*64bit*/ | 0x200 /*flex_bg*/;
  constexpr uint32_t kRoCompatExt4 = 0x8 /*huge_file*/ | 0x10 /*gdt_csum*/ | 0x20 /*dir_nlink*/ |
                                     0x40 /*extra_isize*/ | 0x400 /*metadata_csum*/;
  std::string kind = ((incompat & kIncompatExt4) || (ro_compat & kRoCompatExt4)) ? "ext4"
                     : (compat & kHasJournal)                                    ? "ext3"
                                                                                 : "ext2";
  std::string extras;
  if (incompat & 0x80) extras += "64bit";
  if (ro_compat & 0x400) extras += std::string(extras.empty() ? "" : ", ") + "metadata_csum";
  return extras.empty() ? kind : kind + " (" + extras + ")";
}

// An MBR whose four entries look like a partition table, not a boot sector of a bare FAT/NTFS
// volume or random bytes that happen to end in 55 AA.
bool SaneMbr(std::string_view head) {
  if (head.size() < 512 || Le16(head, 510) != 0xAA55) return false;
  int used = 0;
  for (int i = 0; i < 4; ++i) {
    size_t e = 446 + 16 * i;
    auto status = static_cast<unsigned char>(head[e]);
    auto type = static_cast<unsigned char>(head[e + 4]);
    uint32_t start = Le32(head, e + 8), count = Le32(head, e + 12);
    if (status != 0x00 && status != 0x80) return false;
    if (type == 0) continue;
    if (start == 0 || count == 0) return false;
    ++used;
  }
  return used > 0;
}

bool AllZero(std::string_view data) {
  return std::all_of(data.begin(), data.end(), [](char c) { return c == 0; });
}

std::string Hex(std::string_view data, size_t n) {
  std::string out;
  char buf[4];
  for (size_t i = 0; i < std::min(n, data.size()); ++i) {
    std::snprintf(buf, sizeof buf, "%s%02x", i ? " " : "", static_cast<unsigned char>(data[i]));
    out += buf;
  }
  return out;
}

std::string GuessUnknown(std::string_view head) {
  struct Known {
    size_t offset;
    std::string_view magic;
    std::string_view guess;
  };
  static constexpr Known kKnown[] = {
      {0,
       "\x7f"
       "ELF",
       "ELF executable"},
      {0, "%PDF", "PDF document"},
      {0, "\x89PNG", "PNG image"},
      {0, "PK\x03\x04", "zip archive"},
      {0, "\xff\xd8\xff", "JPEG image"},
      {0, "7z\xbc\xaf", "7-zip archive"},
      {0, "Rar!", "RAR archive"},
      {0, "LUKS\xba\xbe", "LUKS encrypted volume"},
      {0, "hsqs", "squashfs image"},
      {0x8001, "CD001", "ISO 9660 image"},
      {0, "\x1f\x8b", "gzip data that is not a tar archive; decompress it first"},
      {0,
       "\xfd"
       "7zXZ",
       "xz data that is not a tar archive; decompress it first"},
      {0, "\x28\xb5\x2f\xfd", "zstd data that is not a tar archive; decompress it first"},
      {0, "BZh", "bzip2 data that is not a tar archive; decompress it first"},
  };
  for (const auto& k : kKnown) {
    if (HasAt(head, k.offset, k.magic)) return std::string(k.guess) + "?";
  }
  if (AllZero(head)) return "all zero bytes: a blank disk?";
  size_t printable = std::count_if(head.begin(), head.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u == '\n' || u == '\r' || u == '\t' || (u >= 0x20 && u < 0x7f) || u >= 0x80;
  });
  if (printable == head.size()) return "text?";
  return "";
}

std::expected<Detection, std::string> DetectTar(std::string_view head) {
  auto peek = PeekTar(head);
  if (!peek) return std::unexpected(std::string());
  bool has_ovf = std::any_of(peek->members.begin(), peek->members.end(),
                             [](const auto& n) { return n.size() > 4 && n.ends_with(".ovf"); });
  if (has_ovf && peek->compression.empty()) {
    return Make(Format::kOva, "ova", "OVF package", "");
  }
  std::string detail =
      peek->compression.empty() ? "uncompressed" : peek->compression + "-compressed";
  return Make(Format::kTar, peek->compression.empty() ? "tar" : "tar." + peek->compression, detail,
              "", Backend::kArchive);
}

}  // namespace

std::expected<Detection, std::string> DetectFormat(std::string_view head, std::string_view tail,
                                                   uint64_t size) {
  if (size == 0 || head.empty()) return std::unexpected("empty file (0 bytes)");

  if (HasAt(head, 0, "QFI\xfb")) {
    return Make(Format::kQcow2, "qcow2", "qcow2 v" + std::to_string(Be32(head, 4)), "qcow2");
  }
  if (HasAt(head, 0, "vhdxfile")) return Make(Format::kVhdx, "vhdx", "VHDX", "vhdx");
  if (Le32(head, 0x40) == 0xbeda107f) return Make(Format::kVdi, "vdi", "VirtualBox VDI", "vdi");
  if (HasAt(head, 0, "KDMV")) return DetectVmdkSparse(head);
  {
    size_t start = head.find_first_not_of(" \t\r\n");
    if (start != std::string_view::npos && HasAt(head, start, "# Disk DescriptorFile")) {
      auto desc = ParseVmdkDescriptor(head);
      return Make(Format::kVmdkDescriptor, "vmdk-descriptor",
                  desc.create_type.empty() ? "descriptor" : desc.create_type, "vmdk");
    }
  }
  // VHD: a dynamic disk starts with a copy of its footer; a fixed disk only has it at the end.
  if (HasAt(head, 0, "conectix")) {
    uint32_t type = Be32(head, 60);
    if (type == 4)
      return std::unexpected("differencing VHD: it needs its parent image, which is not supported");
    return Make(Format::kVhdDynamic, "vhd-dynamic", "dynamic VHD", "vpc");
  }
  if (tail.size() >= 512 && size >= 1024 && HasAt(tail, tail.size() - 512, "conectix")) {
    std::string_view footer = tail.substr(tail.size() - 512);
    uint32_t type = Be32(footer, 60);
    if (type == 2) return Make(Format::kVhdFixed, "vhd-fixed", "fixed VHD", "vpc");
    if (type == 4)
      return std::unexpected("differencing VHD: it needs its parent image, which is not supported");
    return Make(Format::kVhdDynamic, "vhd-dynamic", "dynamic VHD", "vpc");
  }
  if (HasAt(head, 257, "ustar")) {
    auto tar = DetectTar(head);
    if (tar) return tar;
    return std::unexpected("tar header found but libarchive cannot read it");
  }
  if (HasAt(head, 0, "\x1f\x8b") ||
      HasAt(head, 0,
            "\xfd"
            "7zXZ\0") ||
      HasAt(head, 0, "\x28\xb5\x2f\xfd") || HasAt(head, 0, "BZh")) {
    auto tar = DetectTar(head);
    if (tar) return tar;  // else fall through to the "compressed, not a tar" guess
  }
  if (HasAt(head, 0, "XFSB")) return Make(Format::kXfsFs, "xfs", "XFS filesystem", "raw");
  if (HasAt(head, 0x10040, "_BHRfS_M")) {
    return Make(Format::kBtrfsFs, "btrfs", "btrfs filesystem", "raw");
  }
  if (Le16(head, 1080) == 0xEF53) {
    std::string detail = Ext4Detail(head.substr(1024));
    std::string name = detail.substr(0, 4);
    return Make(Format::kExtFs, name, detail + " filesystem", "raw");
  }
  if (HasAt(head, 512, "EFI PART") || HasAt(head, 4096, "EFI PART")) {
    return Make(Format::kRawDisk, "raw", "GPT partition table", "raw");
  }
  if (SaneMbr(head)) return Make(Format::kRawDisk, "raw", "MBR partition table", "raw");

  std::string message = "unrecognised content: starts with " + Hex(head, 16);
  std::string guess = GuessUnknown(head);
  if (!guess.empty()) message += " (" + guess + ")";
  return std::unexpected(message);
}

}  // namespace imageprobe::images
