// SPDX-License-Identifier: Apache-2.0
// StrictModes on real files: the test builds a root tree in the build directory with real
// chmod/chown, reads it back through a Filesystem, and checks that each broken mode or owner is
// named by path. Ownership changes need root; without it the owner cases are skipped.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "images/directory_fs.h"
#include "probes/ssh/authorized_keys_probe.h"
#include "tests/probes/ssh/test_keys.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes::ssh {
namespace {

namespace fs = std::filesystem;

class StrictModesRealTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(IMAGEPROBE_TEST_FIXTURES_DIR) / "strict_modes_real_tree" /
            std::to_string(::getpid());
    fs::remove_all(root_);
    Write("etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\nalice:x:4242:4242::/home/alice:/bin/bash\n", 0644);
    Write("etc/group", "root:x:0:\nalice:x:4242:\n", 0644);
    fs::create_directories(root_ / "root");
    ::chmod((root_ / "root").c_str(), 0700);
    fs::create_directories(root_ / "home/alice/.ssh");
    Write("home/alice/.ssh/authorized_keys",
          "ssh-ed25519 " + std::string(test_keys::kEdABlob) + " alice\n", 0600);
    ::chmod(root_.c_str(), 0755);
    ::chmod((root_ / "home").c_str(), 0755);
    ::chmod((root_ / "etc").c_str(), 0755);
    ::chmod((root_ / "home/alice").c_str(), 0755);
    ::chmod((root_ / "home/alice/.ssh").c_str(), 0700);
    can_chown_ = ::geteuid() == 0;
    if (can_chown_) {
      for (const char* p : {"home/alice", "home/alice/.ssh", "home/alice/.ssh/authorized_keys"}) {
        ASSERT_EQ(::chown((root_ / p).c_str(), 4242, 4242), 0);
      }
    }
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text, mode_t mode) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
    ::chmod((root_ / rel).c_str(), mode);
  }

  std::vector<std::string> StrictModesEvidence() {
    auto tree = images::DirectoryFs::Open(root_.string());
    if (!tree) throw std::runtime_error(tree.error().Message());
    auto run = testing::RunProbe(AuthorizedKeysProbe(), **tree);
    std::vector<std::string> out;
    for (const auto* f : run.Findings("ssh.authorized_keys.strict_modes"))
      out.push_back(f->evidence);
    return out;
  }

  fs::path root_;
  bool can_chown_ = false;
};

TEST_F(StrictModesRealTree, HealthyTreePasses) {
  if (!can_chown_) GTEST_SKIP() << "needs root to chown the fixture to the user";
  EXPECT_TRUE(StrictModesEvidence().empty());
}

TEST_F(StrictModesRealTree, GroupWritableSshDir) {
  if (!can_chown_) GTEST_SKIP() << "needs root to chown the fixture to the user";
  ::chmod((root_ / "home/alice/.ssh").c_str(), 0770);
  EXPECT_EQ(StrictModesEvidence(),
            std::vector<std::string>{"/home/alice/.ssh: mode 0770 is group-writable"});
}

TEST_F(StrictModesRealTree, WorldWritableHome) {
  if (!can_chown_) GTEST_SKIP() << "needs root to chown the fixture to the user";
  ::chmod((root_ / "home/alice").c_str(), 0757);
  EXPECT_EQ(StrictModesEvidence(),
            std::vector<std::string>{"/home/alice: mode 0757 is world-writable"});
}

TEST_F(StrictModesRealTree, FileOwnedBySomeoneElse) {
  if (!can_chown_) GTEST_SKIP() << "needs root to chown the fixture";
  ASSERT_EQ(::chown((root_ / "home/alice/.ssh/authorized_keys").c_str(), 4343, 4343), 0);
  EXPECT_EQ(StrictModesEvidence(),
            std::vector<std::string>{"/home/alice/.ssh/authorized_keys: owned by uid 4343, "
                                     "neither root nor the user (uid 4242)"});
}

TEST_F(StrictModesRealTree, WritableKeysFileWithoutRoot) {
  // Mode checks alone work for any user: the file is group-writable.
  ::chmod((root_ / "home/alice/.ssh/authorized_keys").c_str(), 0620);
  auto evidence = StrictModesEvidence();
  ASSERT_FALSE(evidence.empty());
  if (can_chown_) {
    EXPECT_EQ(evidence[0], "/home/alice/.ssh/authorized_keys: mode 0620 is group-writable");
  }
}

}  // namespace
}  // namespace imageprobe::probes::ssh
