// SPDX-License-Identifier: Apache-2.0
// AddExt4TreeFromFile (the native ext4 layer, copied into an index by SnapshotTree) against the
// kernel's view of the same tree: a host directory is made into an ext4 image by mkfs.ext4 -d,
// and every entry read back must have the type, mode, owner, size, symlink target and content
// lstat(2) and read(2) give for the host copy.
#include "images/guestfs/host_ext4_trees.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

namespace fs = std::filesystem;
using testing::RunShell;
using testing::ShellOutput;
using testing::ShellQuote;
using testing::Slurp;
using testing::TempDir;

// A home tree with what the probes read: keys with their modes, symlinks (fast and slow, one
// pointing at the host's /etc/shadow), a hard link, an empty file, a file over the content
// limit, a fifo, and names with a newline and an escape sequence.
void MakeHomes(const TempDir& dir) {
  dir.WriteFile("tree/etc/os-release", "ID=debian\n");
  dir.WriteFile("tree/home/alice/.ssh/authorized_keys", "ssh-ed25519 AAAAC3Nza alice@laptop\n");
  dir.WriteFile("tree/home/bob/.ssh/id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n");
  dir.WriteFile("tree/home/bob/.bash_history", "");
  dir.WriteFile("tree/home/bob/big.log", std::string(5000, 'x'));
  dir.WriteFile("tree/home/carol/name\nwith\x1b[2Jescape", "odd");
  dir.Symlink("tree/home/alice/shadow", "/etc/shadow");
  dir.Symlink("tree/home/alice/long", "../../" + std::string(100, 'a') + "/target");
  ASSERT_EQ(RunShell("set -e; cd " + ShellQuote(dir / "tree/home") +
                     "; chmod 700 alice/.ssh bob/.ssh; chmod 600 alice/.ssh/authorized_keys "
                     "bob/.ssh/id_ed25519; ln bob/.ssh/id_ed25519 bob/hardlink; mkfifo bob/fifo; "
                     "chmod 1777 carol; chown -R 1001:1002 bob"),
            0);
}

// Every entry under the host's `root`, compared with the index's `guest_root`. At a filesystem's
// root the index also has mkfs's lost+found, which the host tree has not, and the root's mtime is
// mkfs's.
void ExpectSameTree(const std::string& root, const ArchiveIndex& index,
                    const std::string& guest_root, uint64_t kept_limit, bool fs_root = false) {
  size_t compared = 0;
  std::vector<fs::path> paths = {root};
  for (const auto& e : fs::recursive_directory_iterator(root)) paths.push_back(e.path());
  for (const auto& host : paths) {
    std::string rel = host.string().substr(root.size());
    std::string guest = rel.empty() ? guest_root : guest_root + rel;
    SCOPED_TRACE(guest);
    struct stat st {};
    ASSERT_EQ(::lstat(host.c_str(), &st), 0);
    const auto* node = index.Find(guest);
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->stat.mode, st.st_mode & 07777);
    EXPECT_EQ(node->stat.uid, st.st_uid);
    EXPECT_EQ(node->stat.gid, st.st_gid);
    if (fs_root && rel.empty()) {
      // mkfs -d stamps the root directory it creates with its own clock, not the source's
      // mtime: a second can tick between making the tree and running mkfs.
      EXPECT_GE(node->stat.mtime, st.st_mtime);
      EXPECT_LE(node->stat.mtime, ::time(nullptr));
    } else {
      EXPECT_EQ(node->stat.mtime, st.st_mtime);
    }
    if (S_ISREG(st.st_mode)) {
      ASSERT_TRUE(node->stat.IsRegular());
      EXPECT_EQ(node->stat.size, static_cast<uint64_t>(st.st_size));
      if (static_cast<uint64_t>(st.st_size) <= kept_limit) {
        EXPECT_EQ(*index.Read(guest, 0, 1 << 20), Slurp(host));
      } else {
        EXPECT_FALSE(node->content_kept());
      }
    } else if (S_ISLNK(st.st_mode)) {
      ASSERT_TRUE(node->stat.IsSymlink());
      EXPECT_EQ(node->symlink_target, fs::read_symlink(host).string());
    } else if (S_ISDIR(st.st_mode)) {
      EXPECT_TRUE(node->stat.IsDirectory());
      EXPECT_EQ(node->children.size() - (fs_root && rel.empty() ? 1 : 0),
                static_cast<size_t>(
                    std::distance(fs::directory_iterator(host), fs::directory_iterator())));
    } else if (S_ISFIFO(st.st_mode)) {
      EXPECT_EQ(node->stat.type, FileType::kFifo);
    }
    ++compared;
  }
  EXPECT_EQ(compared, paths.size());
  EXPECT_GE(compared, 15u);
}

