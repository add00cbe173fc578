// SPDX-License-Identifier: Apache-2.0
// The native engine's layers on real images, each against the program that decides the truth:
//  - Ext4Fs (libext2fs through a BlockDevice) against lstat/readlink/read of the host tree that
//    mkfs.ext4 -d made the image from, on a GPT partition found by ReadPartitionTable, with 4 KiB
//    and 1 KiB blocks and with inline data;
//  - NbdDevice (qemu-nbd) against the raw bytes qemu-img converted the image from, for qcow2,
//    streamOptimized VMDK, VHD and VHDX; the child and its socket gone afterwards;
//  - IdentifyFilesystem against blkid.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <functional>

#include "images/directory_fs.h"
#include "images/native/ext4_fs.h"
#include "images/native/file_device.h"
#include "images/native/filesystem_signature.h"
#include "images/native/mount_tree_fs.h"
#include "images/native/nbd_device.h"
#include "images/native/partition_table.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images::native {
namespace {

namespace fs = std::filesystem;
using testing::RunShell;
using testing::ShellOutput;
using testing::ShellQuote;
using testing::Slurp;
using testing::TempDir;

// A root with what probes read: keys and their modes, fast and slow symlinks (one at the
// host's /etc/shadow), a hard link, a fifo, an empty file, a sparse file, a deep path.
void MakeTree(const TempDir& dir) {
  dir.WriteFile("tree/etc/os-release", "ID=debian\nVERSION_ID=12\n");
  dir.WriteFile("tree/etc/ssh/sshd_config", "PermitRootLogin no\nUsePAM yes\n");
  dir.WriteFile("tree/home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAAC3Nza alice@laptop\n");
  dir.WriteFile("tree/home/bob/.bash_history", "");
  dir.WriteFile("tree/var/log/big.log", std::string(300000, 'x'));
  dir.Symlink("tree/home/alice/shadow", "/etc/shadow");
  dir.Symlink("tree/home/alice/long", "../../" + std::string(100, 'a') + "/target");
  ASSERT_EQ(RunShell("set -e; cd " + ShellQuote(dir / "tree") +
                     "; chmod 700 home/alice/.ssh; chmod 600 home/alice/.ssh/authorized_keys"
                     "; chown -R 1000:1000 home/alice; chmod 4755 etc/os-release"
                     "; ln etc/ssh/sshd_config etc/ssh/hardlink; mkfifo var/fifo"
                     "; truncate -s 5M var/sparse; printf tail >> var/sparse"
                     "; mkdir -p a/b/c/d/e && echo deep > a/b/c/d/e/f"
                     "; touch -d '2031-05-06 07:08:09 UTC' home/bob/.bash_history"),
            0);
}

// Every entry of `native` below `dir`, compared with the host tree through DirectoryFs.
void ExpectSameTree(const Filesystem& native, const Filesystem& host, const std::string& dir,
                    int* compared) {
  auto mine = native.List(dir);
  auto theirs = host.List(dir);
  ASSERT_TRUE(mine.has_value()) << dir << ": " << mine.error().Message();
  ASSERT_TRUE(theirs.has_value()) << dir;
  std::vector<std::string> mine_names, their_names;
  for (const auto& e : *mine) mine_names.push_back(e.name);
  for (const auto& e : *theirs) {
    if (!(dir == "/" && e.name == "lost+found")) their_names.push_back(e.name);
  }
  std::erase(mine_names, dir == "/" ? "lost+found" : "");
  ASSERT_EQ(mine_names, their_names) << dir;
  for (const auto& entry : *mine) {
    if (dir == "/" && entry.name == "lost+found") continue;
    std::string path = dir == "/" ? "/" + entry.name : dir + "/" + entry.name;
    auto want = host.Lstat(path);
    ASSERT_TRUE(want.has_value()) << path;
    const FileStat& got = entry.stat;
    EXPECT_EQ(got.type, want->type) << path;
    EXPECT_EQ(got.mode, want->mode) << path;
    EXPECT_EQ(got.uid, want->uid) << path;
    EXPECT_EQ(got.gid, want->gid) << path;
    EXPECT_EQ(got.mtime, want->mtime) << path;
    if (!got.IsDirectory()) {
      EXPECT_EQ(got.size, want->size) << path;
    }
    auto lstat = native.Lstat(path);
    ASSERT_TRUE(lstat.has_value()) << path;
    EXPECT_EQ(lstat->mode, got.mode) << path;
    ++*compared;
    if (got.IsSymlink()) {
      EXPECT_EQ(native.ReadLink(path).value_or("?"), host.ReadLink(path).value_or("!")) << path;
    } else if (got.IsRegular()) {
      EXPECT_EQ(native.ReadAt(path, 0, 1 << 24).value_or("?"),
                host.ReadAt(path, 0, 1 << 24).value_or("!"))
          << path;
      if (got.size > 10) {
        EXPECT_EQ(native.ReadAt(path, got.size - 4, 100).value_or("?"),
                  host.ReadAt(path, got.size - 4, 100).value_or("!"))
            << path;
      }
    } else if (got.IsDirectory()) {
      ExpectSameTree(native, host, path, compared);
    } else {
      EXPECT_EQ(native.ReadAt(path, 0, 10).error().code, FsErrc::kNotRegular) << path;
    }
  }
}

class NativeExt4 : public ::testing::TestWithParam<std::string> {};

// mkfs options: default 4 KiB blocks; 1 KiB blocks; inline data (small files in the inode).
INSTANTIATE_TEST_SUITE_P(Layouts, NativeExt4,
                         ::testing::Values("", "-b 1024", "-O inline_data -I 256"));

TEST_P(NativeExt4, PartitionOfRawDiskReadsAsTheHostTree) {
  TempDir dir;
  MakeTree(dir);
  const std::string disk = dir / "disk.img";
  // GPT: a 1 MiB BIOS-boot-sized gap partition, then the root at 3 MiB.
  ASSERT_EQ(RunShell("set -e; truncate -s 40M " + ShellQuote(disk) +
                     "; printf 'label: gpt\\n"
                     "start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649\\n"
                     "start=6144, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root\\n' | "
                     "sfdisk -q " +
                     ShellQuote(disk) + "; mkfs.ext4 -q -F -L rootfs " + GetParam() +
                     " -E offset=3145728 -d " + ShellQuote(dir / "tree") + " " + ShellQuote(disk) +
                     " 30M"),
            0);
  const std::string before = Slurp(disk);
  struct stat st_before {};
  ASSERT_EQ(::stat(disk.c_str(), &st_before), 0);

  auto file = FileDevice::Open(disk);
  ASSERT_TRUE(file.has_value()) << file.error();
  auto table = ReadPartitionTable(**file);
  ASSERT_TRUE(table.has_value()) << table.error();
  ASSERT_EQ(table->scheme, "gpt");
  ASSERT_EQ(table->partitions.size(), 2u);
  const Partition& root = table->partitions[1];
  EXPECT_EQ(root.offset, 3145728u);
  auto part = std::make_shared<SliceDevice>(*file, root.offset, root.size, "/dev/sda2");
  auto sig = IdentifyFilesystem(*part);
  ASSERT_TRUE(sig.has_value());
  EXPECT_EQ(sig->type, "ext4");
  EXPECT_EQ(sig->label, "rootfs");

  auto ext4 = Ext4Fs::Open(part, "/dev/sda2 (ext4, native)");
  ASSERT_TRUE(ext4.has_value()) << ext4.error();
  auto host = DirectoryFs::Open(dir / "tree");
  ASSERT_TRUE(host.has_value());
  int compared = 0;
  ExpectSameTree(**ext4, **host, "/", &compared);
  EXPECT_GE(compared, 20);

  // Paths through a symlink or a file are the caller's bug: answered, never followed.
  EXPECT_EQ((*ext4)->Lstat("/home/alice/shadow/x").error().code, FsErrc::kNotDirectory);
  EXPECT_EQ((*ext4)->Lstat("/etc/os-release/x").error().code, FsErrc::kNotDirectory);
  EXPECT_EQ((*ext4)->Lstat("/nope").error().code, FsErrc::kNotFound);
  EXPECT_EQ((*ext4)->List("/etc/os-release").error().code, FsErrc::kNotDirectory);
  // Resolve keeps the absolute link inside the image: the guest's /etc/shadow, which is absent.
  EXPECT_EQ((*ext4)->Stat("/home/alice/shadow").error().code, FsErrc::kNotFound);

  ext4->reset();
  EXPECT_TRUE(Slurp(disk) == before) << "the image changed";
  struct stat st_after {};
  ASSERT_EQ(::stat(disk.c_str(), &st_after), 0);
  EXPECT_EQ(st_after.st_mtim.tv_sec, st_before.st_mtim.tv_sec);
}

TEST(NativeExt4Refusals, DirtyJournalJunkAndTruncation) {
  TempDir dir;
  MakeTree(dir);
  const std::string image = dir / "fs.ext4";
  ASSERT_EQ(
      RunShell("mkfs.ext4 -q -F -d " + ShellQuote(dir / "tree") + " " + ShellQuote(image) + " 16M"),
      0);
  const std::string dirty = dir / "dirty.ext4";
  ASSERT_EQ(RunShell("cp " + ShellQuote(image) + " " + ShellQuote(dirty) +
                     " && debugfs -w -R 'feature "
                     "needs_recovery' " +
                     ShellQuote(dirty) + " >/dev/null 2>&1"),
            0);
  auto open = [](const std::string& path) {
    auto device = FileDevice::Open(path);
    EXPECT_TRUE(device.has_value());
    return Ext4Fs::Open(*device, path);
  };
  // needs_recovery over an empty log (s_start 0): the kernel's recovery replays nothing and
  // mounts it; so does Open (tests/images/jbd2_replay_test.cc replays real logs).
  auto replayed = open(dirty);
  ASSERT_TRUE(replayed.has_value()) << replayed.error();
  ASSERT_TRUE((*replayed)->replayed_journal().has_value());
  EXPECT_EQ((*replayed)->replayed_journal()->transactions, 0u);
  EXPECT_EQ((*replayed)->ReadAt("/etc/ssh/sshd_config", 0, 100).value_or("?"),
            "PermitRootLogin no\nUsePAM yes\n");

  const std::string junk = dir / "junk";
  dir.WriteFile("junk", std::string(8192, 'j'));
  EXPECT_TRUE(open(junk).error().starts_with("not readable as ext2/3/4: ")) << open(junk).error();

  // Cut after the superblock: the group descriptors or inode tables lie past the end, and what
  // is missing is an error, never zeros.
  const std::string cut = dir / "cut.ext4";
  ASSERT_EQ(RunShell("head -c 1200000 " + ShellQuote(image) + " > " + ShellQuote(cut)), 0);
  auto truncated = open(cut);
  if (truncated.has_value()) {
    auto listing = (*truncated)->List("/etc/ssh");
    auto read = (*truncated)->ReadAt("/var/log/big.log", 0, 1 << 20);
    EXPECT_FALSE(listing.has_value() && read.has_value() && read->size() == 300000);
  } else {
    EXPECT_NE(truncated.error().find("not readable"), std::string::npos);
  }
}

TEST(NativeMountTree, MountPointsReadAsTheMountedRootAndSymlinkedPointsAreRefused) {
  TempDir dir;
  dir.WriteFile("root/etc/os-release", "ID=debian\n");
  dir.MakeDirs("root/home");
  dir.Symlink("root/boot", "/etc");
  dir.WriteFile("home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAA alice\n");
  auto make = [&](const std::string& tree) {
    const std::string image = dir / (tree + ".ext4");
    EXPECT_EQ(
        RunShell("mkfs.ext4 -q -F -d " + ShellQuote(dir / tree) + " " + ShellQuote(image) + " 8M"),
        0);
    // mke2fs -d leaves the root directory 0755 whatever the source's mode; set it by hand.
    EXPECT_EQ(
        RunShell("debugfs -w -R 'sif / mode 040751' " + ShellQuote(image) + " >/dev/null 2>&1"), 0);
    auto device = FileDevice::Open(image);
    return std::move(*Ext4Fs::Open(*device, tree));
  };
  MountTreeFs tree(make("root"), "/dev/sda1 (ext4, native)");
  EXPECT_EQ(tree.MountPointProblem("/boot"), "/boot is a symlink");
  EXPECT_EQ(tree.MountPointProblem("/srv"), "/srv does not exist in the root filesystem");
  ASSERT_EQ(tree.MountPointProblem("/home"), std::nullopt);
  tree.Mount("/home", make("home"));
  EXPECT_EQ(tree.ReadAt("/home/alice/.ssh/authorized_keys", 0, 100).value_or(""),
            "ssh-ed25519 AAAA alice\n");
  EXPECT_EQ(tree.Lstat("/home")->mode, 0751u);
  auto top = tree.List("/");
  ASSERT_TRUE(top.has_value());
  for (const auto& e : *top) {
    if (e.name == "home") {
      EXPECT_EQ(e.stat.mode, 0751u);
    }
  }
  EXPECT_EQ(tree.Lstat("/home/nobody").error().path, "/home/nobody");
}

// The raw bytes a converted image must read back as, for each of qemu's format drivers.
class NativeNbd : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

INSTANTIATE_TEST_SUITE_P(Formats, NativeNbd,
                         ::testing::Values(std::pair{"qcow2", "qcow2"},
                                           std::pair{"qcow2 -c", "qcow2"},
                                           std::pair{"vmdk -o subformat=streamOptimized", "vmdk"},
                                           std::pair{"vpc -o force_size=on", "vpc"},
                                           std::pair{"vhdx", "vhdx"}, std::pair{"vdi", "vdi"}));

int SocketDirs(const std::string& tmp) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(tmp)) {
    if (e.path().filename().string().starts_with("imageprobe-nbd.")) ++n;
  }
  return n;
}

