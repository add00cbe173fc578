// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/bulk_homes.h"

#include <gtest/gtest.h>

namespace imageprobe::images {
namespace {

using Paths = std::vector<std::string>;

Paths Homes(const std::string& parent, int count) {
  Paths out;
  for (int i = 0; i < count; ++i) out.push_back(parent + "/user" + std::to_string(i));
  return out;
}

TEST(CrowdedHomeParents, KeepsDirectoriesHoldingEnoughHomes) {
  Paths homes = Homes("/home", 20);
  Paths few = Homes("/srv/homes", 3);
  homes.insert(homes.end(), few.begin(), few.end());
  homes.push_back("/root");
  homes.push_back("/var/lib/nobody");
  EXPECT_EQ(CrowdedHomeParents(homes, 16), Paths{"/home"});
  EXPECT_EQ(CrowdedHomeParents(homes, 3), (Paths{"/home", "/srv/homes"}));
  EXPECT_EQ(CrowdedHomeParents(homes, 21), Paths{});
}

TEST(CrowdedHomeParents, CountsEachHomeOnceAndNeverTheRoot) {
  Paths homes(40, "/home/same");  // passwd lines sharing one home
  EXPECT_EQ(CrowdedHomeParents(homes, 2), Paths{});
  Paths root_children = Homes("", 30);  // "/user0"…: their parent is "/"
  root_children.push_back("/");
  EXPECT_EQ(CrowdedHomeParents(root_children, 2), Paths{});
}

TEST(CrowdedHomeParents, SkipsParentsInsideAnotherOrInsideAHome) {
  Paths homes = Homes("/home", 5);
  Paths nested = Homes("/home/user0/sub", 5);
  homes.insert(homes.end(), nested.begin(), nested.end());
  // /home/user0/sub is inside /home (listed) and inside the home /home/user0.
  EXPECT_EQ(CrowdedHomeParents(homes, 5), Paths{"/home"});
  Paths only_nested = Homes("/home/user0/sub", 5);
  only_nested.push_back("/home/user0");
  EXPECT_EQ(CrowdedHomeParents(only_nested, 5), Paths{});
}

TEST(GlobLiteralPrefix, StopsAtTheFirstComponentWithAGlobCharacter) {
  EXPECT_EQ(GlobLiteralPrefix("/home/*/.ssh"), "/home");
  EXPECT_EQ(GlobLiteralPrefix("/home/u/.*_history"), "/home/u");
  EXPECT_EQ(GlobLiteralPrefix("/etc/ssh"), "/etc/ssh");
  EXPECT_EQ(GlobLiteralPrefix("/a/b?c/d"), "/a");
  EXPECT_EQ(GlobLiteralPrefix("/a/[xy]/d"), "/a");
  EXPECT_EQ(GlobLiteralPrefix("/a/b\\*/d"), "/a");
  EXPECT_EQ(GlobLiteralPrefix("*"), "/");
  EXPECT_EQ(GlobLiteralPrefix(""), "/");
  EXPECT_EQ(GlobLiteralPrefix("//home//*"), "/home");
}

}  // namespace
}  // namespace imageprobe::images
