// SPDX-License-Identifier: Apache-2.0
#include "images/native/partition_table.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <optional>
#include <set>

#include "images/byte_reader.h"

namespace imageprobe::images::native {
namespace {

using std::to_string;

constexpr uint64_t kMaxEntryArrayBytes = 4 << 20;
constexpr size_t kMaxEbrLinks = 128;    // one logical partition per EBR, so 128 logicals at most
constexpr size_t kMaxSkipWarnings = 8;  // a 4 MiB array of junk entries is 9 lines, not 32,768
constexpr uint32_t kMbrSector = 512;    // a DOS table does not say its sector size; Linux: 512

// CRC-32 as GPT uses it: IEEE 802.3, reflected polynomial 0xEDB88320, pre- and post-inverted.
uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::string Hex(uint64_t value, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(value));
  return buf;
}

// A GPT GUID is stored mixed-endian: the first three fields little-endian, the rest as bytes.
std::string FormatGuid(std::string_view b) {
  return Hex(Le32(b, 0), 8) + "-" + Hex(Le16(b, 4), 4) + "-" + Hex(Le16(b, 6), 4) + "-" +
         Hex(ReadBe(b, 8, 2), 4) + "-" + Hex(ReadBe(b, 10, 6), 12);
}

void AppendUtf8(std::string& out, uint32_t cp) {
  auto put = [&out](uint32_t byte) { out.push_back(static_cast<char>(byte)); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | cp >> 6), put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | cp >> 12), put(0x80 | (cp >> 6 & 0x3F)), put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | cp >> 18), put(0x80 | (cp >> 12 & 0x3F)), put(0x80 | (cp >> 6 & 0x3F)),
        put(0x80 | (cp & 0x3F));
  }
}

