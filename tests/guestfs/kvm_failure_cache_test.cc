// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/kvm_failure_cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace imageprobe::images {
namespace {

const KvmHostKey kKey{"6.1.0-27-amd64", "/usr/bin/qemu-system-x86_64", 1700000000};

TEST(KvmFailureRecord, RoundTripsAndMatchesOnlyItsOwnKey) {
  std::string record = FormatKvmFailureRecord(kKey, "KVM did not start\tthe appliance\n");
  EXPECT_TRUE(KvmFailureRecordMatches(record, kKey));
  EXPECT_EQ(std::count(record.begin(), record.end(), '\n'), 1);
  KvmHostKey other_kernel = kKey;
  other_kernel.kernel_release = "6.1.0-28-amd64";
  EXPECT_FALSE(KvmFailureRecordMatches(record, other_kernel));
  KvmHostKey upgraded_qemu = kKey;
  upgraded_qemu.qemu_mtime += 1;
  EXPECT_FALSE(KvmFailureRecordMatches(record, upgraded_qemu));
}

TEST(KvmFailureRecord, MalformedRecordsNeverMatch) {
  EXPECT_FALSE(KvmFailureRecordMatches("", kKey));
  EXPECT_FALSE(KvmFailureRecordMatches("kvm-failed", kKey));
  EXPECT_FALSE(KvmFailureRecordMatches(std::string("kvm-failed\t6.1.0-27-amd64\0x", 24), kKey));
  EXPECT_FALSE(KvmFailureRecordMatches("\xff\xfe\t\t\t\t", kKey));
  KvmHostKey empty;
  EXPECT_FALSE(KvmFailureRecordMatches(FormatKvmFailureRecord(empty, "x"), empty));
}

TEST(KvmFailureCache, RememberedUnderXdgCacheHomeAndReadBack) {
  auto dir =
      std::filesystem::temp_directory_path() / ("kvm-cache-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  ASSERT_EQ(setenv("XDG_CACHE_HOME", dir.c_str(), 1), 0);
  EXPECT_EQ(KvmFailureCachePath(), (dir / "imageprobe/kvm-failure").string());
  EXPECT_FALSE(KvmKnownToFail(kKey));
  RememberKvmFailure(kKey, "hung");
  EXPECT_TRUE(KvmKnownToFail(kKey));
  KvmHostKey other = kKey;
  other.qemu_path = "/opt/qemu";
  EXPECT_FALSE(KvmKnownToFail(other));
  std::filesystem::remove_all(dir);
}

TEST(KvmHostKey, DescribesThisHost) {
  KvmHostKey key = CurrentKvmHostKey("/proc/self/exe");
  EXPECT_FALSE(key.kernel_release.empty());
  EXPECT_GT(key.qemu_mtime, 0);
  EXPECT_EQ(CurrentKvmHostKey("/nonexistent/qemu").qemu_mtime, 0);
}

}  // namespace
}  // namespace imageprobe::images