ArchiveLimits SmallContentLimit() {
  ArchiveLimits limits;
  limits.max_inline_file_bytes = 4096;  // big.log (5,000 bytes) keeps its metadata only
  return limits;
}

TEST(AddExt4TreeFromFile, ReadsWhatTheKernelWroteFromABareFilesystemImage) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give files other owners";
  TempDir dir;
  MakeHomes(dir);
  const std::string image = dir / "fs.ext4";
  ASSERT_EQ(
      RunShell("mkfs.ext4 -q -F -d " + ShellQuote(dir / "tree") + " " + ShellQuote(image) + " 16M"),
      0);
  std::string before = Slurp(image);
  struct stat image_before {};
  ASSERT_EQ(::stat(image.c_str(), &image_before), 0);

  ArchiveIndex index(SmallContentLimit());
  auto added = AddExt4TreeFromFile({image, 0}, "/home", "/home", index);
  ASSERT_TRUE(added) << added.error();
  ExpectSameTree(dir / "tree/home", index, "/home", 4096);
  EXPECT_EQ(index.Find("/etc"), nullptr);  // only the tree asked for

  // Read-only: the image is byte for byte and mtime for mtime what it was.
  struct stat image_after {};
  ASSERT_EQ(::stat(image.c_str(), &image_after), 0);
  EXPECT_EQ(image_after.st_mtim.tv_sec, image_before.st_mtim.tv_sec);
  EXPECT_EQ(image_after.st_mtim.tv_nsec, image_before.st_mtim.tv_nsec);
  EXPECT_TRUE(Slurp(image) == before);
}

TEST(AddExt4TreeFromFile, FilesystemAtAnOffsetPlacedUnderAnotherGuestPath) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give files other owners";
  TempDir dir;
  MakeHomes(dir);
  // A partitioned disk's second partition, mounted at /home: its root is the guest's /home.
  const std::string disk = dir / "disk.img";
  ASSERT_EQ(RunShell("set -e; truncate -s 40M " + ShellQuote(disk) +
                     "; mkfs.ext4 -q -F -E offset=17825792 -d " + ShellQuote(dir / "tree/home") +
                     " " + ShellQuote(disk) + " 16M"),
            0);
  ArchiveIndex index(SmallContentLimit());
  auto added = AddExt4TreeFromFile({disk, 17825792, 16 << 20}, "/", "/home", index);
  ASSERT_TRUE(added) << added.error();
  ExpectSameTree(dir / "tree/home", index, "/home", 4096, /*fs_root=*/true);
  EXPECT_NE(index.Find("/home/lost+found"), nullptr);  // mkfs made it; tar would show it too
  // Sizes as a tar stream of the same tree records them: none for a directory.
  EXPECT_EQ(index.Find("/home/alice")->stat.size, 0u);

  ArchiveIndex sub(SmallContentLimit());  // to the end of the file when no length is given
  ASSERT_TRUE(AddExt4TreeFromFile({disk, 17825792}, "/alice/.ssh", "/home/alice/.ssh", sub));
  EXPECT_EQ(*sub.Read("/home/alice/.ssh/authorized_keys", 0, 100),
            "ssh-ed25519 AAAAC3Nza alice@laptop\n");
  EXPECT_EQ(sub.Find("/home/bob"), nullptr);
}