// A GPT name is 36 UTF-16LE code units, NUL-terminated when shorter. Names beyond the BMP are
// surrogate pairs (sgdisk writes them); an unpaired surrogate becomes U+FFFD.
std::string DecodeName(std::string_view units) {
  std::string out;
  for (size_t i = 0; i + 1 < units.size(); i += 2) {
    uint32_t unit = Le16(units, i);
    if (unit == 0) break;
    if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < units.size()) {
      uint32_t low = Le16(units, i + 2);
      if (low >= 0xDC00 && low < 0xE000) {
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    AppendUtf8(out, unit >= 0xD800 && unit < 0xE000 ? 0xFFFD : unit);
  }
  return out;
}

// ---- GPT -------------------------------------------------------------------------------------

struct GptHeader {
  uint64_t alternate_lba = 0;
  std::string disk_guid;
  uint32_t entry_size = 0;
  std::string entries;  // the whole entry array, its CRC checked
};

struct GptDamage {
  std::string part;    // "header" or "entry array": what a backup would replace
  std::string reason;  // "header CRC mismatch"
};

// The header at `lba` and its entry array, checked as Linux's is_gpt_valid checks them, except
// that the usable range may reach past the end of the device: a truncated image keeps the
// partitions that still fit.
std::expected<GptHeader, GptDamage> ReadGptAt(const BlockDevice& disk, uint32_t ss, uint64_t lba) {
  auto damaged = [](std::string part, std::string reason) {
    return std::unexpected(GptDamage{std::move(part), std::move(reason)});
  };
  const uint64_t sectors = disk.size() / ss;
  if (lba >= sectors) return damaged("header", "LBA " + to_string(lba) + " is past the end");
  auto raw = disk.Read(lba * ss, ss);
  if (!raw) return damaged("header", raw.error());
  const std::string_view h = *raw;
  if (!HasAt(h, 0, "EFI PART")) return damaged("header", "no \"EFI PART\" signature");
  const uint32_t header_size = Le32(h, 12);
  if (header_size < 92 || header_size > ss) {
    return damaged("header",
                   "header size " + to_string(header_size) + " outside 92.." + to_string(ss));
  }
  std::string covered(h.substr(0, header_size));
  covered.replace(16, 4, 4, '\0');  // the CRC is computed with its own field zeroed
  if (Crc32(covered) != Le32(h, 16)) return damaged("header", "header CRC mismatch");
  if (Le64(h, 24) != lba) {
    return damaged("header", "it names its own LBA as " + to_string(Le64(h, 24)));
  }

  GptHeader header{.alternate_lba = Le64(h, 32),
                   .disk_guid = FormatGuid(h.substr(56, 16)),
                   .entry_size = Le32(h, 84)};
  const uint64_t entries_lba = Le64(h, 72), count = Le32(h, 80);
  if (header.entry_size < 128 || header.entry_size % 128 != 0 || header.entry_size > 4096) {
    return damaged("header", "entry size " + to_string(header.entry_size) +
                                 " is not a multiple of 128 up to 4096");
  }
  const uint64_t bytes = count * header.entry_size;
  if (bytes > kMaxEntryArrayBytes) {
    return damaged("header", to_string(count) + " entries of " + to_string(header.entry_size) +
                                 " bytes are over 4 MiB");
  }
  if (entries_lba >= sectors || bytes > disk.size() - entries_lba * ss) {
    return damaged("entry array", "entry array at LBA " + to_string(entries_lba) + " (" +
                                      to_string(bytes) + " bytes) is past the end");
  }
  auto entries = disk.Read(entries_lba * ss, bytes);
  if (!entries) return damaged("entry array", entries.error());
  if (Crc32(*entries) != Le32(h, 88)) return damaged("entry array", "entry array CRC mismatch");
  header.entries = std::move(*entries);
  return header;
}

std::string Describe(const std::string& which, const GptDamage& damage) {
  return which + " GPT " + damage.part + " is damaged (" + damage.reason + ")";
}

// The primary header at LBA 1, else the backup: at the LBA the primary names (when its
// signature survived), else at the last LBA.
std::expected<PartitionTable, std::string> ReadGpt(const BlockDevice& disk, uint32_t ss) {
  PartitionTable table{.scheme = "gpt", .sector_size = ss};
  const uint64_t sectors = disk.size() / ss;
  const uint64_t last_lba = sectors == 0 ? 0 : sectors - 1;
  std::optional<GptHeader> header;
  if (auto primary = ReadGptAt(disk, ss, 1)) {
    header = std::move(*primary);
    const uint64_t alternate = header->alternate_lba;
    if (alternate > last_lba) {
      table.warnings.push_back("backup GPT header at LBA " + to_string(alternate) +
                               " is past the end of the device (last LBA " + to_string(last_lba) +
                               "): a truncated image?");
    } else if (auto backup = ReadGptAt(disk, ss, alternate); !backup) {
      table.warnings.push_back(Describe("backup", backup.error()) + " at LBA " +
                               to_string(alternate));
    } else if (alternate != last_lba) {
      table.warnings.push_back("backup GPT header at LBA " + to_string(alternate) +
                               " is not at the last LBA " + to_string(last_lba) +
                               ": the disk was enlarged after partitioning?");
    }
  } else {
    std::vector<uint64_t> candidates;
    if (auto raw = disk.Read(ss, ss); raw && HasAt(*raw, 0, "EFI PART")) {
      const uint64_t named = Le64(*raw, 32);
      if (named > 1 && named < last_lba) candidates.push_back(named);
    }
    candidates.push_back(last_lba);
    std::string failures = Describe("primary", primary.error());
    for (uint64_t lba : candidates) {
      auto backup = ReadGptAt(disk, ss, lba);
      if (backup) {
        table.warnings.push_back(failures + "; read the backup at LBA " + to_string(lba));
        header = std::move(*backup);
        break;
      }
      failures += ", and so is the backup " + backup.error().part + " at LBA " + to_string(lba) +
                  " (" + backup.error().reason + ")";
    }
    if (!header) return std::unexpected(failures);
  }

  table.disk_guid = header->disk_guid;
  size_t skipped = 0;
  auto skip = [&](std::string line) {
    if (++skipped <= kMaxSkipWarnings) table.warnings.push_back(std::move(line) + "; skipped");
  };
  const std::string_view entries = header->entries;
  for (size_t i = 0; i * header->entry_size < entries.size(); ++i) {
    const std::string_view e = entries.substr(i * header->entry_size, 128);
    if (e.substr(0, 16).find_first_not_of('\0') == std::string_view::npos) continue;  // unused
    const uint64_t first = Le64(e, 32), last = Le64(e, 40);                           // inclusive
    const std::string what = "GPT entry " + to_string(i + 1) + " (LBA " + to_string(first) + ".." +
                             to_string(last) + ")";
    if (first > last) {
      skip(what + " ends before it starts");
    } else if (last > last_lba) {
      skip(what + " reaches past the end of the device (last LBA " + to_string(last_lba) + ")");
    } else {
      table.partitions.push_back({.number = static_cast<int>(i + 1),
                                  .offset = first * ss,
                                  .size = (last - first + 1) * ss,
                                  .type = FormatGuid(e.substr(0, 16)),
                                  .part_uuid = FormatGuid(e.substr(16, 16)),
                                  .part_label = DecodeName(e.substr(56, 72))});
    }
  }
  if (skipped > kMaxSkipWarnings) {
    table.warnings.push_back("... and " + to_string(skipped - kMaxSkipWarnings) +
                             " more GPT entries skipped");
  }
  return table;
}

// The logical sector size is recorded nowhere: it is where "EFI PART" is found, at LBA 1 with
// 512-byte sectors, then with 4096. With `backups`, also at the last LBA (a protective MBR whose
// primary header was wiped). 0 when there is no signature.
uint32_t FindGptSectorSize(const BlockDevice& disk, bool backups) {
  for (bool backup : {false, true}) {
    if (backup && !backups) break;
    for (uint32_t ss : {512u, 4096u}) {
      const uint64_t sectors = disk.size() / ss;
      if (sectors < 2) continue;
      auto head = disk.Read((backup ? sectors - 1 : 1) * ss, 8);
      if (head && *head == "EFI PART") return ss;
    }
  }
  return 0;
}

// ---- MBR -------------------------------------------------------------------------------------

struct MbrEntry {
  uint8_t boot = 0, type = 0;
  uint64_t start = 0, sectors = 0;
  bool empty() const { return type == 0 || sectors == 0; }
};

MbrEntry EntryAt(std::string_view sector, int slot) {
  const size_t at = 446 + 16 * static_cast<size_t>(slot);
  return {static_cast<uint8_t>(ReadLe(sector, at, 1)),
          static_cast<uint8_t>(ReadLe(sector, at + 4, 1)), Le32(sector, at + 8),
          Le32(sector, at + 12)};
}

bool HasBootSignature(std::string_view sector) { return Le16(sector, 510) == 0xAA55; }
bool IsExtended(uint8_t type) { return type == 0x05 || type == 0x0f || type == 0x85; }

// A FAT, exFAT or NTFS boot sector ends in 0x55AA too (libblkid dos.c ignores the "table" of a
// FAT boot sector): a jump instruction, then the OEM name or the FAT type string says which.
bool IsFilesystemBootSector(std::string_view s) {
  if (s[0] != '\xEB' && s[0] != '\xE9') return false;
  return HasAt(s, 3, "NTFS    ") || HasAt(s, 3, "EXFAT   ") || HasAt(s, 54, "FAT") ||
         HasAt(s, 82, "FAT32   ");
}

// ext2/3/4 (superblock magic 0xEF53 at byte 1080) or XFS ("XFSB" at byte 0): a bare filesystem
// whose sector 0 may still hold a stale 0x55AA.
bool HasFilesystemMagic(const BlockDevice& disk, std::string_view sector0) {
  if (HasAt(sector0, 0, "XFSB")) return true;
  auto ext = disk.Read(1080, 2);
  return ext && Le16(*ext, 0) == 0xEF53;
}

// Why sector 0, though it ends in 0x55AA, is no partition table ("" when it may be one): the
// checks libblkid and Linux make (boot flags), and two that boot code fails where a table holds.
std::string Implausible(const std::array<MbrEntry, 4>& entries, uint64_t disk_sectors) {
  bool any = false, any_inside = false;
  for (int i = 0; i < 4; ++i) {
    const MbrEntry& e = entries[i];
    const std::string slot = "slot " + to_string(i + 1);
    if (e.boot != 0x00 && e.boot != 0x80) return "boot flag 0x" + Hex(e.boot, 2) + " in " + slot;
    if (e.empty()) continue;
    if (e.start == 0) return slot + " starts at sector 0, over the table itself";
    for (int j = 0; j < i; ++j) {
      const MbrEntry& o = entries[j];
      if (!o.empty() && o.start < e.start + e.sectors && e.start < o.start + o.sectors) {
        return "slots " + to_string(j + 1) + " and " + to_string(i + 1) + " overlap";
      }
    }
    any = true;
    any_inside |= e.start < disk_sectors;
  }
  return any && !any_inside ? "every entry starts past the end of the device" : "";
}

using AddPartition = std::function<void(int number, uint64_t start, uint64_t count, uint8_t type)>;

// Each EBR's first entry is a logical partition relative to that EBR; its second links the next
// EBR relative to the start of the extended partition (Linux msdos.c parse_extended). A logical
// number is taken only by an EBR that holds a partition.
void ReadEbrChain(const BlockDevice& disk, uint64_t extended_start, int& next_number,
                  const AddPartition& add, std::vector<std::string>& warnings) {
  const uint64_t disk_sectors = disk.size() / kMbrSector;
  std::set<uint64_t> seen;
  for (uint64_t ebr = extended_start;;) {
    const std::string at = "EBR at sector " + to_string(ebr);
    if (seen.size() == kMaxEbrLinks) {
      warnings.push_back("EBR chain longer than " + to_string(kMaxEbrLinks) +
                         " links; stopped before the " + at);
      return;
    }
    if (!seen.insert(ebr).second) {
      warnings.push_back("EBR chain loops back to the " + at + "; stopped");
      return;
    }
    if (ebr >= disk_sectors) {
      warnings.push_back(at + " is past the end of the device; later logical partitions are lost");
      return;
    }
    auto raw = disk.Read(ebr * kMbrSector, kMbrSector);
    if (!raw || !HasBootSignature(*raw)) {
      warnings.push_back(at + (raw ? " has no 0x55AA signature" : ": " + raw.error()) +
                         "; EBR chain stopped");
      return;
    }
    const MbrEntry logical = EntryAt(*raw, 0), link = EntryAt(*raw, 1);
    if (!logical.empty() && !IsExtended(logical.type)) {
      add(next_number++, ebr + logical.start, logical.sectors, logical.type);
    }
    if (link.empty() || !IsExtended(link.type)) return;
    ebr = extended_start + link.start;
  }
}

// A DOS table in sector 0; "none" (with a warning when it is not a known filesystem) when
// sector 0 is not one.
PartitionTable ReadMbr(const BlockDevice& disk, std::string_view sector0) {
  PartitionTable none{.scheme = "none"};
  if (!HasBootSignature(sector0) || IsFilesystemBootSector(sector0)) return none;
  const uint64_t disk_sectors = disk.size() / kMbrSector;
  std::array<MbrEntry, 4> primary;
  for (int slot = 0; slot < 4; ++slot) primary[slot] = EntryAt(sector0, slot);
  const bool all_empty = std::ranges::all_of(primary, &MbrEntry::empty);
  const std::string why = Implausible(primary, disk_sectors);
  if (!why.empty() || all_empty) {
    const bool bare_filesystem = HasFilesystemMagic(disk, sector0);
    if (!why.empty() && !bare_filesystem) {
      none.warnings.push_back("sector 0 ends in 0x55AA but holds no partition table (" + why + ")");
    }
    if (!why.empty() || bare_filesystem) return none;
  }

  PartitionTable table{.scheme = "mbr", .disk_guid = Hex(Le32(sector0, 440), 8)};
  const AddPartition add = [&](int number, uint64_t start, uint64_t count, uint8_t type) {
    if (start + count > disk_sectors) {
      table.warnings.push_back("partition " + to_string(number) + " (sectors " + to_string(start) +
                               ".." + to_string(start + count - 1) +
                               ") reaches past the end of the device (" + to_string(disk_sectors) +
                               " sectors); skipped");
      return;
    }
    table.partitions.push_back({.number = number,
                                .offset = start * kMbrSector,
                                .size = count * kMbrSector,
                                .type = "0x" + Hex(type, 2),
                                .part_uuid = table.disk_guid + "-" + Hex(number, 2)});
  };
  int next_logical = 5;
  for (int slot = 0; slot < 4; ++slot) {
    const MbrEntry& e = primary[slot];
    if (e.empty()) continue;
    // The container itself is not listed (Linux shows it as a 1 KiB device).
    if (IsExtended(e.type)) {
      ReadEbrChain(disk, e.start, next_logical, add, table.warnings);
    } else {
      add(slot + 1, e.start, e.sectors, e.type);
    }
  }
  std::ranges::sort(table.partitions, {}, &Partition::number);
  return table;
}

}  // namespace

