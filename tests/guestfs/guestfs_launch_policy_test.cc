// SPDX-License-Identifier: Apache-2.0
// The launch policy on this host, with an empty KVM-failure cache: either KVM brings the
// appliance up, or the watchdog/launch failure leads to one TCG retry that is announced,
// recorded as the backend, and remembered in the cache. Runs before the other guestfs tests
// (ctest fixture), which then find the cache filled and go straight to TCG.
//
// It also exercises GuestfsFs primitives on the bare ext4 image: symlinks stay symlinks,
// listings are sorted lstat results, reads are bounded.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>

#include "images/guestfs_image.h"
#include "images/kvm_failure_cache.h"

namespace imageprobe::images {
namespace {

const std::string kImages = IMAGEPROBE_GUESTFS_IMAGES;

TEST(GuestfsLaunchPolicy, FallsBackToTcgOnceAndRemembersIt) {
  if (std::getenv("LIBGUESTFS_BACKEND_SETTINGS") != nullptr) {
    GTEST_SKIP() << "LIBGUESTFS_BACKEND_SETTINGS is set: the policy defers to it";
  }
  auto cache = KvmFailureCachePath();
  ASSERT_TRUE(cache.has_value());
  std::filesystem::remove(*cache);

  auto progress = std::make_shared<std::vector<std::string>>();
  OpenOptions options;
  options.progress = [progress](std::string_view msg) { progress->emplace_back(msg); };
  Detection detection{Format::kExtFs, "ext4", "", "raw"};
  auto image = OpenGuestfsImage(kImages + "/bare.ext4", detection,
                                ImageInfo{kImages + "/bare.ext4", "ext4", "", 0, ""}, options);
  const std::string backend = image->info().backend;
  for (const auto& p : *progress) std::cout << "progress: " << p << "\n";
  std::cout << "backend: " << backend << ", launch "
            << image->timings().front().seconds << " s\n";
  if (backend == "guestfs (tcg)") {
    bool announced = std::any_of(progress->begin(), progress->end(), [](const std::string& p) {
      return p.find("retrying with TCG (software emulation)") != std::string::npos;
    });
    EXPECT_TRUE(announced);
    EXPECT_TRUE(std::filesystem::exists(*cache)) << "KVM failure not remembered";
  } else {
    EXPECT_EQ(backend, "guestfs (kvm)");
    EXPECT_FALSE(std::filesystem::exists(*cache));
  }

  ASSERT_EQ(image->roots().size(), 1u);
  EXPECT_EQ(image->roots()[0].name, "/dev/sda");
  auto mounted = image->Mount(0, {});
  ASSERT_TRUE(mounted.has_value()) << mounted.error();
  const Filesystem& fs = *mounted->fs;

  auto link = fs.Lstat("/etc/os-release");
  ASSERT_TRUE(link.has_value());
  EXPECT_TRUE(link->IsSymlink());
  EXPECT_EQ(fs.ReadLink("/etc/os-release").value_or(""), "../usr/lib/os-release");
  EXPECT_EQ(fs.ReadAt("/etc/os-release", 0, 10).error().code, FsErrc::kNotRegular);
  EXPECT_EQ(fs.Resolve("/bin/true-fixture").value_or(""), "/usr/bin/true-fixture");
  auto release = fs.ReadFile("/etc/os-release", 1 << 16);
  ASSERT_TRUE(release.has_value());
  EXPECT_NE(release->find("ID=debian"), std::string::npos);
  EXPECT_EQ(fs.ReadAt("/usr/lib/os-release", 13, 6).value_or(""), "Debian");
  EXPECT_EQ(fs.ReadFile("/usr/lib/os-release", 10).error().code, FsErrc::kTooLarge);

  auto etc = fs.List("/etc");
  ASSERT_TRUE(etc.has_value());
  std::vector<std::string> names;
  for (const auto& e : *etc) names.push_back(e.name);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "hostname"), names.end());
  EXPECT_EQ(fs.Lstat("/nonexistent").error().code, FsErrc::kNotFound);
  EXPECT_EQ(fs.List("/etc/passwd").error().code, FsErrc::kNotDirectory);

  // Prefetched and remote answers agree.
  auto remote = fs.Lstat("/home/alice/.ssh/authorized_keys");
  ASSERT_TRUE(remote.has_value());
  mounted = image->Mount(0, std::vector<std::string>{"/home/*/.ssh"});
  ASSERT_TRUE(mounted.has_value());
  auto local = mounted->fs->Lstat("/home/alice/.ssh/authorized_keys");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->mode, remote->mode);
  EXPECT_EQ(local->uid, remote->uid);
  EXPECT_EQ(local->size, remote->size);
  EXPECT_EQ(local->mtime, remote->mtime);
  EXPECT_EQ(mounted->fs->ReadFile("/home/alice/.ssh/authorized_keys", 4096).value_or("").size(),
            remote->size);
  EXPECT_EQ(mounted->fs->Lstat("/home/alice/.ssh/missing").error().code, FsErrc::kNotFound);
}

}  // namespace
}  // namespace imageprobe::images
