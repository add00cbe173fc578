// SPDX-License-Identifier: Apache-2.0
// ExtractOvaDisk on OVAs built at test time: an .ovf plus a qemu-img-made streamOptimized VMDK.
#include "images/ova.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "images/format.h"
#include "scanner/core/image.h"
#include "tests/images/tar_builder.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

using testing::RunShell;
using testing::Slurp;
using testing::TarBuilder;
using testing::TempDir;

constexpr char kOvf[] =
    "<?xml version=\"1.0\"?>\n<Envelope xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\">\n"
    "<References>\n  <File ovf:id=\"file1\" ovf:href=\"disk1.vmdk\" ovf:size=\"1\"/>\n"
    "</References></Envelope>\n";

class OvaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunShell("set -e; cd '" + dir_.path() +
                       "'; truncate -s 8M raw.img;"
                       "dd if=/dev/urandom of=raw.img bs=64K count=4 seek=3 conv=notrunc "
                       "status=none; qemu-img convert -O vmdk -o subformat=streamOptimized "
                       "raw.img disk.vmdk; mkdir tmp"),
              0);
    vmdk_ = Slurp(dir_ / "disk.vmdk");
    ASSERT_GT(vmdk_.size(), 0u);
    // Extraction goes under $TMPDIR: point it into the build tree for the test.
    const char* old = ::getenv("TMPDIR");
    old_tmpdir_ = old ? old : "";
    had_tmpdir_ = old != nullptr;
    ::setenv("TMPDIR", (dir_ / "tmp").c_str(), 1);
  }
  void TearDown() override {
    if (had_tmpdir_)
      ::setenv("TMPDIR", old_tmpdir_.c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }
  size_t EntriesIn(const std::string& dir) {
    return std::distance(std::filesystem::directory_iterator(dir),
                         std::filesystem::directory_iterator());
  }

  TempDir dir_;
  std::string vmdk_;
  std::string old_tmpdir_;
  bool had_tmpdir_ = false;
};

