// SPDX-License-Identifier: Apache-2.0
#include "probes/expect/path_presence_probe.h"

#include <gtest/gtest.h>

#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

TEST(PathPresenceProbe, RecordsEachPathPresentOrAbsent) {
  testing::MemoryFs fs;
  fs.File("/etc/ssh/sshd_config", "Port 22\n", {.mode = 0600});
  fs.Symlink("/root/.bash_history", "/dev/null");  // a dangling link still is a leftover name
  fs.Symlink("/var/run", "/run");
  fs.File("/run/lock/x", "");
  PathPresenceProbe probe({"/etc/ssh/sshd_config", "/root/.bash_history", "/var/run/lock/x",
                           "/home/packer", "/etc/ssh/sshd_config/below-a-file",
                           "/etc//ssh/./sshd_config"});
  auto result = testing::RunProbe(probe, fs);
  EXPECT_TRUE(result.errors().empty());

  const Fact* config = result.FindFact("fs/path", "/etc/ssh/sshd_config");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->data["present"], true);
  EXPECT_EQ(config->data["type"], "file");
  EXPECT_EQ(config->data["mode"], "0600");

  const Fact* history = result.FindFact("fs/path", "/root/.bash_history");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->data["present"], true);
  EXPECT_EQ(history->data["type"], "symlink");
  EXPECT_EQ(history->data["target"], "/dev/null");

  const Fact* through_link = result.FindFact("fs/path", "/var/run/lock/x");
  ASSERT_TRUE(through_link);
  EXPECT_EQ(through_link->data["present"], true);

  for (std::string_view absent : {"/home/packer", "/etc/ssh/sshd_config/below-a-file"}) {
    const Fact* fact = result.FindFact("fs/path", absent);
    ASSERT_TRUE(fact) << absent;
    EXPECT_EQ(fact->data["present"], false) << absent;
    EXPECT_FALSE(fact->data.contains("error")) << absent;
  }
  EXPECT_EQ(result.Facts("fs/path").size(), 5u);  // the un-normalised duplicate is the same path
}

}  // namespace
}  // namespace imageprobe::probes
