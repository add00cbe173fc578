// SPDX-License-Identifier: Apache-2.0
// The native engine through OpenImage, on disks built here with sfdisk and mkfs: the layout of
// a cloud image (an EFI system partition, swap, the root, /home on its own partition named by
// PARTUUID) inspected and mounted as the appliance would, and the reasons it hands an image to
// libguestfs (checked with --engine native, so that no appliance starts).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "images/open.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

using testing::RunShell;
using testing::ShellOutput;
using testing::ShellQuote;
using testing::TempDir;

constexpr char kHomeUuid[] = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

// 1: ESP (vfat) at 1 MiB, 2: swap at 9 MiB, 3: root (ext4) at 13 MiB, 4: /home (ext4) at 33 MiB.
std::string MakeDisk(const TempDir& dir, const std::string& root_mkfs) {
  dir.WriteFile("root/etc/os-release", "ID=debian\nVERSION_ID=12\n");
  dir.WriteFile("root/etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\n"
                "alice:x:1000:1000::/home/alice:/bin/bash\n");
  dir.WriteFile("root/etc/fstab",
                "LABEL=rootfs / ext4 defaults 0 1\n"
                "UUID=ABCD-1234 /boot/efi vfat umask=0077 0 1\n"
                "PARTUUID=" +
                    std::string(kHomeUuid) +
                    " /home ext4 defaults 0 2\n"
                    "LABEL=nowhere /srv ext4 defaults 0 2\n"
                    "/dev/nvme0n1p2 none swap sw 0 0\n");
  dir.MakeDirs("root/boot/efi");
  dir.MakeDirs("root/home");
  dir.MakeDirs("root/srv");
  dir.WriteFile("home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAAC3Nza alice@laptop\n");
  const std::string disk = dir / "disk.img";
  const std::string script =
      "label: gpt\\n"
      "start=2048, size=16384, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\\n"
      "start=18432, size=8192, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F\\n"
      "start=26624, size=40960, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n"
      "start=67584, size=40960, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=" +
      std::string(kHomeUuid) + "\\n";
  const std::string cmd =
      "set -e; truncate -s 60M " + ShellQuote(disk) + "; printf '" + script + "' | sfdisk -q " +
      ShellQuote(disk) + "; mkfs.vfat -i ABCD1234 -n ESP --offset 2048 " + ShellQuote(disk) +
      " 8192 >/dev/null 2>&1; truncate -s 4M " + ShellQuote(dir / "swap") + "; mkswap -q " +
      ShellQuote(dir / "swap") + "; dd if=" + ShellQuote(dir / "swap") + " of=" + ShellQuote(disk) +
      " bs=512 seek=18432 conv=notrunc status=none; " + root_mkfs +
      "; mkfs.ext4 -q -F -L home -E offset=$((67584*512)) -d " + ShellQuote(dir / "home") + " " +
      ShellQuote(disk) + " 20M";
  EXPECT_EQ(RunShell(cmd), 0) << cmd;
  return disk;
}

std::string Ext4Root(const TempDir& dir, const std::string& disk) {
  return "mkfs.ext4 -q -F -L rootfs -E offset=$((26624*512)) -d " + ShellQuote(dir / "root") + " " +
         ShellQuote(disk) + " 20M";
}

TEST(NativeInspect, CloudLayoutMountsAsTheGuestsFstabSays) {
  TempDir dir;
  const std::string disk = dir / "disk.img";
  MakeDisk(dir, Ext4Root(dir, disk));
  OpenOptions options;
  options.engine = Engine::kNative;
  auto image = OpenImage(disk, options);
  EXPECT_EQ(image->info().backend, "native");
  ASSERT_EQ(image->roots().size(), 1u);
  EXPECT_EQ(image->roots()[0].name, "/dev/sda3");
  EXPECT_EQ(image->roots()[0].description, "ext4, mounted /, /home, /boot/efi");  // shortest first

  auto mounted = image->Mount(0, {});
  ASSERT_TRUE(mounted.has_value()) << mounted.error();
  const Filesystem& fs = *mounted->fs;
  EXPECT_EQ(fs.ReadAt("/home/alice/.ssh/authorized_keys", 0, 100).value_or(""),
            "ssh-ed25519 AAAAC3Nza alice@laptop\n");
  // The ESP is there as a directory, and any read below it says it was not read.
  EXPECT_TRUE(fs.Lstat("/boot/efi").value().IsDirectory());
  auto esp = fs.List("/boot/efi");
  ASSERT_FALSE(esp.has_value());
  EXPECT_NE(esp.error().Message().find("vfat filesystem /dev/sda1 is not read"), std::string::npos)
      << esp.error().Message();
  // The one fstab entry naming nothing: a problem of the root, in the appliance's words.
  ASSERT_EQ(mounted->diagnostics.size(), 1u);
  EXPECT_EQ(mounted->diagnostics[0].path, "/srv");
  EXPECT_EQ(mounted->diagnostics[0].message,
            "not mounted: LABEL=nowhere (/etc/fstab line 4) names no filesystem in this image");
}

