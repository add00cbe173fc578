// SPDX-License-Identifier: Apache-2.0
// The shared resolver: every backend's confinement to the image root rests on it.
#include "scanner/core/filesystem.h"

#include <gtest/gtest.h>

#include "tests/support/memory_fs.h"

namespace imageprobe {
namespace {

using testing::MemoryFs;

TEST(Resolve, AbsoluteSymlinkIsReRootedInTheImage) {
  MemoryFs fs;
  fs.File("/etc/shadow", "guest-shadow");
  fs.Symlink("/home/a/evil", "/etc/shadow");
  auto data = fs.ReadFile("/home/a/evil", 1024);
  ASSERT_TRUE(data) << data.error().Message();
  EXPECT_EQ(*data, "guest-shadow");  // the guest's file, not the host's
}

TEST(Resolve, LinkToHostOnlyPathIsNotFound) {
  MemoryFs fs;
  fs.Symlink("/home/a/proc", "/proc/self/environ");
  auto data = fs.ReadFile("/home/a/proc", 1024);
  ASSERT_FALSE(data);
  EXPECT_EQ(data.error().code, FsErrc::kNotFound);
}

TEST(Resolve, DotDotStopsAtRoot) {
  MemoryFs fs;
  fs.File("/etc/passwd", "p");
  fs.Symlink("/a/b/up", "../../../../../../etc/passwd");
  EXPECT_EQ(*fs.Resolve("/a/b/up"), "/etc/passwd");
}

TEST(Resolve, RelativeSymlinkInTheMiddle) {
  MemoryFs fs;
  fs.File("/usr/lib/os-release", "ID=x");
  fs.Symlink("/etc/os-release", "../usr/lib/os-release");
  fs.Symlink("/lib", "usr/lib");
  EXPECT_EQ(*fs.Resolve("/etc/os-release"), "/usr/lib/os-release");
  EXPECT_EQ(*fs.Resolve("/lib/os-release"), "/usr/lib/os-release");
}

TEST(Resolve, LoopsFailWithSymlinkLoop) {
  MemoryFs fs;
  fs.Symlink("/a", "/b");
  fs.Symlink("/b", "/a");
  auto r = fs.Resolve("/a");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, FsErrc::kSymlinkLoop);
  fs.Symlink("/self", ".");
  fs.Symlink("/deep", "deep/deep");
  EXPECT_EQ(fs.Resolve("/deep").error().code, FsErrc::kSymlinkLoop);
}

TEST(Resolve, ParentMayResolveMissingLeaf) {
  MemoryFs fs;
  fs.Dir("/real");
  fs.Symlink("/link", "/real");
  EXPECT_EQ(*fs.ResolveParent("/link/missing"), "/real/missing");
  EXPECT_FALSE(fs.Resolve("/link/missing"));
}

TEST(ReadFile, RefusesDevicesAndOversizeFiles) {
  MemoryFs fs;
  fs.Special("/dev/zero", FileType::kCharDevice);
  fs.File("/big", std::string(100, 'x'));
  EXPECT_EQ(fs.ReadFile("/dev/zero", 10).error().code, FsErrc::kNotRegular);
  auto big = fs.ReadFile("/big", 99);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, FsErrc::kTooLarge);
  EXPECT_EQ(fs.ReadFile("/big", 100)->size(), 100u);
  EXPECT_EQ(*fs.ReadHead("/big", 3), "xxx");
}

TEST(ReadFile, ComponentThatIsAFileIsNotADirectory) {
  MemoryFs fs;
  fs.File("/etc/passwd", "p");
  EXPECT_EQ(fs.ReadFile("/etc/passwd/x", 10).error().code, FsErrc::kNotDirectory);
}

TEST(FsError, MessageNamesPathAndReason) {
  FsError e{FsErrc::kTooLarge, "/x", "5 bytes > limit 4"};
  EXPECT_EQ(e.Message(), "/x: too large (5 bytes > limit 4)");
}

}  // namespace
}  // namespace imageprobe
