// SPDX-License-Identifier: Apache-2.0
// OpenImage end to end over the backends of this library, and its one-line errors.
#include "images/open.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "tests/images/tar_builder.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

using testing::RunShell;
using testing::TarBuilder;
using testing::TempDir;

std::string OpenError(const std::string& path) {
  try {
    OpenImage(path, {});
  } catch (const ImageError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    return msg.substr(path.size() + 2);
  }
  ADD_FAILURE() << "opened " << path;
  return "";
}

TEST(OpenImage, DirectoryAndArchiveBackends) {
  TempDir dir;
  dir.WriteFile("root/etc/hostname", "web1\n");
  auto image = OpenImage(dir / "root", {});
  EXPECT_EQ(image->info().backend, "directory");
  ASSERT_FALSE(image->timings().empty());
  EXPECT_EQ(image->timings()[0].stage, "detect");
  EXPECT_EQ(*image->Mount(0, {})->fs->ReadFile("/etc/hostname", 100), "web1\n");

  TarBuilder().File("etc/hostname", "web2\n").WriteTo(dir / "root.tar.zst", "zstd");
  auto archive = OpenImage(dir / "root.tar.zst", {});
  EXPECT_EQ(archive->info().backend, "archive");
  EXPECT_EQ(archive->info().format, "tar.zstd");
  EXPECT_EQ(archive->timings().size(), 2u);  // detect, index
  EXPECT_EQ(*archive->Mount(0, {})->fs->ReadFile("/etc/hostname", 100), "web2\n");
}

TEST(OpenImage, DiskFormatsNeedTheGuestfsBackendHere) {
  TempDir dir;
  ASSERT_EQ(RunShell("set -e; cd '" + dir.path() +
                     "'; qemu-img create -q -f qcow2 disk.qcow2 16M; mkdir tmp;"
                     "truncate -s 8M raw.img; printf 'label: gpt\\n,\\n' | sfdisk -q raw.img;"
                     "qemu-img convert -O vmdk -o subformat=streamOptimized raw.img disk1.vmdk;"
                     "printf '<Envelope><References><File ovf:href=\"disk1.vmdk\"/></References>"
                     "</Envelope>' > vm.ovf; tar -cf vm.ova vm.ovf disk1.vmdk"),
            0);
  EXPECT_EQ(OpenError(dir / "disk.qcow2"),
            "qcow2 images need the libguestfs backend (images/guestfs_image.cc)");
  const char* old = ::getenv("TMPDIR");
  std::string saved = old ? old : "";
  ::setenv("TMPDIR", (dir / "tmp").c_str(), 1);
  EXPECT_EQ(OpenError(dir / "vm.ova"),
            "vmdk-stream-optimized images need the libguestfs backend (images/guestfs_image.cc)");
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  // The extracted member went away with the failed open.
  EXPECT_TRUE(std::filesystem::is_empty(dir / "tmp"));
}

TEST(OpenImage, BadInputsAreOneLineErrorsNamingThePath) {
  TempDir dir;
  ASSERT_EQ(RunShell("set -e; cd '" + dir.path() +
                     "'; : > empty.img; head -c 65536 /dev/urandom > random.bin;"
                     "qemu-img create -q -f qcow2 big.qcow2 1G;"
                     "dd if=/dev/urandom of=raw bs=1M count=4 status=none;"
                     "qemu-img convert -O qcow2 raw full.qcow2;"
                     "truncate -s $(( $(stat -c %s full.qcow2) / 2 )) full.qcow2;"
                     "mkdir noetc; echo x > noetc/file"),
            0);
  EXPECT_EQ(OpenError(dir / "missing"), "no such file or directory");
  EXPECT_EQ(OpenError(dir / "empty.img"), "empty file (0 bytes)");
  EXPECT_EQ(OpenError(dir / "random.bin").rfind("unrecognised content: starts with ", 0), 0u);
  EXPECT_EQ(OpenError(dir / "full.qcow2").rfind("truncated: qcow2", 0), 0u);
  TarBuilder()
      .File("../../etc/passwd", "root:x:0:0::/root:/bin/sh\n")
      .File("/abs", "a")
      .WriteTo(dir / "hostile.tar");
  auto hostile = OpenImage(dir / "hostile.tar", {});
  auto fs = std::move(hostile->Mount(0, {})->fs);
  EXPECT_EQ(*fs->ReadFile("/etc/passwd", 100), "root:x:0:0::/root:/bin/sh\n");
  EXPECT_EQ(*fs->ReadFile("/abs", 100), "a");
  auto noetc = OpenImage(dir / "noetc", {});
  EXPECT_EQ(noetc->roots().size(), 1u);
}

}  // namespace
}  // namespace imageprobe::images
