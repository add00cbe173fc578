// SPDX-License-Identifier: Apache-2.0
// DirectoryFs: confinement to the root (no host symlink is ever followed), no read of anything
// but a regular file, bounded listings and reads.
#include "images/directory_fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "scanner/core/budgeted_filesystem.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

using testing::TempDir;

std::unique_ptr<DirectoryFs> OpenOrDie(const std::string& root, uint32_t max_entries = 1000) {
  auto fs = DirectoryFs::Open(root, max_entries);
  EXPECT_TRUE(fs) << fs.error().Message();
  return fs ? std::move(*fs) : nullptr;
}

TEST(DirectoryFs, AbsoluteSymlinkToShadowReadsTheFixturesFile) {
  TempDir dir;
  dir.WriteFile("etc/shadow", "fixture-shadow\n");
  dir.Symlink("home/a/evil", "/etc/shadow");
  auto fs = OpenOrDie(dir.path());
  auto data = fs->ReadFile("/home/a/evil", 1024);
  ASSERT_TRUE(data) << data.error().Message();
  EXPECT_EQ(*data, "fixture-shadow\n");
}

TEST(DirectoryFs, SymlinkToHostShadowIsNotFoundWhenTheRootHasNone) {
  ASSERT_EQ(::access("/etc/passwd", F_OK), 0);  // the host file the link aims at exists
  TempDir dir;
  dir.Symlink("home/a/evil", "/etc/shadow");
  dir.Symlink("home/a/evil2", "../../../../../../../../etc/passwd");
  auto fs = OpenOrDie(dir.path());
  EXPECT_EQ(fs->ReadFile("/home/a/evil", 1 << 20).error().code, FsErrc::kNotFound);
  EXPECT_EQ(fs->ReadFile("/home/a/evil2", 1 << 20).error().code, FsErrc::kNotFound);
  EXPECT_EQ(fs->Stat("/home/a/evil2").error().code, FsErrc::kNotFound);
}

TEST(DirectoryFs, SymlinkToProcSelfStaysInside) {
  TempDir dir;
  dir.Symlink("self", "/proc/self");
  dir.Symlink("env", "/proc/self/environ");
  auto fs = OpenOrDie(dir.path());
  EXPECT_EQ(fs->ReadFile("/self/environ", 1 << 20).error().code, FsErrc::kNotFound);
  EXPECT_EQ(fs->ReadFile("/env", 1 << 20).error().code, FsErrc::kNotFound);
  EXPECT_EQ(fs->ListDir("/self").error().code, FsErrc::kNotFound);
  // The fixture's own /proc/self, when it has one, is what is read.
  dir.WriteFile("proc/self/environ", "FIXTURE=1");
  EXPECT_EQ(*fs->ReadFile("/env", 1 << 20), "FIXTURE=1");
}

TEST(DirectoryFs, PrimitivesNeverFollowAHostSymlinkInAnyComponent) {
  TempDir dir;
  dir.Symlink("hostetc", "/etc");
  dir.Symlink("passwd", "/etc/passwd");
  auto fs = OpenOrDie(dir.path());
  EXPECT_EQ(fs->Lstat("/hostetc/passwd").error().code, FsErrc::kNotDirectory);
  EXPECT_EQ(fs->ReadAt("/hostetc/passwd", 0, 100).error().code, FsErrc::kNotDirectory);
  EXPECT_EQ(fs->List("/hostetc").error().code, FsErrc::kNotDirectory);
  EXPECT_EQ(fs->ReadAt("/passwd", 0, 100).error().code, FsErrc::kNotRegular);
  auto st = fs->Lstat("/passwd");
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->IsSymlink());
  EXPECT_EQ(*fs->ReadLink("/passwd"), "/etc/passwd");
}

TEST(DirectoryFs, DotDotComponentsAreRefused) {
  TempDir dir;
  dir.WriteFile("a/file", "x");
  auto fs = OpenOrDie(dir.path() + "/a");
  EXPECT_EQ(fs->Lstat("/..").error().code, FsErrc::kEscapesRoot);
  EXPECT_EQ(fs->ReadAt("/../a/file", 0, 10).error().code, FsErrc::kEscapesRoot);
  EXPECT_EQ(fs->List("/./..").error().code, FsErrc::kEscapesRoot);
  EXPECT_FALSE(fs->Lstat("relative"));
  EXPECT_EQ(*fs->ReadFile("/file", 10), "x");
}

TEST(DirectoryFs, SymlinkLoopsFail) {
  TempDir dir;
  dir.Symlink("a", "b");
  dir.Symlink("b", "/a");
  dir.Symlink("self", "self");
  dir.Symlink("deep", "deep/deep");
  auto fs = OpenOrDie(dir.path());
  EXPECT_EQ(fs->Resolve("/a").error().code, FsErrc::kSymlinkLoop);
  EXPECT_EQ(fs->ReadFile("/self", 10).error().code, FsErrc::kSymlinkLoop);
  EXPECT_EQ(fs->Resolve("/deep").error().code, FsErrc::kSymlinkLoop);
}

