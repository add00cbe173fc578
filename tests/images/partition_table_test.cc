// SPDX-License-Identifier: Apache-2.0
// ReadPartitionTable against util-linux's view of the same image: sparse files partitioned by
// sfdisk (fdisk -b 4096 for 4K sectors, which sfdisk 2.38 cannot make; sgdisk for a hybrid MBR),
// and every partition's number, offset, size, type, PARTUUID and label must be what
// `sfdisk --json` (or `fdisk -l`) prints. Damaged, looping and truncated tables are made by
// editing those images' bytes in memory.
#include "images/native/partition_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>

#include "images/byte_reader.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images::native {
namespace {

using nlohmann::json;
using testing::RunShell;
using testing::ShellOutput;
using testing::ShellQuote;
using testing::Slurp;
using testing::TempDir;

std::string Lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Hex2(unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02x", value);
  return buf;
}

// A sparse image of `mib` MiB, partitioned by sfdisk from `script`.
std::string MakeImage(const TempDir& dir, const std::string& name, int mib,
                      const std::string& script) {
  const std::string image = dir / name;
  dir.WriteFile(name + ".script", script);
  EXPECT_EQ(
      RunShell("truncate -s " + std::to_string(mib) + "M " + ShellQuote(image) + " && sfdisk -q " +
               ShellQuote(image) + " < " + ShellQuote(image + ".script") + " >/dev/null"),
      0);
  return image;
}

// `fdisk -b 4096` reads its commands from stdin: "I" loads an sfdisk script, "w" writes.
std::string MakeImage4k(const TempDir& dir, const std::string& name, int mib,
                        const std::string& script) {
  const std::string image = dir / name;
  dir.WriteFile(name + ".script", script);
  dir.WriteFile(name + ".commands", "I\n" + image + ".script\nw\n");
  EXPECT_EQ(RunShell("truncate -s " + std::to_string(mib) + "M " + ShellQuote(image) +
                     " && fdisk -b 4096 " + ShellQuote(image) + " < " +
                     ShellQuote(image + ".commands") + " >/dev/null"),
            0);
  return image;
}

PartitionTable Read(const std::string& bytes) {
  MemoryDevice disk(bytes);
  auto table = ReadPartitionTable(disk);
  EXPECT_TRUE(table.has_value()) << table.error();
  return table.value_or(PartitionTable{});
}

std::string Line(const Partition& p) {
  return std::to_string(p.number) + " offset=" + std::to_string(p.offset) +
         " size=" + std::to_string(p.size) + " type=" + p.type + " uuid=" + p.part_uuid +
         " label=" + p.part_label;
}

std::vector<std::string> Lines(const PartitionTable& table) {
  std::vector<std::string> lines;
  for (const auto& p : table.partitions) lines.push_back(Line(p));
  return lines;
}

// What `sfdisk --json` prints, in ReadPartitionTable's terms: extended containers dropped, an
// MBR partition's PARTUUID derived from the disk signature as blkid derives it.
PartitionTable FromSfdisk(const std::string& image) {
  EXPECT_EQ(RunShell("sfdisk --json " + ShellQuote(image) + " > " + ShellQuote(image + ".json")),
            0);
  const json all = json::parse(Slurp(image + ".json"), nullptr, false);
  const json& t = all.at("partitiontable");
  PartitionTable want;
  want.scheme = t.at("label") == "dos" ? "mbr" : "gpt";
  want.sector_size = t.at("sectorsize").get<uint32_t>();
  const std::string id = t.at("id").get<std::string>();
  want.disk_guid = Lower(want.scheme == "mbr" ? id.substr(2) : id);  // "0x0badf00d"
  for (const json& j : t.at("partitions")) {
    Partition p;
    p.number = std::stoi(j.at("node").get<std::string>().substr(image.size()));
    p.offset = j.at("start").get<uint64_t>() * want.sector_size;
    p.size = j.at("size").get<uint64_t>() * want.sector_size;
    if (want.scheme == "mbr") {
      const unsigned type = std::stoul(j.at("type").get<std::string>(), nullptr, 16);
      if (type == 0x05 || type == 0x0f || type == 0x85) continue;
      p.type = "0x" + Hex2(type);
      p.part_uuid = want.disk_guid + "-" + Hex2(p.number);
    } else {
      p.type = Lower(j.at("type"));
      p.part_uuid = Lower(j.at("uuid"));
      p.part_label = j.value("name", "");
    }
    want.partitions.push_back(p);
  }
  return want;
}

// The same from `fdisk -b 4096 -l`, for 4K-sector images (columns chosen so that the name,
// which may hold spaces, comes last).
PartitionTable FromFdisk4k(const std::string& image) {
  EXPECT_EQ(RunShell("fdisk -b 4096 -l -o Device,Start,Sectors,Type-UUID,UUID,Name " +
                     ShellQuote(image) + " > " + ShellQuote(image + ".txt")),
            0);
  PartitionTable want{.scheme = "gpt", .sector_size = 4096};
  std::istringstream in(Slurp(image + ".txt"));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("Disk identifier: ")) want.disk_guid = Lower(line.substr(17));
    if (!line.starts_with(image)) continue;
    std::istringstream fields(line.substr(image.size()));
    Partition p;
    uint64_t start = 0, sectors = 0;
    fields >> p.number >> start >> sectors >> p.type >> p.part_uuid >> std::ws;
    std::getline(fields, p.part_label);
    p.offset = start * 4096, p.size = sectors * 4096;
    p.type = Lower(p.type), p.part_uuid = Lower(p.part_uuid);
    want.partitions.push_back(p);
  }
  return want;
}

