// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs_fstab.h"

#include <gtest/gtest.h>

namespace imageprobe::images {
namespace {

TEST(MountableEntries, SkipsPseudoSwapBindNetworkAndRootSortsShortestFirst) {
  parse::ParsedFstab f = parse::ParseFstab(
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
      "UUID=3 /boot ext4 defaults 0 2\n"
      "UUID=4 /../../srv//x/ ext4 defaults 0 2\n");  // normalised, cannot climb above /
  auto entries = MountableEntries(f);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].mount_point, "/var");
  EXPECT_EQ(entries[1].mount_point, "/boot");
  EXPECT_EQ(entries[2].mount_point, "/srv/x");
  EXPECT_EQ(entries[3].mount_point, "/var/lib/docker");
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