std::expected<PartitionTable, std::string> ReadPartitionTable(const BlockDevice& disk) {
  if (disk.size() < kMbrSector) return PartitionTable{.scheme = "none"};
  auto sector0 = disk.Read(0, kMbrSector);
  if (!sector0) return std::unexpected("cannot read sector 0: " + sector0.error());
  bool protective = false;  // any 0xEE entry: a hybrid MBR is read as GPT too
  for (int slot = 0; slot < 4 && HasBootSignature(*sector0); ++slot) {
    protective |= EntryAt(*sector0, slot).type == 0xEE;
  }
  if (protective) return ReadGpt(disk, std::max(FindGptSectorSize(disk, true), 512u));

  PartitionTable mbr = ReadMbr(disk, *sector0);
  const uint32_t gpt_sector_size = FindGptSectorSize(disk, false);
  if (gpt_sector_size == 0) return mbr;
  if (mbr.scheme == "mbr" && !mbr.partitions.empty()) {
    mbr.warnings.push_back(
        "a GPT header at LBA 1 is ignored: sector 0 holds a DOS table with no protective (0xEE) "
        "entry, which is what Linux reads");
    return mbr;
  }
  auto gpt = ReadGpt(disk, gpt_sector_size);
  if (gpt) {
    gpt->warnings.insert(gpt->warnings.begin(),
                         "no protective MBR (0xEE entry) in sector 0; the GPT at LBA 1 was read");
  }
  return gpt;
}

}  // namespace imageprobe::images::native