void ExpectSame(const PartitionTable& want, const PartitionTable& got) {
  EXPECT_EQ(got.scheme, want.scheme);
  EXPECT_EQ(got.sector_size, want.sector_size);
  EXPECT_EQ(got.disk_guid, want.disk_guid);
  EXPECT_EQ(Lines(got), Lines(want));
}

bool HasWarning(const PartitionTable& table, std::string_view part) {
  return std::ranges::any_of(table.warnings, [&](const auto& w) { return w.contains(part); });
}

void PutLe32(std::string& bytes, size_t offset, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<char>(value >> (8 * i));
}

// Three partitions with an unused entry 2 (numbers keep their entry index), names in and beyond
// ASCII, and a 36-character name with no terminating NUL.
std::string GptScript(const std::string& image) {
  return "label: gpt\n" + image + "1 : start=2048, size=8MiB, type=linux, name=\"root fs\"\n" +
         image + "3 : size=4MiB, type=uefi, name=\"EFI ✓\"\n" + image +
         "4 : size=2MiB, type=swap, name=\"abcdefghijklmnopqrstuvwxyz0123456789\"\n";
}

TEST(PartitionTableTest, GptMatchesSfdisk) {
  TempDir dir;
  const std::string image = dir / "gpt.img";
  MakeImage(dir, "gpt.img", 32, GptScript(image));
  const PartitionTable got = Read(Slurp(image));
  ExpectSame(FromSfdisk(image), got);
  ASSERT_EQ(got.partitions.size(), 3u);
  EXPECT_EQ(got.partitions[1].number, 3);
  EXPECT_EQ(got.partitions[1].part_label, "EFI ✓");
  EXPECT_EQ(got.partitions[1].type, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
  EXPECT_TRUE(got.warnings.empty()) << got.warnings.front();
}

TEST(PartitionTableTest, Gpt4kSectorsMatchFdisk) {
  TempDir dir;
  const std::string image = MakeImage4k(dir, "gpt4k.img", 64,
                                        "label: gpt\nsize=8MiB, type=linux, name=\"root 4k\"\n"
                                        "size=4MiB, type=uefi\n");
  const PartitionTable want = FromFdisk4k(image);
  ASSERT_EQ(want.partitions.size(), 2u);
  const PartitionTable got = Read(Slurp(image));
  ExpectSame(want, got);
  EXPECT_EQ(got.partitions[0].offset, 1u << 20);
  EXPECT_TRUE(got.warnings.empty()) << got.warnings.front();
}

TEST(PartitionTableTest, HybridMbrIsReadAsGpt) {
  if (RunShell("command -v sgdisk >/dev/null") != 0) GTEST_SKIP() << "sgdisk not installed";
  TempDir dir;
  const std::string image = dir / "hybrid.img";
  MakeImage(dir, "hybrid.img", 32, GptScript(image));
  // sfdisk will not write a name beyond the BMP; sgdisk writes the surrogate pair.
  ASSERT_EQ(RunShell("sgdisk -c '1:clef 𝄞 ü' -h 1:3 " + ShellQuote(image) + " >/dev/null 2>&1"), 0);
  const std::string bytes = Slurp(image);
  ASSERT_EQ(bytes[446 + 16 + 4], '\x83') << "sgdisk made no hybrid MBR";
  const PartitionTable got = Read(bytes);
  ExpectSame(FromSfdisk(image), got);
  ASSERT_FALSE(got.partitions.empty());
  EXPECT_EQ(got.partitions[0].part_label, "clef 𝄞 ü");
}

// Primaries 1 and 3 (slot 2 empty), the extended partition in slot 4 holding logicals 5-7.
std::string MbrScript(const std::string& image) {
  return "label: dos\nlabel-id: 0x0badf00d\n" + image + "1 : start=2048, size=16384, type=83\n" +
         image + "3 : start=18432, size=8192, type=82\n" + image +
         "4 : start=26624, size=81920, type=5\n" + image + "5 : start=28672, size=8192, type=83\n" +
         image + "6 : start=38912, size=8192, type=7\n" + image +
         "7 : start=49152, size=8192, type=b\n";
}

TEST(PartitionTableTest, MbrWithLogicalsMatchesSfdisk) {
  TempDir dir;
  const std::string image = dir / "mbr.img";
  MakeImage(dir, "mbr.img", 64, MbrScript(image));
  const PartitionTable got = Read(Slurp(image));
  ExpectSame(FromSfdisk(image), got);
  std::vector<int> numbers;
  for (const auto& p : got.partitions) numbers.push_back(p.number);
  EXPECT_EQ(numbers, (std::vector<int>{1, 3, 5, 6, 7}));
  EXPECT_EQ(got.disk_guid, "0badf00d");
  EXPECT_EQ(got.partitions[2].part_uuid, "0badf00d-05");
  EXPECT_EQ(got.partitions[4].type, "0x0b");
  EXPECT_TRUE(got.warnings.empty()) << got.warnings.front();
}

TEST(PartitionTableTest, DamagedPrimaryGptFallsBackToBackup) {
  TempDir dir;
  const std::string image = dir / "gpt.img";
  MakeImage(dir, "gpt.img", 32, GptScript(image));
  const PartitionTable want = FromSfdisk(image);
  const std::string bytes = Slurp(image);
  const std::string last_lba = std::to_string(bytes.size() / 512 - 1);
  struct Damage {
    size_t offset, length;
    std::string warning;
  };
  for (const Damage& d : {
           Damage{512 + 56, 4, "primary GPT header is damaged (header CRC mismatch)"},
           Damage{512, 512, "primary GPT header is damaged (no \"EFI PART\" signature)"},
           Damage{1024 + 40, 1, "primary GPT entry array is damaged (entry array CRC mismatch)"},
       }) {
    SCOPED_TRACE(d.warning);
    std::string damaged = bytes;
    damaged.replace(d.offset, d.length, d.length, '\x5a');
    const PartitionTable got = Read(damaged);
    ExpectSame(want, got);
    EXPECT_EQ(got.warnings,
              std::vector<std::string>{d.warning + "; read the backup at LBA " + last_lba});
  }
}

TEST(PartitionTableTest, BothGptHeadersDamagedFail) {
  TempDir dir;
  const std::string image = dir / "gpt.img";
  MakeImage(dir, "gpt.img", 32, GptScript(image));
  std::string bytes = Slurp(image);
  bytes[512 + 60] ^= 1;
  bytes[bytes.size() - 512 + 60] ^= 1;
  MemoryDevice disk(bytes);
  auto table = ReadPartitionTable(disk);
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.error(),
            "primary GPT header is damaged (header CRC mismatch), and so is the backup header at "
            "LBA " +
                std::to_string(bytes.size() / 512 - 1) + " (header CRC mismatch)");
}

