// SPDX-License-Identifier: Apache-2.0
// The pure parts of GuestfsFs's prefetch, without an appliance: the homes /etc/passwd names,
// tar's exclude names, and which prefetched tree answers a path.
#include <gtest/gtest.h>

#include "images/guestfs/passwd_homes.h"
#include "images/guestfs/prefetched_trees.h"
#include "images/guestfs/tar_stream.h"

namespace imageprobe::images {
namespace {

using Paths = std::vector<std::string>;

TEST(HomesFromPasswd, TheAccountsTheProbesSeeEachHomeOnce) {
  const std::string passwd =
      "root:x:0:0:root:/root:/bin/bash\r\n"
      "# a comment the probes skip:/home/comment\n"
      "alice:x:1000:1000::/home//alice/:/bin/sh\n"
      "bob:x:1001:1001::/home/alice:/bin/sh\n"  // a shared home
      "svc:x:999:999::relative/home:/usr/sbin/nologin\n"
      "broken line without fields\n"
      "dave:x:1002:1002::/srv/../srv/dave:/bin/sh\n"
      "\n";
  EXPECT_EQ(HomesFromPasswd(passwd), (Paths{"/home/alice", "/root", "/srv/dave"}));
  EXPECT_EQ(HomesFromPasswd(""), Paths{});
}

TEST(TarExclude, LiteralMemberNamesWithWildcardsEscaped) {
  EXPECT_EQ(TarExclude("home/alice"), "./home/alice");
  EXPECT_EQ(TarExclude("odd [x]*?.txt"), "./odd \\[x]\\*\\?.txt");
  EXPECT_EQ(TarExclude("back\\slash"), "./back\\\\slash");
}

TEST(PrefetchedTrees, TheLongestCoveredPrefixAnswers) {
  PrefetchedTrees trees;
  EXPECT_EQ(trees.Covering("/etc/ssh"), nullptr);
  auto home = std::make_shared<ArchiveIndex>();
  auto shared = std::make_shared<ArchiveIndex>();
  trees.Cover("/home", home);
  trees.Cover("/etc/ssh", shared);
  trees.Cover("/root/.ssh", shared);
  trees.Cover("/home", shared);  // already covered: the first index stays
  EXPECT_EQ(trees.Covering("/home"), home.get());
  EXPECT_EQ(trees.Covering("/home/alice/.ssh/authorized_keys"), home.get());
  EXPECT_EQ(trees.Covering("/etc/ssh/sshd_config"), shared.get());
  EXPECT_EQ(trees.Covering("/root/.ssh"), shared.get());
  EXPECT_EQ(trees.Covering("/homework"), nullptr);  // a prefix of the name, not of the path
  EXPECT_EQ(trees.Covering("/etc"), nullptr);
  EXPECT_EQ(trees.Covering("/"), nullptr);
  EXPECT_EQ(trees.prefixes(), (Paths{"/etc/ssh", "/home", "/root/.ssh"}));
}

}  // namespace
}  // namespace imageprobe::images
