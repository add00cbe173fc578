// SPDX-License-Identifier: Apache-2.0
#include "images/directory_image.h"

#include <gtest/gtest.h>

#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

using testing::TempDir;

TEST(DirectoryImage, DirectoryWithoutEtcOpensWithOneRoot) {
  TempDir dir;
  dir.WriteFile("srv/data.txt", "hello");
  auto image = OpenDirectoryImage(dir.path());
  EXPECT_EQ(image->info().path, dir.path());
  EXPECT_EQ(image->info().format, "directory");
  EXPECT_EQ(image->info().backend, "directory");
  EXPECT_EQ(image->info().size, 0u);
  ASSERT_EQ(image->roots().size(), 1u);
  EXPECT_EQ(image->roots()[0].name, "/");
  auto mounted = image->Mount(0, {});
  ASSERT_TRUE(mounted) << mounted.error();
  EXPECT_EQ(*mounted->fs->ReadFile("/srv/data.txt", 100), "hello");
  EXPECT_EQ(mounted->fs->Stat("/etc").error().code, FsErrc::kNotFound);
  EXPECT_FALSE(image->Mount(1, {}));
  EXPECT_TRUE(image->diagnostics().empty());
}

TEST(DirectoryImage, ErrorsAreOneLineStartingWithThePath) {
  TempDir dir;
  dir.WriteFile("file", "x");
  for (const std::string& path : {dir / "missing", dir / "file"}) {
    try {
      OpenDirectoryImage(path);
      ADD_FAILURE() << "opened " << path;
    } catch (const ImageError& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  }
}

}  // namespace
}  // namespace imageprobe::images