TEST(PartitionTableTest, GptWithoutProtectiveMbrIsReadWithAWarning) {
  TempDir dir;
  const std::string image = dir / "gpt.img";
  MakeImage(dir, "gpt.img", 32, GptScript(image));
  std::string bytes = Slurp(image);
  bytes.replace(0, 512, 512, '\0');
  const PartitionTable got = Read(bytes);
  ExpectSame(FromSfdisk(image), got);
  EXPECT_TRUE(HasWarning(got, "no protective MBR")) << ::testing::PrintToString(got.warnings);
}

TEST(PartitionTableTest, EbrChainPointingToItselfStops) {
  TempDir dir;
  const std::string image = dir / "mbr.img";
  MakeImage(dir, "mbr.img", 64, MbrScript(image));
  std::string bytes = Slurp(image);
  const uint32_t first_ebr = Le32(bytes, 446 + 3 * 16 + 8);
  ASSERT_EQ(first_ebr, 26624u);
  PutLe32(bytes, first_ebr * 512 + 446 + 16 + 8, 0);  // the link, relative to the extended start
  const PartitionTable got = Read(bytes);
  ASSERT_EQ(got.partitions.size(), 3u);
  EXPECT_EQ(got.partitions.back().number, 5);
  EXPECT_EQ(got.warnings,
            std::vector<std::string>{"EBR chain loops back to the EBR at sector 26624; stopped"});
}

