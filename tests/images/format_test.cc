// SPDX-License-Identifier: Apache-2.0
// DetectFormat on synthetic headers: pure, no files.
#include "images/format.h"

#include <gtest/gtest.h>

#include <random>

#include "images/vmdk_descriptor.h"

namespace imageprobe::images {
namespace {

std::string Blank(size_t n = 8192) { return std::string(n, '\0'); }

void Put(std::string& s, size_t offset, std::string_view bytes) {
  if (s.size() < offset + bytes.size()) s.resize(offset + bytes.size(), '\0');
  s.replace(offset, bytes.size(), bytes);
}
void PutLe(std::string& s, size_t offset, uint64_t v, int width) {
  for (int i = 0; i < width; ++i) s[offset + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutBe(std::string& s, size_t offset, uint64_t v, int width) {
  for (int i = 0; i < width; ++i)
    s[offset + i] = static_cast<char>((v >> (8 * (width - 1 - i))) & 0xff);
}

Detection Ok(std::string_view head, std::string_view tail = {}, uint64_t size = 0) {
  auto d = DetectFormat(
      head, tail.empty() ? head.substr(head.size() - std::min<size_t>(head.size(), 1024)) : tail,
      size ? size : head.size());
  EXPECT_TRUE(d) << d.error();
  return d ? *d : Detection{};
}

std::string Err(std::string_view head, uint64_t size = 0) {
  auto d = DetectFormat(head, head, size ? size : head.size());
  EXPECT_FALSE(d) << d->name;
  return d ? "" : d.error();
}

TEST(DetectFormat, Qcow2) {
  std::string h = Blank();
  Put(h, 0, "QFI\xfb");
  PutBe(h, 4, 3, 4);
  auto d = Ok(h);
  EXPECT_EQ(d.format, Format::kQcow2);
  EXPECT_EQ(d.qemu_format, "qcow2");
  EXPECT_EQ(d.detail, "qcow2 v3");
  EXPECT_EQ(d.backend, Backend::kGuestfs);
}

TEST(DetectFormat, VhdxVdi) {
  std::string h = Blank();
  Put(h, 0, "vhdxfile");
  EXPECT_EQ(Ok(h).qemu_format, "vhdx");
  std::string v = Blank();
  Put(v, 0, "<<< Oracle VM VirtualBox Disk Image >>>\n");
  PutLe(v, 0x40, 0xbeda107f, 4);
  EXPECT_EQ(Ok(v).format, Format::kVdi);
  EXPECT_EQ(Ok(v).qemu_format, "vdi");
}

TEST(DetectFormat, VmdkSparseAndStreamOptimized) {
  std::string h = Blank(4096);
  Put(h, 0, "KDMV");
  PutLe(h, 28, 1, 8);  // descriptor at sector 1
  PutLe(h, 36, 1, 8);
  Put(h, 512, "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicSparse\"\n");
  auto d = Ok(h);
  EXPECT_EQ(d.format, Format::kVmdkSparse);
  EXPECT_EQ(d.name, "vmdk-sparse");
  EXPECT_EQ(d.detail, "monolithicSparse");
  EXPECT_EQ(d.qemu_format, "vmdk");
  Put(h, 512, "# Disk DescriptorFile\nversion=1\ncreateType=\"streamOptimized\"\n");
  EXPECT_EQ(Ok(h).format, Format::kVmdkStreamOptimized);
  // No descriptor: the header's flags (compressed grains, markers) decide.
  std::string bare = Blank(4096);
  Put(bare, 0, "KDMV");
  EXPECT_EQ(Ok(bare).format, Format::kVmdkSparse);
  PutLe(bare, 8, (1u << 16) | (1u << 17), 4);
  EXPECT_EQ(Ok(bare).name, "vmdk-stream-optimized");
  std::string compressed = Blank(4096);
  Put(compressed, 0, "KDMV");
  PutLe(compressed, 77, 1, 2);
  EXPECT_EQ(Ok(compressed).format, Format::kVmdkStreamOptimized);
}

TEST(DetectFormat, VmdkTextDescriptor) {
  std::string text =
      "# Disk DescriptorFile\r\nversion=1\r\ncreateType=\"twoGbMaxExtentSparse\"\r\n"
      "RW 100 SPARSE \"a-s001.vmdk\"\r\n";
  auto d = Ok(text);
  EXPECT_EQ(d.format, Format::kVmdkDescriptor);
  EXPECT_EQ(d.detail, "twoGbMaxExtentSparse");
}

TEST(DetectFormat, VhdFixedByFooterDynamicByHeaderCopy) {
  std::string disk = Blank(4096);
  std::string footer = Blank(512);
  Put(footer, 0, "conectix");
  PutBe(footer, 60, 2, 4);
  Put(disk, 4096 - 512, footer);
  auto fixed = Ok(disk, disk.substr(4096 - 1024), 4096);
  EXPECT_EQ(fixed.format, Format::kVhdFixed);
  EXPECT_EQ(fixed.qemu_format, "vpc");
  // A fixed VHD holding an MBR disk is still a VHD: the footer wins over the partition table.
  PutLe(disk, 510, 0xAA55, 2);
  disk[446 + 4] = static_cast<char>(0x83);
  PutLe(disk, 446 + 8, 2048, 4);
  PutLe(disk, 446 + 12, 100, 4);
  EXPECT_EQ(Ok(disk, disk.substr(4096 - 1024), 4096).format, Format::kVhdFixed);
  PutBe(footer, 60, 3, 4);
  std::string dynamic = footer + Blank(4096);
  EXPECT_EQ(Ok(dynamic).format, Format::kVhdDynamic);
  PutBe(footer, 60, 4, 4);
  EXPECT_NE(Err(footer + Blank(4096)).find("differencing VHD"), std::string::npos);
}

TEST(DetectFormat, BareFilesystems) {
  std::string xfs = Blank();
  Put(xfs, 0, "XFSB");
  EXPECT_EQ(Ok(xfs).format, Format::kXfsFs);
  EXPECT_EQ(Ok(xfs).qemu_format, "raw");
  std::string btrfs = Blank(0x11000);
  Put(btrfs, 0x10040, "_BHRfS_M");
  EXPECT_EQ(Ok(btrfs).format, Format::kBtrfsFs);

  std::string ext = Blank();
  PutLe(ext, 1080, 0xEF53, 2);
  EXPECT_EQ(Ok(ext).name, "ext2");
  PutLe(ext, 1024 + 92, 0x4, 4);  // has_journal
  EXPECT_EQ(Ok(ext).name, "ext3");
  PutLe(ext, 1024 + 96, 0x40 | 0x80, 4);  // extents, 64bit
  PutLe(ext, 1024 + 100, 0x400, 4);       // metadata_csum
  EXPECT_EQ(Ok(ext).name, "ext4");
  EXPECT_EQ(Ok(ext).detail, "ext4 (64bit, metadata_csum) filesystem");
  EXPECT_EQ(Ok(ext).format, Format::kExtFs);
}

TEST(DetectFormat, PartitionTables) {
  std::string gpt = Blank();
  PutLe(gpt, 510, 0xAA55, 2);
  gpt[446 + 4] = static_cast<char>(0xEE);
  PutLe(gpt, 446 + 8, 1, 4);
  PutLe(gpt, 446 + 12, 100, 4);
  Put(gpt, 512, "EFI PART");
  EXPECT_EQ(Ok(gpt).detail, "GPT partition table");
  std::string mbr = Blank();
  PutLe(mbr, 510, 0xAA55, 2);
  mbr[446] = static_cast<char>(0x80);
  mbr[446 + 4] = static_cast<char>(0x83);
  PutLe(mbr, 446 + 8, 2048, 4);
  PutLe(mbr, 446 + 12, 4096, 4);
  EXPECT_EQ(Ok(mbr).detail, "MBR partition table");
  EXPECT_EQ(Ok(mbr).format, Format::kRawDisk);
  // 55 AA with a nonsense table (bad status byte) is not a partition table.
  mbr[446] = 0x12;
  EXPECT_NE(Err(mbr).find("unrecognised content"), std::string::npos);
  // ... nor is 55 AA with an empty table.
  std::string empty = Blank();
  PutLe(empty, 510, 0xAA55, 2);
  EXPECT_FALSE(DetectFormat(empty, empty, empty.size()));
}

TEST(DetectFormat, UnknownContentSaysWhatWasSeen) {
  EXPECT_EQ(Err("", 0), "empty file (0 bytes)");
  std::string elf =
      "\x7f"
      "ELF\x02\x01\x01" +
      Blank(100);
  std::string msg = Err(elf);
  EXPECT_EQ(msg.rfind("unrecognised content: starts with 7f 45 4c 46 02 01 01 00", 0), 0u) << msg;
  EXPECT_NE(msg.find("(ELF executable?)"), std::string::npos);
  EXPECT_NE(Err("%PDF-1.7\n" + Blank(10)).find("PDF"), std::string::npos);
  EXPECT_NE(Err("\x89PNG\r\n\x1a\n" + Blank(10)).find("PNG"), std::string::npos);
  EXPECT_NE(Err("PK\x03\x04" + Blank(10)).find("zip"), std::string::npos);
  EXPECT_NE(Err(Blank(4096)).find("all zero"), std::string::npos);
  EXPECT_NE(Err("\x1f\x8b\x08\x00garbage").find("gzip"), std::string::npos);
  std::mt19937 rng(42);
  std::string random(64 * 1024, '\0');
  for (auto& c : random) c = static_cast<char>(rng());
  random[510] = 0;  // (an accidental 55 AA would need a sane table anyway)
  msg = Err(random);
  EXPECT_EQ(msg.rfind("unrecognised content: starts with ", 0), 0u) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos);
}

// What every answer of DetectFormat must be: a detection that names its format, or one line
// in our words (never an empty message, never a multi-line dump of the bytes).
void ExpectAnAnswer(std::string_view head) {
  auto d = DetectFormat(head, head, head.size());
  if (d) {
    EXPECT_FALSE(d->name.empty());
  } else {
    EXPECT_FALSE(d.error().empty());
    EXPECT_EQ(d.error().find('\n'), std::string::npos) << d.error();
  }
}

TEST(DetectFormat, TruncatedHeadersGetAnAnswer) {
  // Every prefix of every magic, and every magic followed by junk.
  std::vector<std::string> seeds = {"QFI\xfb",  "vhdxfile", "KDMV",
                                    "conectix", "XFSB",     "# Disk DescriptorFile",
                                    "\x1f\x8b", "BZh9"};
  for (const auto& seed : seeds) {
    for (size_t n = 1; n <= seed.size(); ++n) {
      std::string h = seed.substr(0, n);
      SCOPED_TRACE(::testing::PrintToString(h));
      ExpectAnAnswer(h);
      // A few bytes of a magic are not that format: too short to hold its header.
      if (n < seed.size()) {
        EXPECT_FALSE(DetectFormat(h, h, h.size()));
      }
      ExpectAnAnswer(h + std::string(300, '\xff'));
    }
  }
}

TEST(VmdkDescriptor, ParsesExtentsParentAndProblems) {
  auto d = ParseVmdkDescriptor(
      "# Disk DescriptorFile\r\nversion=1\nCID=1\nparentCID=ffffffff\n"
      "createType=\"monolithicFlat\"\n\n# Extent description\n"
      "RW 2048 FLAT \"disk with space-flat.vmdk\" 0\nRDONLY 10 ZERO\nRW x SPARSE \"y\"\n"
      "RW 5 SPARSE \"unterminated\n");
  EXPECT_EQ(d.create_type, "monolithicFlat");
  EXPECT_FALSE(d.HasParent());
  ASSERT_EQ(d.extents.size(), 2u);
  EXPECT_EQ(d.extents[0].file, "disk with space-flat.vmdk");
  EXPECT_EQ(d.extents[0].sectors, 2048u);
  EXPECT_EQ(d.extents[0].line, 8);
  EXPECT_EQ(d.extents[1].type, "ZERO");
  ASSERT_EQ(d.problems.size(), 2u);
  EXPECT_EQ(d.problems[0], "line 10: unparsable extent line");
  auto delta = ParseVmdkDescriptor("parentCID=1234abcd\nparentFileNameHint=\"/etc/shadow\"\n");
  EXPECT_TRUE(delta.HasParent());
  EXPECT_EQ(delta.parent_file_name_hint, "/etc/shadow");
  auto nul = ParseVmdkDescriptor(std::string("createType=\"a\"\n\0createType=\"b\"\n", 31));
  EXPECT_EQ(nul.create_type, "a");
}

}  // namespace
}  // namespace imageprobe::images