TEST_P(NativeNbd, ReadsTheSameBytesAsTheRawImageAndLeavesNothingBehind) {
  TempDir dir;
  MakeTree(dir);
  const std::string raw = dir / "disk.raw";
  ASSERT_EQ(
      RunShell("mkfs.ext4 -q -F -d " + ShellQuote(dir / "tree") + " " + ShellQuote(raw) + " 12M"),
      0);
  const std::string image = dir / "disk.img";
  ASSERT_EQ(RunShell("qemu-img convert -q -f raw -O " + GetParam().first + " " + ShellQuote(raw) +
                     " " + ShellQuote(image)),
            0);
  const std::string before = Slurp(image);
  ::setenv("TMPDIR", dir.path().c_str(), 1);
  pid_t child = 0;
  {
    auto nbd = NbdDevice::Open(image, GetParam().second);
    ASSERT_TRUE(nbd.has_value()) << nbd.error();
    child = (*nbd)->child();
    EXPECT_EQ(SocketDirs(dir.path()), 0) << "the socket outlived the connection";
    const std::string want = Slurp(raw);
    ASSERT_GE((*nbd)->size(), want.size());
    auto got = (*nbd)->Read(0, want.size());
    ASSERT_TRUE(got.has_value()) << got.error();
    EXPECT_TRUE(*got == want) << "bytes differ from the raw image";
    EXPECT_FALSE((*nbd)->Read((*nbd)->size() - 10, 20).has_value());

    auto ext4 = Ext4Fs::Open(*nbd, "nbd");
    ASSERT_TRUE(ext4.has_value()) << ext4.error();
    EXPECT_EQ((*ext4)->ReadAt("/etc/os-release", 0, 100).value_or(""),
              "ID=debian\nVERSION_ID=12\n");
  }
  ::unsetenv("TMPDIR");
  EXPECT_NE(::kill(child, 0), 0) << "qemu-nbd still running";
  EXPECT_TRUE(Slurp(image) == before) << "the image changed";
}

