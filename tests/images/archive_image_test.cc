// SPDX-License-Identifier: Apache-2.0
#include "images/archive_image.h"

#include <gtest/gtest.h>

#include "tests/images/tar_builder.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

using testing::TarBuilder;
using testing::TempDir;

TEST(ArchiveImage, OpensATarGzRootTree) {
  TempDir dir;
  std::string path = dir / "root.tar.gz";
  TarBuilder()
      .File("./etc/os-release", "ID=debian\n")
      .Symlink("./home/u/shadow", "/etc/shadow")
      .File("../../etc/shadow", "guest")
      .WriteTo(path, "gzip");
  auto detection = DetectPath(path);
  ASSERT_TRUE(detection) << detection.error();
  auto image = OpenArchiveImage(path, *detection);
  EXPECT_EQ(image->info().backend, "archive");
  EXPECT_EQ(image->info().format, "tar.gzip");
  EXPECT_EQ(image->info().format_detail, "gzip-compressed");
  EXPECT_GT(image->info().size, 0u);
  ASSERT_EQ(image->roots().size(), 1u);
  auto mounted = image->Mount(0, {});
  ASSERT_TRUE(mounted) << mounted.error();
  EXPECT_TRUE(mounted->diagnostics.empty());
  EXPECT_EQ(*mounted->fs->ReadFile("/home/u/shadow", 100), "guest");
  EXPECT_FALSE(image->Mount(1, {}));
}

TEST(ArchiveImage, UnplaceableMembersMakeTheRootPartial) {
  TempDir dir;
  std::string path = dir / "root.tar";
  TarBuilder().File("a", "x").File("a/b", "y").WriteTo(path);
  auto image = OpenArchiveImage(path, *DetectPath(path));
  auto mounted = image->Mount(0, {});
  ASSERT_TRUE(mounted);
  ASSERT_EQ(mounted->diagnostics.size(), 1u);
  EXPECT_NE(mounted->diagnostics[0].message.find("/a/b"), std::string::npos);
}

TEST(ArchiveImage, TruncatedArchiveIsAOneLineImageError) {
  TempDir dir;
  std::string path = dir / "cut.tar.xz";
  std::string bytes = TarBuilder().File("a", std::string(100000, 'q')).Bytes("xz");
  TarBuilder().WriteTo(path, "");  // placeholder, overwritten below
  {
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size() / 2, f);
    std::fclose(f);
  }
  Detection detection{Format::kTar, "tar.xz", "xz-compressed", "", Backend::kArchive};
  try {
    OpenArchiveImage(path, detection);
    ADD_FAILURE() << "opened a truncated archive";
  } catch (const ImageError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind(path + ": corrupt or truncated archive: ", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace imageprobe::images