TEST(DirectoryFs, FifoIsNeverOpened) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  dir.Symlink("to_fifo", "/fifo");
  auto fs = OpenOrDie(dir.path());
  // A blocking open(O_RDONLY) of a fifo with no writer would hang this test (ctest TIMEOUT).
  EXPECT_EQ(fs->ReadFile("/fifo", 1024).error().code, FsErrc::kNotRegular);
  EXPECT_EQ(fs->ReadFile("/to_fifo", 1024).error().code, FsErrc::kNotRegular);
  auto raw = fs->ReadAt("/fifo", 0, 1024);
  ASSERT_FALSE(raw);
  EXPECT_EQ(raw.error().code, FsErrc::kNotRegular);
  EXPECT_EQ(raw.error().detail, "fifo");
  EXPECT_EQ(fs->Lstat("/fifo")->type, FileType::kFifo);
  // Proof that nobody holds it open for reading: a non-blocking writer finds no reader.
  int w = ::open((dir / "fifo").c_str(), O_WRONLY | O_NONBLOCK);
  EXPECT_EQ(w, -1);
  EXPECT_EQ(errno, ENXIO);
  if (w >= 0) ::close(w);
}

TEST(DirectoryFs, DeviceNodeIsNeverRead) {
  TempDir dir;
  if (::mknod((dir / "zero").c_str(), S_IFCHR | 0666, makedev(1, 5)) != 0) {
    GTEST_SKIP() << "mknod not permitted here";
  }
  auto fs = OpenOrDie(dir.path());
  auto r = fs->ReadAt("/zero", 0, 16);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, FsErrc::kNotRegular);
  EXPECT_EQ(fs->Lstat("/zero")->type, FileType::kCharDevice);
}

TEST(DirectoryFs, SparseTwoGiBFileIsRefusedWithoutReadingIt) {
  TempDir dir;
  {
    int fd = ::open((dir / "big").c_str(), O_CREAT | O_WRONLY, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, 2LL << 30), 0);
    ::close(fd);
  }
  auto fs = OpenOrDie(dir.path());
  BudgetedFilesystem counted(*fs, 1ull << 40, 1000, 40);
  auto r = counted.ReadFile("/big", 16 << 20);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, FsErrc::kTooLarge);
  EXPECT_EQ(counted.bytes_read(), 0u);
  EXPECT_EQ(fs->Lstat("/big")->size, 2ull << 30);
  // Bounded reads still work anywhere in it.
  EXPECT_EQ(*fs->ReadAt("/big", (2ull << 30) - 4, 100), std::string(4, '\0'));
}

TEST(DirectoryFs, ReadAtHonoursOffsetAndLength) {
  TempDir dir;
  dir.WriteFile("f", "0123456789");
  auto fs = OpenOrDie(dir.path());
  EXPECT_EQ(*fs->ReadAt("/f", 2, 3), "234");
  EXPECT_EQ(*fs->ReadAt("/f", 8, 100), "89");
  EXPECT_EQ(*fs->ReadAt("/f", 100, 10), "");
  EXPECT_EQ(*fs->ReadAt("/f", UINT64_MAX - 1, 10), "");
  EXPECT_EQ(fs->ReadAt("/", 0, 10).error().code, FsErrc::kNotRegular);
  EXPECT_EQ(fs->ReadAt("/missing", 0, 10).error().code, FsErrc::kNotFound);
  EXPECT_EQ(fs->ReadAt("/f/x", 0, 10).error().code, FsErrc::kNotDirectory);
}

TEST(DirectoryFs, ListIsSortedWithLstatInfo) {
  TempDir dir;
  dir.WriteFile("d/zeta", "zz");
  dir.WriteFile("d/alpha", "a");
  dir.MakeDirs("d/mid");
  dir.Symlink("d/link", "/nowhere");
  ASSERT_EQ(::chmod((dir / "d/alpha").c_str(), 04750), 0);
  auto fs = OpenOrDie(dir.path());
  auto entries = fs->List("/d");
  ASSERT_TRUE(entries) << entries.error().Message();
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].name, "alpha");
  EXPECT_EQ((*entries)[0].stat.mode, 04750u);
  EXPECT_EQ((*entries)[0].stat.size, 1u);
  EXPECT_EQ((*entries)[1].name, "link");
  EXPECT_TRUE((*entries)[1].stat.IsSymlink());
  EXPECT_EQ((*entries)[2].name, "mid");
  EXPECT_TRUE((*entries)[2].stat.IsDirectory());
  EXPECT_EQ((*entries)[3].name, "zeta");
  auto root = fs->List("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->size(), 1u);
  EXPECT_TRUE(fs->Lstat("/")->IsDirectory());
}

TEST(DirectoryFs, ListStopsAtTheEntryCap) {
  TempDir dir;
  for (int i = 0; i < 6; ++i) dir.WriteFile("d/f" + std::to_string(i), "");
  auto capped = OpenOrDie(dir.path(), 5);
  auto r = capped->List("/d");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, FsErrc::kLimit);
  auto enough = OpenOrDie(dir.path(), 6);
  EXPECT_EQ(enough->List("/d")->size(), 6u);
}

TEST(DirectoryFs, OpenFailsForMissingOrNonDirectoryRoot) {
  TempDir dir;
  dir.WriteFile("file", "x");
  EXPECT_EQ(DirectoryFs::Open(dir / "missing").error().code, FsErrc::kNotFound);
  EXPECT_EQ(DirectoryFs::Open(dir / "file").error().code, FsErrc::kNotDirectory);
  EXPECT_EQ(OpenOrDie(dir.path())->Describe(), "directory " + dir.path());
}

}  // namespace
}  // namespace imageprobe::images