TEST(PartitionTableTest, EbrChainStopsAfter128Logicals) {
  // Sector 0: an extended partition from sector 1; EBR k at 1 + 2k holds a one-sector logical
  // right behind it and links the next, 140 in all.
  constexpr int kLinks = 140;
  std::string bytes((2 * kLinks + 2) * 512, '\0');
  auto entry = [&](uint64_t sector, int slot, uint8_t type, uint32_t start, uint32_t count) {
    const size_t at = sector * 512 + 446 + 16 * slot;
    bytes[at + 4] = static_cast<char>(type);
    PutLe32(bytes, at + 8, start);
    PutLe32(bytes, at + 12, count);
    bytes[sector * 512 + 510] = '\x55', bytes[sector * 512 + 511] = '\xaa';
  };
  entry(0, 0, 0x0f, 1, 2 * kLinks + 1);
  for (int k = 0; k < kLinks; ++k) {
    entry(1 + 2 * k, 0, 0x83, 1, 1);
    if (k + 1 < kLinks) entry(1 + 2 * k, 1, 0x05, 2 * (k + 1), 2);
  }
  const PartitionTable got = Read(bytes);
  ASSERT_EQ(got.partitions.size(), 128u);
  EXPECT_EQ(got.partitions.back().number, 132);
  EXPECT_EQ(got.partitions.back().offset, (2 * 127 + 2) * 512u);
  EXPECT_EQ(got.warnings,
            std::vector<std::string>{
                "EBR chain longer than 128 links; stopped before the EBR at sector 257"});
}

TEST(PartitionTableTest, TruncatedGptKeepsWhatFits) {
  TempDir dir;
  const std::string image = dir / "gpt.img";
  MakeImage(dir, "gpt.img", 32, GptScript(image));
  const PartitionTable want = FromSfdisk(image);
  const std::string bytes = Slurp(image);

  // Cut inside partition 3: partition 1 stays, 3 and 4 are skipped, the backup header is gone.
  const PartitionTable cut = Read(bytes.substr(0, 10 << 20));
  ASSERT_EQ(cut.partitions.size(), 1u);
  EXPECT_EQ(Line(cut.partitions[0]), Line(want.partitions[0]));
  EXPECT_TRUE(HasWarning(cut, "GPT entry 3 (LBA 18432..26623) reaches past the end"));
  EXPECT_TRUE(HasWarning(cut, "GPT entry 4"));
  EXPECT_TRUE(HasWarning(cut, "backup GPT header at LBA 65535 is past the end"));

  // Cut to the 34 sectors of the table: no partition left, but the table itself is readable.
  const PartitionTable table_only = Read(bytes.substr(0, 34 * 512));
  EXPECT_EQ(table_only.scheme, "gpt");
  EXPECT_TRUE(table_only.partitions.empty());
  EXPECT_EQ(table_only.disk_guid, want.disk_guid);

  // Cut inside the entry array (and so without a backup): the table is unreadable.
  MemoryDevice header_only(bytes.substr(0, 3 * 512));
  auto failed = ReadPartitionTable(header_only);
  ASSERT_FALSE(failed.has_value());
  EXPECT_TRUE(
      failed.error().starts_with("primary GPT entry array is damaged (entry array at LBA 2 "
                                 "(16384 bytes) is past the end)"))
      << failed.error();

  // Only the protective MBR.
  MemoryDevice mbr_only(bytes.substr(0, 512));
  EXPECT_FALSE(ReadPartitionTable(mbr_only).has_value());
}

