// SPDX-License-Identifier: Apache-2.0
// OpenImage end to end over the backends of this library, and its one-line errors.
#include "images/open.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

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
  EXPECT_EQ(archive->info().format, "tar.zst");
  EXPECT_EQ(archive->timings().size(), 2u);  // detect, index
  EXPECT_EQ(*archive->Mount(0, {})->fs->ReadFile("/etc/hostname", 100), "web2\n");
}

// Everything here fails before the libguestfs backend is reached, so no appliance starts:
// those paths are covered by the guestfs-labelled tests.
TEST(OpenImage, OvaWithABadDiskMemberFailsAndCleansUp) {
  TempDir dir;
  ASSERT_EQ(RunShell("set -e; cd '" + dir.path() +
                     "'; mkdir tmp; truncate -s 8M raw.img;"
                     "dd if=/dev/urandom of=raw.img bs=64K seek=4 count=32 conv=notrunc "
                     "status=none;"
                     "qemu-img convert -O vmdk -o subformat=streamOptimized raw.img disk1.vmdk;"
                     "truncate -s $(( $(stat -c %s disk1.vmdk) / 2 )) disk1.vmdk;"
                     "printf '<Envelope><References><File ovf:href=\"disk1.vmdk\"/></References>"
                     "</Envelope>' > vm.ovf; tar -cf vm.ova vm.ovf disk1.vmdk;"
                     "printf '<Envelope/>' > vm.ovf; echo 'not a disk' > disk2.img;"
                     "tar -cf text.ova vm.ovf disk2.img"),
            0);
  const char* old = ::getenv("TMPDIR");
  std::string saved = old ? old : "";
  ::setenv("TMPDIR", (dir / "tmp").c_str(), 1);
  std::string err = OpenError(dir / "vm.ova");
  EXPECT_EQ(err.rfind("OVA member \"disk1.vmdk\": truncated: VMDK grain", 0), 0u) << err;
  err = OpenError(dir / "text.ova");
  EXPECT_EQ(err.rfind("OVA member \"disk2.img\": unrecognised content", 0), 0u) << err;
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  // The extracted members went away with the failed opens.
  EXPECT_TRUE(std::filesystem::is_empty(dir / "tmp"));
}

TEST(OpenImage, DiskThatWouldMakeQemuOpenAnotherFileIsRefused) {
  TempDir dir;
  ASSERT_EQ(RunShell("set -e; cd '" + dir.path() +
                     "'; qemu-img create -q -f qcow2 -b /etc/shadow -F raw overlay.qcow2 16M"),
            0);
  EXPECT_EQ(OpenError(dir / "overlay.qcow2"),
            "qcow2 overlay with backing file \"/etc/shadow\": backing chains are not supported");
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

// Read-only is sacred: opening, mounting and reading every backend of this library leaves the
// input's bytes, mtime and atime as they were, and writes nothing next to it.
TEST(OpenImage, InputsAreLeftExactlyAsTheyWere) {
  TempDir dir;
  dir.WriteFile("in/root/etc/hostname", "web3\n");
  TarBuilder().File("etc/hostname", "web4\n").WriteTo(dir / "in/root.tar.gz", "gzip");
  ASSERT_EQ(RunShell("set -e; cd '" + dir.path() +
                     "/in'; truncate -s 4M raw.img; printf 'label: gpt\\n,\\n' | sfdisk -q "
                     "raw.img; qemu-img convert -O vmdk -o subformat=streamOptimized raw.img "
                     "d.vmdk; rm raw.img; truncate -s $(( $(stat -c %s d.vmdk) / 2 )) d.vmdk; "
                     "printf '<Envelope/>' > vm.ovf; tar -cf vm.ova vm.ovf "
                     "d.vmdk; rm vm.ovf d.vmdk; mkdir ../tmp;"
                     // Old, distinct timestamps, so any update would show.
                     "touch -a -d '2001-01-01' root.tar.gz vm.ova root/etc/hostname;"
                     "touch -m -d '2002-02-02' root.tar.gz vm.ova root/etc/hostname;"
                     "cp -a . ../before"),
            0);
  auto snapshot = [&](const std::string& tree) {
    std::string out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(tree)) {
      struct stat st;
      ::lstat(e.path().c_str(), &st);
      out += e.path().lexically_relative(tree).string() + " " + std::to_string(st.st_size) + " m" +
             std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) +
             (S_ISREG(st.st_mode) ? " a" + std::to_string(st.st_atim.tv_sec) : "") + "\n";
    }
    return out;
  };
  std::string before = snapshot(dir / "in");
  const char* old = ::getenv("TMPDIR");
  std::string saved = old ? old : "";
  ::setenv("TMPDIR", (dir / "tmp").c_str(), 1);
  for (const char* input : {"root", "root.tar.gz"}) {
    auto image = OpenImage(dir / ("in/" + std::string(input)), {});
    auto mounted = image->Mount(0, {});
    ASSERT_TRUE(mounted);
    EXPECT_TRUE(mounted->fs->ReadFile("/etc/hostname", 100));
  }
  // The member is cut short: extracted, detected as truncated, removed; no appliance starts.
  EXPECT_NE(OpenError(dir / "in/vm.ova").find("truncated"), std::string::npos);
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  EXPECT_EQ(snapshot(dir / "in"), before);
  EXPECT_EQ(RunShell("cmp -s '" + (dir / "in/vm.ova") + "' '" + (dir / "before/vm.ova") +
                     "' && cmp -s '" + (dir / "in/root.tar.gz") + "' '" +
                     (dir / "before/root.tar.gz") + "'"),
            0);
}

}  // namespace
}  // namespace imageprobe::images
