// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/guest_path.h"

#include <gtest/gtest.h>

namespace imageprobe {
namespace {

TEST(GuestPath, NormalizeCollapsesDotsAndSlashes) {
  EXPECT_EQ(NormalizeGuestPath("/a//b/./c/../d/"), "/a/b/d");
  EXPECT_EQ(NormalizeGuestPath(""), "/");
  EXPECT_EQ(NormalizeGuestPath("relative/x"), "/relative/x");
}

TEST(GuestPath, DotDotNeverClimbsAboveRoot) {
  EXPECT_EQ(NormalizeGuestPath("/../../etc/shadow"), "/etc/shadow");
  EXPECT_EQ(JoinGuestPath("/home/a", "../../../../etc"), "/etc");
}

TEST(GuestPath, JoinWithAbsoluteReplaces) {
  EXPECT_EQ(JoinGuestPath("/home/a", "/etc/x"), "/etc/x");
  EXPECT_EQ(JoinGuestPath("/home/a", ".ssh/authorized_keys"), "/home/a/.ssh/authorized_keys");
}

TEST(GuestPath, DirnameBasename) {
  EXPECT_EQ(GuestDirname("/a/b"), "/a");
  EXPECT_EQ(GuestDirname("/a"), "/");
  EXPECT_EQ(GuestBasename("/a/b"), "b");
  EXPECT_EQ(GuestBasename("/"), "");
}

TEST(GuestPath, WithinIsComponentWise) {
  EXPECT_TRUE(GuestPathWithin("/etc/ssh", "/etc"));
  EXPECT_TRUE(GuestPathWithin("/etc", "/etc"));
  EXPECT_FALSE(GuestPathWithin("/etcx", "/etc"));
  EXPECT_TRUE(GuestPathWithin("/x", "/"));
}

TEST(GuestPath, GlobDoesNotCrossSlash) {
  EXPECT_TRUE(GuestGlobMatch("/home/*/.ssh", "/home/alice/.ssh"));
  EXPECT_FALSE(GuestGlobMatch("/home/*/.ssh", "/home/a/b/.ssh"));
}

}  // namespace
}  // namespace imageprobe