TEST(NativeInspect, WhatItDoesNotReadIsRefusedWithTheReason) {
  TempDir dir;
  const std::string disk = dir / "disk.img";
  MakeDisk(dir, "true");
  // mkfs.xfs cannot write at an offset (and wants 300 MiB): its first 20 MiB into partition 3,
  // marked as needing xfs_repair (xfs_db checks the feature word and rewrites the checksum).
  const std::string xfs = dir / "root.xfs";
  ASSERT_EQ(RunShell("set -e; truncate -s 300M " + ShellQuote(xfs) + "; mkfs.xfs -q -f " +
                     ShellQuote(xfs) + "; xfs_db -x -c 'sb 0' -c 'write features_incompat 0x1b' " +
                     ShellQuote(xfs) + " >/dev/null; dd if=" + ShellQuote(xfs) + " of=" +
                     ShellQuote(disk) + " bs=512 seek=26624 count=40960 conv=notrunc status=none"),
            0);
  OpenOptions options;
  options.engine = Engine::kNative;
  try {
    OpenImage(disk, options);
    FAIL() << "opened";
  } catch (const ImageError& e) {
    EXPECT_EQ(std::string(e.what()),
              disk +
                  ": the native engine cannot read this image: /dev/sda3 (xfs): unsupported "
                  "XFS feature: needsrepair (xfs_repair must run first)");
  }
}

// An OVA's disk member is read where it lies in the tar: nothing is extracted (TMPDIR stays
// empty), for every tar header layout (a long member name makes GNU tar write a long-name
// block, and pax an extended header, before the member's own) and for a raw as well as a
// streamOptimized VMDK member. The inspection equals that of the bare disk.
TEST(NativeInspect, OvaDiskMemberIsReadInPlace) {
  TempDir dir;
  const std::string disk = dir / "disk.img";
  MakeDisk(dir, Ext4Root(dir, disk));
  dir.MakeDirs("tmp");
  const std::string long_name = std::string(120, 'd') + ".vmdk";
  ASSERT_EQ(RunShell("set -e; cd " + ShellQuote(dir.path()) +
                     "; qemu-img convert -q -O vmdk -o subformat=streamOptimized disk.img " +
                     long_name + "; cp disk.img raw-disk.img"),
            0);
  struct Case {
    std::string tar_format;
    std::string member;
  };
  for (const Case& c : {Case{"ustar", "raw-disk.img"}, Case{"gnu", long_name},
                        Case{"pax", long_name}, Case{"pax", "raw-disk.img"}}) {
    SCOPED_TRACE(c.tar_format + " " + c.member.substr(0, 12));
    dir.WriteFile("vm.ovf", "<Envelope><References><File ovf:href=\"" + c.member +
                                "\"/></References></Envelope>\n");
    const std::string ova = dir / ("vm-" + c.tar_format + ".ova");
    ASSERT_EQ(RunShell("set -e; cd " + ShellQuote(dir.path()) + "; rm -f " + ShellQuote(ova) +
                       "; tar --format=" + c.tar_format + " -cf " + ShellQuote(ova) + " vm.ovf " +
                       c.member),
              0);
    const char* old_tmpdir = ::getenv("TMPDIR");
    std::string saved = old_tmpdir ? old_tmpdir : "";
    ::setenv("TMPDIR", (dir / "tmp").c_str(), 1);
    OpenOptions options;
    options.engine = Engine::kNative;
    auto image = OpenImage(ova, options);
    EXPECT_EQ(image->info().backend, "native");
    EXPECT_EQ(image->info().format, "ova");
    ASSERT_EQ(image->roots().size(), 1u);
    EXPECT_EQ(image->roots()[0].description, "ext4, mounted /, /home, /boot/efi");
    auto mounted = image->Mount(0, {});
    ASSERT_TRUE(mounted.has_value()) << mounted.error();
    EXPECT_EQ(mounted->fs->ReadAt("/home/alice/.ssh/authorized_keys", 0, 100).value_or(""),
              "ssh-ed25519 AAAAC3Nza alice@laptop\n");
    EXPECT_EQ(RunShell("test -z \"$(ls -A " + ShellQuote(dir / "tmp") + ")\""), 0)
        << "the OVA was extracted";
    bool has_locate = false;
    for (const auto& t : image->timings()) has_locate |= t.stage == "locate";
    EXPECT_TRUE(has_locate);
    if (old_tmpdir)
      ::setenv("TMPDIR", saved.c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }
}

}  // namespace
}  // namespace imageprobe::images