TEST(AddExt4TreeFromFile, RefusalsAreOneLineReasons) {
  TempDir dir;
  dir.WriteFile("tree/home/u/.ssh/authorized_keys", "k\n");
  dir.WriteFile("tree/home/file", "f");
  dir.Symlink("tree/home/link", "/etc");
  for (int i = 0; i < 20; ++i) dir.WriteFile("tree/home/many/f" + std::to_string(i), "");
  const std::string image = dir / "fs.ext4";
  ASSERT_EQ(
      RunShell("mkfs.ext4 -q -F -d " + ShellQuote(dir / "tree") + " " + ShellQuote(image) + " 8M"),
      0);

  auto error = [](const RawFilesystemRange& source, std::string_view path,
                  ArchiveLimits limits = {}) {
    ArchiveIndex index(limits);
    auto added = AddExt4TreeFromFile(source, path, path, index);
    return added ? std::string("ok") : added.error();
  };
  EXPECT_EQ(error({image, 0}, "/home/u"), "ok");
  EXPECT_EQ(error({image, 0}, "/home/nobody"), "/home/nobody: not found");
  EXPECT_EQ(error({image, 0}, "/home/file"), "/home/file: not a directory");
  EXPECT_EQ(error({image, 0}, "/home/link"), "/home/link: not a directory");  // never followed
  ArchiveLimits few;
  few.max_entries = 10;
  EXPECT_EQ(error({image, 0}, "/home", few), "more than 10 entries");
  few.max_entries = 30;  // /home/many alone has 20: the listing itself stops
  EXPECT_EQ(error({image, 0}, "/home/many", few), "ok");
  few.max_entries = 15;
  EXPECT_EQ(error({image, 0}, "/home/many", few), "more than 15 entries");

  dir.WriteFile("junk.img", std::string(1 << 20, 'j'));
  EXPECT_EQ(error({dir / "junk.img", 0}, "/").rfind("not readable as ext2/3/4: ", 0), 0u);
  EXPECT_EQ(error({dir / "missing.img", 0}, "/").rfind("cannot open ", 0), 0u);
  EXPECT_EQ(error({image, 4096}, "/").rfind("not readable as ext2/3/4: ", 0), 0u);
  EXPECT_EQ(error({image, 4096, 8 << 20}, "/").rfind("the filesystem's range lies outside ", 0),
            0u);
  EXPECT_EQ(error({image, 9 << 20}, "/").rfind("the filesystem's range lies outside ", 0), 0u);

  // needs_recovery over an empty log: replayed (nothing to do) and read, as the kernel mounts it.
  const std::string flagged = dir / "flagged.ext4";
  ASSERT_EQ(RunShell("cp " + ShellQuote(image) + " " + ShellQuote(flagged) +
                     " && debugfs -w -R 'feature needs_recovery' " + ShellQuote(flagged) +
                     " >/dev/null 2>&1"),
            0);
  EXPECT_EQ(error({flagged, 0}, "/home/u"), "ok");
}

// A journal that needs recovery is replayed in memory, as the appliance's mount replays it: the
// tree shows what the journal logged, and the image file is left as it was.
TEST(AddExt4TreeFromFile, DirtyJournalIsReplayedAsTheMountWould) {
  TempDir dir;
  dir.WriteFile("tree/home/u/.ssh/authorized_keys", "k\n");
  const std::string image = dir / "dirty.ext4";
  // debugfs logs a new copy of the key's data block in the journal (jo/jw/jc) without
  // checkpointing it, and leaves needs_recovery set.
  ASSERT_EQ(RunShell("set -e; cd " + ShellQuote(dir.path()) + "; mkfs.ext4 -q -F -b 4096 -d tree " +
                     "dirty.ext4 8M; b=$(debugfs -R 'bmap /home/u/.ssh/authorized_keys 0' " +
                     "dirty.ext4 2>/dev/null); printf 'K\\n' >block; truncate -s 4096 block; " +
                     "printf 'jo\\njw -b %s block\\njc\\n' \"$b\" >cmds; " +
                     "debugfs -w -f cmds dirty.ext4 >/dev/null 2>&1; " +
                     "dumpe2fs -h dirty.ext4 2>/dev/null | grep -q needs_recovery"),
            0);
  EXPECT_EQ(ShellOutput("debugfs -R 'cat /home/u/.ssh/authorized_keys' " + ShellQuote(image) +
                        " 2>/dev/null"),
            "k\n");  // unreplayed, the file still holds the old key
  const std::string before = Slurp(image);

  ArchiveIndex index;
  auto added = AddExt4TreeFromFile({image, 0}, "/home", "/home", index);
  ASSERT_TRUE(added) << added.error();
  EXPECT_EQ(index.Read("/home/u/.ssh/authorized_keys", 0, 100).value_or("?"), "K\n");
  EXPECT_TRUE(Slurp(image) == before) << "the image changed";
}

}  // namespace
}  // namespace imageprobe::images