TEST(PartitionTableTest, TruncatedMbrKeepsWhatFits) {
  TempDir dir;
  const std::string image = dir / "mbr.img";
  MakeImage(dir, "mbr.img", 64, MbrScript(image));
  const std::string bytes = Slurp(image);
  // Cut inside logical 6 (38912..47103): 1, 3 and 5 stay; 6 keeps its number but is skipped,
  // the EBR of 7 is gone.
  const PartitionTable got = Read(bytes.substr(0, 40000 * 512));
  std::vector<int> numbers;
  for (const auto& p : got.partitions) numbers.push_back(p.number);
  EXPECT_EQ(numbers, (std::vector<int>{1, 3, 5}));
  EXPECT_TRUE(HasWarning(got, "partition 6 (sectors 38912..47103) reaches past the end"))
      << ::testing::PrintToString(got.warnings);
  EXPECT_TRUE(HasWarning(got, "is past the end of the device; later logical partitions are lost"));
}

TEST(PartitionTableTest, BareFilesystemsAreNone) {
  TempDir dir;
  struct Case {
    std::string name, mkfs;
    int mib;
  };
  for (const Case& c : {Case{"ext4", "mkfs.ext4 -q -F", 8}, Case{"fat16", "mkfs.vfat -F 16", 16},
                        Case{"fat32", "mkfs.vfat -F 32 -s 1", 40}}) {
    SCOPED_TRACE(c.name);
    const std::string image = dir / c.name;
    ASSERT_EQ(RunShell("truncate -s " + std::to_string(c.mib) + "M " + ShellQuote(image) + " && " +
                       c.mkfs + " " + ShellQuote(image) + " >/dev/null"),
              0);
    std::string bytes = Slurp(image);
    if (c.name == "ext4") {
      ASSERT_EQ(Le16(bytes, 1080), 0xEF53);
      bytes[510] = '\x55', bytes[511] = '\xaa';  // a stale signature over an empty table
    } else {
      ASSERT_EQ(Le16(bytes, 510), 0xAA55) << "a FAT boot sector ends in 0x55AA too";
    }
    const PartitionTable got = Read(bytes);
    EXPECT_EQ(got.scheme, "none");
    EXPECT_TRUE(got.partitions.empty());
    EXPECT_TRUE(got.warnings.empty()) << got.warnings.front();
  }
}

TEST(PartitionTableTest, BootCodeIsNotATable) {
  std::string bytes(1 << 20, '\0');
  bytes[510] = '\x55', bytes[511] = '\xaa';
  EXPECT_EQ(Read(bytes).scheme, "mbr");  // an empty table (fdisk's "o" then "w")
  bytes[446] = '\x12';
  const PartitionTable got = Read(bytes);
  EXPECT_EQ(got.scheme, "none");
  EXPECT_EQ(got.warnings, std::vector<std::string>{"sector 0 ends in 0x55AA but holds no "
                                                   "partition table (boot flag 0x12 in slot 1)"});
  EXPECT_EQ(Read(std::string(100, '\0')).scheme, "none");
  EXPECT_EQ(Read("").scheme, "none");
}

}  // namespace
}  // namespace imageprobe::images::native
