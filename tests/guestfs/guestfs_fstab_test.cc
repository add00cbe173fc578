// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs_fstab.h"

#include <gtest/gtest.h>

namespace imageprobe::images {
namespace {

TEST(ParseFstab, FieldsCommentsAndEscapes) {
  Fstab f = ParseFstab(
      "# comment\n"
      "UUID=ab-cd  /  ext4  errors=remount-ro 0 1\r\n"
      "\n"
      "LABEL=My\\040Data /srv/my\\040data xfs defaults # trailing comment\n"
      "/dev/sdb1 /mnt\n");
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_TRUE(f.problems.empty());
  EXPECT_EQ(f.entries[0].spec, "UUID=ab-cd");
  EXPECT_EQ(f.entries[0].mountpoint, "/");
  EXPECT_EQ(f.entries[0].options, "errors=remount-ro");
  EXPECT_EQ(f.entries[0].line, 2u);
  EXPECT_EQ(f.entries[1].spec, "LABEL=My Data");
  EXPECT_EQ(f.entries[1].mountpoint, "/srv/my data");
  EXPECT_EQ(f.entries[1].line, 4u);
  EXPECT_EQ(f.entries[2].type, "auto");
}

TEST(ParseFstab, HostileInputBecomesProblemsNotCrashes) {
  std::string junk = "lonely-field\n";
  junk += std::string("a\0b /x ext4\n", 12);
  junk += std::string(1 << 20, 'x') + "\n";  // a 1 MiB line with one field
  junk += "\xff\xfe /bin\\777 ext4\n";        // invalid UTF-8, escape out of byte range kept
  junk += "/dev/sda1 /../../etc//x/ ext4\n";  // normalised, cannot climb above /
  Fstab f = ParseFstab(junk);
  ASSERT_EQ(f.problems.size(), 3u);
  EXPECT_EQ(f.problems[0].line, 1u);
  EXPECT_EQ(f.problems[1].line, 2u);
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].mountpoint, "/bin\\777");
  EXPECT_EQ(f.entries[1].mountpoint, "/etc/x");
}

TEST(MountableEntries, SkipsPseudoSwapBindNetworkAndRootSortsShortestFirst) {
  Fstab f = ParseFstab(
      "LABEL=root / ext4 defaults 0 1\n"
      "UUID=1 /var/lib/docker ext4 defaults 0 2\n"
      "UUID=2 /var ext4 defaults 0 2\n"
      "/swapfile none swap sw 0 0\n"
      "proc /proc proc defaults 0 0\n"
      "tmpfs /tmp tmpfs defaults 0 0\n"
      "/srv/a /srv/b none bind 0 0\n"
      "/data /export ext4 rbind 0 0\n"
      "nfs.example:/export /mnt/nfs nfs defaults 0 0\n"
      "//server/share /mnt/smb cifs defaults 0 0\n"
      "UUID=3 /boot ext4 defaults 0 2\n");
  auto entries = MountableEntries(f);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].mountpoint, "/var");
  EXPECT_EQ(entries[1].mountpoint, "/boot");
  EXPECT_EQ(entries[2].mountpoint, "/var/lib/docker");
}

TEST(ClassifyFstabSpec, AllReferenceKinds) {
  EXPECT_EQ(ClassifyFstabSpec("UUID=\"abc\"").kind, SpecKind::kUuid);
  EXPECT_EQ(ClassifyFstabSpec("UUID=\"abc\"").value, "abc");
  EXPECT_EQ(ClassifyFstabSpec("LABEL=/").value, "/");
  EXPECT_EQ(ClassifyFstabSpec("PARTUUID=1234-01").kind, SpecKind::kPartUuid);
  EXPECT_EQ(ClassifyFstabSpec("PARTLABEL=root").kind, SpecKind::kPartLabel);
  EXPECT_EQ(ClassifyFstabSpec("/dev/disk/by-uuid/u1").kind, SpecKind::kUuid);
  EXPECT_EQ(ClassifyFstabSpec("/dev/disk/by-label/l1").value, "l1");
  EXPECT_EQ(ClassifyFstabSpec("/dev/disk/by-partuuid/p").kind, SpecKind::kPartUuid);
  EXPECT_EQ(ClassifyFstabSpec("/dev/xvda1").kind, SpecKind::kDevice);
  EXPECT_EQ(ClassifyFstabSpec("tmpfs").kind, SpecKind::kOther);
}

TEST(ApplianceDeviceName, GuestNamesMapToTheApplianceNames) {
  EXPECT_EQ(ApplianceDeviceName("/dev/xvda1"), "/dev/sda1");
  EXPECT_EQ(ApplianceDeviceName("/dev/vdb2"), "/dev/sdb2");
  EXPECT_EQ(ApplianceDeviceName("/dev/hda"), "/dev/sda");
  EXPECT_EQ(ApplianceDeviceName("/dev/sda3"), "/dev/sda3");
  EXPECT_EQ(ApplianceDeviceName("/dev/nvme0n1p2"), "/dev/sda2");
  EXPECT_EQ(ApplianceDeviceName("/dev/nvme1n1"), "/dev/sdb");
  EXPECT_EQ(ApplianceDeviceName("/dev/mapper/vg0-root"), "/dev/mapper/vg0-root");
  EXPECT_EQ(ApplianceDeviceName("/dev/nvme0n1px"), "/dev/nvme0n1px");
  EXPECT_EQ(ApplianceDeviceName("/dev/xvda1x"), "/dev/xvda1x");
  EXPECT_EQ(ApplianceDeviceName("/dev/nvme99999999999999999999n1"),
            "/dev/nvme99999999999999999999n1");
}

}  // namespace
}  // namespace imageprobe::images
