// SPDX-License-Identifier: Apache-2.0
#include "images/native/filesystem_signature.h"

#include <algorithm>
#include <cstdio>

#include "images/byte_reader.h"

namespace imageprobe::images::native {
namespace {

// ext2/3/4 feature bits (e2fsprogs lib/ext2fs/ext2_fs.h) and what ext2 and ext3 understand
// (libblkid superblocks/ext.c).
constexpr uint32_t kCompatHasJournal = 0x0004;
constexpr uint32_t kIncompatJournalDev = 0x0008;
constexpr uint32_t kRoCompatExt2Supported = 0x0001 | 0x0002 | 0x0004;
constexpr uint32_t kIncompatExt2Supported = 0x0002 | 0x0010;
constexpr uint32_t kIncompatExt3Supported = 0x0002 | 0x0004 | 0x0010;

std::string Trimmed(std::string_view field) {
  std::string s(field.substr(0, field.find('\0')));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// substr that never throws: a short device simply has less to show.
std::string_view Sub(std::string_view data, size_t offset, size_t length) {
  return offset >= data.size() ? std::string_view() : data.substr(offset, length);
}

bool At(std::string_view data, size_t offset, std::string_view magic) {
  return data.size() >= offset + magic.size() && data.substr(offset, magic.size()) == magic;
}

std::string ExtType(std::string_view sb) {
  uint32_t compat = Le32(sb, 0x5C), incompat = Le32(sb, 0x60), ro_compat = Le32(sb, 0x64);
  if (incompat & kIncompatJournalDev) return "jbd";
  if (compat & kCompatHasJournal) {
    bool beyond_ext3 =
        (ro_compat & ~kRoCompatExt2Supported) || (incompat & ~kIncompatExt3Supported);
    return beyond_ext3 ? "ext4" : "ext3";
  }
  bool beyond_ext2 = (ro_compat & ~kRoCompatExt2Supported) || (incompat & ~kIncompatExt2Supported);
  return beyond_ext2 ? "ext4" : "ext2";
}

std::string VfatSerial(uint32_t serial) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04X-%04X", serial >> 16, serial & 0xFFFF);
  return buf;
}

}  // namespace

std::string FormatUuid(std::string_view b) {
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < 16 && i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    auto c = static_cast<unsigned char>(b[i]);
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::expected<FilesystemSignature, std::string> IdentifyFilesystem(const BlockDevice& device) {
  // Every signature below lies in the first 68 KiB, except iso9660's at 32 KiB + 1.
  uint64_t want = std::min<uint64_t>(device.size(), 68 * 1024);
  auto head_read = device.Read(0, want);
  if (!head_read) return std::unexpected(head_read.error());
  std::string_view head = *head_read;
  FilesystemSignature sig;

  if (Le16(head, 1024 + 0x38) == 0xEF53) {
    std::string_view sb = Sub(head, 1024, 1024);
    sig.type = ExtType(sb);
    sig.uuid = FormatUuid(Sub(sb, 0x68, 16));
    sig.label = Trimmed(Sub(sb, 0x78, 16));
    return sig;
  }
  if (At(head, 0, "XFSB")) {
    sig.type = "xfs";
    sig.uuid = FormatUuid(Sub(head, 32, 16));
    sig.label = Trimmed(Sub(head, 108, 12));
    return sig;
  }
  if (At(head, 65536 + 64, "_BHRfS_M")) {
    sig.type = "btrfs";
    sig.uuid = FormatUuid(Sub(head, 65536 + 32, 16));
    sig.label = Trimmed(Sub(head, 65536 + 299, 256));
    return sig;
  }
  if (At(head, 0, std::string_view("LUKS\xba\xbe", 6))) {
    sig.type = "crypto_LUKS";
    return sig;
  }
  for (size_t sector = 0; sector < 4; ++sector) {
    if (At(head, sector * 512, "LABELONE") && At(head, sector * 512 + 24, "LVM2 001")) {
      sig.type = "LVM2_member";
      return sig;
    }
  }
  if (Le32(head, 0) == 0xa92b4efc || Le32(head, 4096) == 0xa92b4efc) {
    sig.type = "linux_raid_member";
    return sig;
  }
  if (At(head, 4096 - 10, "SWAPSPACE2") || At(head, 4096 - 10, "SWAP-SPACE")) {
    sig.type = "swap";
    // Version 1 headers (mkswap since 1998) carry a UUID and a label after the boot block and
    // three 32-bit counters (util-linux include/swapheader.h).
    if (At(head, 4096 - 10, "SWAPSPACE2")) {
      sig.uuid = FormatUuid(Sub(head, 1024 + 12, 16));
      sig.label = Trimmed(Sub(head, 1024 + 28, 16));
    }
    return sig;
  }
  if (At(head, 0, "hsqs")) {
    sig.type = "squashfs";
    return sig;
  }
  if (At(head, 32769, "CD001")) {
    sig.type = "iso9660";
    return sig;
  }
  if (At(head, 3, "NTFS    ")) {
    sig.type = "ntfs";
    return sig;
  }
  if (Le16(head, 510) == 0xAA55) {
    if (At(head, 82, "FAT32   ")) {
      sig.type = "vfat";
      sig.uuid = VfatSerial(Le32(head, 67));
      sig.label = Trimmed(Sub(head, 71, 11));
    } else if (At(head, 54, "FAT12   ") || At(head, 54, "FAT16   ")) {
      sig.type = "vfat";
      sig.uuid = VfatSerial(Le32(head, 39));
      sig.label = Trimmed(Sub(head, 43, 11));
    }
    if (sig.label == "NO NAME") sig.label.clear();
  }
  return sig;
}

}  // namespace imageprobe::images::native