TEST_F(OvaTest, ExtractsTheDiskTheOvfReferencesIntoAPrivateTempDir) {
  std::string ova = dir_ / "vm.ova";
  TarBuilder()
      .File("vm.ovf", kOvf)
      .File("vm.mf", "SHA256(disk1.vmdk)= 00\n")
      .File("decoy.img", "not the disk")
      .File("./disk1.vmdk", vmdk_)
      .WriteTo(ova);
  std::string extracted_dir;
  {
    auto disk = ExtractOvaDisk(ova);
    EXPECT_EQ(disk->member(), "disk1.vmdk");
    EXPECT_EQ(disk->disk_path(), disk->dir() + "/disk");
    EXPECT_EQ(disk->dir().rfind(dir_ / "tmp/imageprobe-ova.", 0), 0u) << disk->dir();
    struct stat st;
    ASSERT_EQ(::stat(disk->dir().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_EQ(Slurp(disk->disk_path()), vmdk_);
    EXPECT_EQ(disk->size(), vmdk_.size());
    auto detection = DetectPath(disk->disk_path());
    ASSERT_TRUE(detection) << detection.error();
    EXPECT_EQ(detection->format, Format::kVmdkStreamOptimized);
    extracted_dir = disk->dir();
  }
  EXPECT_FALSE(std::filesystem::exists(extracted_dir));
  EXPECT_EQ(EntriesIn(dir_ / "tmp"), 0u);
}

TEST_F(OvaTest, HostileMemberNamesNeverBecomeHostPaths) {
  std::string ova = dir_ / "evil.ova";
  TarBuilder()
      .File("vm.ovf", "<Envelope><References/></Envelope>")
      .File("../../../escape.vmdk", vmdk_)
      .WriteTo(ova);
  auto disk = ExtractOvaDisk(ova);
  EXPECT_EQ(disk->member(), "../../../escape.vmdk");  // fallback: first disk-like member
  EXPECT_EQ(disk->disk_path(), disk->dir() + "/disk");
  EXPECT_EQ(Slurp(disk->disk_path()), vmdk_);
  EXPECT_EQ(EntriesIn(disk->dir()), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "escape.vmdk"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/../escape.vmdk"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/../../escape.vmdk"));
}

TEST_F(OvaTest, MemberClaimingMoreThanTheOvaIsRefused) {
  std::string ova = dir_ / "cut.ova";
  TarBuilder().File("vm.ovf", kOvf).File("disk1.vmdk", std::string(2 << 20, 'x')).WriteTo(ova);
  std::filesystem::resize_file(ova, 1 << 20);
  try {
    ExtractOvaDisk(ova);
    ADD_FAILURE() << "extracted";
  } catch (const ImageError& e) {
    EXPECT_EQ(std::string(e.what()),
              ova +
                  ": OVA member \"disk1.vmdk\" claims 2097152 bytes, more than the whole OVA "
                  "(1048576)");
  }
  EXPECT_EQ(EntriesIn(dir_ / "tmp"), 0u);
}

TEST_F(OvaTest, OvaWithoutDiskFails) {
  std::string ova = dir_ / "nodisk.ova";
  TarBuilder().File("vm.ovf", kOvf).File("vm.mf", "x").WriteTo(ova);
  EXPECT_THROW(
      {
        try {
          ExtractOvaDisk(ova);
        } catch (const ImageError& e) {
          EXPECT_EQ(std::string(e.what()), ova + ": OVA holds no disk member");
          throw;
        }
      },
      ImageError);
}

// Where the member's bytes lie, found by walking the headers GNU tar writes: the offset must
// hold exactly the member's bytes, whatever extension blocks come first. A GNU sparse member is
// not contiguous: it is said so, and extraction (libarchive) still reads it.
TEST_F(OvaTest, LocatesTheDiskMemberInEveryTarLayout) {
  std::string long_name = std::string(150, 'n') + ".vmdk";
  std::ofstream(dir_ / long_name, std::ios::binary) << vmdk_;
  std::ofstream(dir_ / "disk1.vmdk", std::ios::binary) << vmdk_;
  for (const char* format : {"ustar", "v7", "gnu", "pax"}) {
    for (const std::string& member : {std::string("disk1.vmdk"), long_name}) {
      if (member.size() > 99 && (std::string(format) == "ustar" || std::string(format) == "v7")) {
        continue;  // these layouts cannot hold such a name
      }
      SCOPED_TRACE(std::string(format) + " " + member.substr(0, 10));
      std::ofstream(dir_ / "vm.ovf")
          << "<Envelope><References><File ovf:href=\"" << member << "\"/></References></Envelope>";
      std::string ova = dir_ / "vm.ova";
      ASSERT_EQ(RunShell("cd '" + dir_.path() + "' && rm -f vm.ova && tar --format=" + format +
                         " -cf vm.ova vm.ovf raw.img " + member),
                0);
      OvaDisk disk = LocateOvaDisk(ova);
      EXPECT_EQ(disk.member, member);
      EXPECT_EQ(disk.size, vmdk_.size());
      ASSERT_TRUE(disk.data_offset.has_value()) << disk.not_in_place;
      EXPECT_EQ(Slurp(ova).substr(*disk.data_offset, disk.size), vmdk_);
    }
  }
  // raw.img has 8 MiB of which 256 KiB are written: tar -S stores it as a GNU sparse member.
  std::ofstream(dir_ / "vm.ovf") << "<Envelope><References><File ovf:href=\"raw.img\"/>"
                                    "</References></Envelope>";
  std::string ova = dir_ / "sparse.ova";
  ASSERT_EQ(
      RunShell("cd '" + dir_.path() + "' && tar --format=gnu -S -cf sparse.ova vm.ovf raw.img"), 0);
  OvaDisk disk = LocateOvaDisk(ova);
  EXPECT_FALSE(disk.data_offset.has_value());
  EXPECT_EQ(disk.not_in_place, "a GNU sparse tar member is not stored contiguously");
  auto extracted = ExtractOvaDisk(ova, disk);
  EXPECT_EQ(Slurp(extracted->disk_path()), Slurp(dir_ / "raw.img"));
}

TEST(OvfFileRefs, HrefsInDocumentOrderWhateverTheSpelling) {
  EXPECT_EQ(ParseOvfFileRefs(kOvf), std::vector<std::string>{"disk1.vmdk"});
  EXPECT_EQ(ParseOvfFileRefs("<ovf:References><ovf:File ovf:id='a' ovf:href='a.vmdk'/>"
                             "<File href=\"b.vmdk\" id=\"b\"></File><Filex href=\"c\"/>"
                             "<File xhref=\"d\"/></ovf:References>"),
            (std::vector<std::string>{"a.vmdk", "b.vmdk"}));
  EXPECT_TRUE(ParseOvfFileRefs("").empty());
  EXPECT_TRUE(ParseOvfFileRefs("<File href=\"unterminated").empty());
  EXPECT_TRUE(ParseOvfFileRefs(std::string("<File \0 href=x>", 15)).empty());
  EXPECT_TRUE(ParseOvfFileRefs("<<<<>>>><File>").empty());
}

}  // namespace
}  // namespace imageprobe::images