TEST(NativeNbdFailures, JunkGivesQemuReasonInOneLine) {
  TempDir dir;
  dir.WriteFile("junk.qcow2", "QFI\xfb" + std::string(100, '\0'));
  auto nbd = NbdDevice::Open(dir / "junk.qcow2", "qcow2");
  ASSERT_FALSE(nbd.has_value());
  EXPECT_TRUE(nbd.error().starts_with("qemu-nbd could not serve the qcow2 image: ")) << nbd.error();
  EXPECT_EQ(nbd.error().find('\n'), std::string::npos);
}

TEST(NativeSignature, AgreesWithBlkid) {
  TempDir dir;
  struct Case {
    std::string name;
    std::string make;
  };
  std::vector<Case> cases = {
      {"ext4", "mkfs.ext4 -q -F -L data4 IMG 8M"},
      {"ext3", "mkfs.ext3 -q -F -L data3 IMG 8M"},
      {"ext2", "mkfs.ext2 -q -F -L data2 IMG 8M"},
      {"xfs", "truncate -s 320M IMG && mkfs.xfs -q -L xfsdata IMG"},
      {"swap", "truncate -s 8M IMG && mkswap -q -L swp IMG"},
  };
  for (const auto& c : cases) {
    const std::string image = dir / c.name;
    std::string make = c.make;
    for (size_t at; (at = make.find("IMG")) != std::string::npos;)
      make.replace(at, 3, ShellQuote(image));
    ASSERT_EQ(RunShell(make + " >/dev/null 2>&1"), 0) << make;
    auto device = FileDevice::Open(image);
    ASSERT_TRUE(device.has_value());
    auto sig = IdentifyFilesystem(**device);
    ASSERT_TRUE(sig.has_value());
    std::string blkid = ShellOutput("blkid -p -o export " + ShellQuote(image));
    EXPECT_NE(blkid.find("TYPE=" + sig->type + "\n"), std::string::npos) << c.name << "\n" << blkid;
    EXPECT_NE(blkid.find("\nUUID=" + sig->uuid + "\n"), std::string::npos) << c.name << "\n"
                                                                           << blkid;
    EXPECT_NE(blkid.find("LABEL=" + sig->label + "\n"), std::string::npos) << c.name << "\n"
                                                                           << blkid;
  }
}

}  // namespace
}  // namespace imageprobe::images::native
