// SPDX-License-Identifier: Apache-2.0
// DetectPath on real files made at test time: a GPT disk with random data in it, converted by
// qemu-img to every format, each also cut in half with `truncate`; bare filesystems made with
// mkfs; tars made with tar(1); and every kind of bad input.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>

#include "images/format.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

using testing::RunShell;
using testing::SharedFixtureDir;
using testing::TempDir;

class DetectPathTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // 32 MiB GPT disk, 8 MiB of random data from 2 MiB on: every converted format then has
    // allocated data all the way through, so a file cut in half loses referenced data.
    std::string script =
        "set -e\n"
        "truncate -s 32M raw.img\n"
        "printf 'label: gpt\\n,16M\\n,\\n' | sfdisk -q raw.img\n"
        "dd if=/dev/urandom of=raw.img bs=1M seek=2 count=8 conv=notrunc status=none\n"
        "truncate -s 32M mbr.img\n"
        "printf 'label: dos\\n,16M,83\\n' | sfdisk -q mbr.img\n"
        "qemu-img convert -O qcow2 raw.img disk.qcow2\n"
        "qemu-img convert -O vmdk -o subformat=monolithicSparse raw.img sparse.vmdk\n"
        "qemu-img convert -O vmdk -o subformat=streamOptimized raw.img stream.vmdk\n"
        "qemu-img convert -O vmdk -o subformat=twoGbMaxExtentSparse raw.img split.vmdk\n"
        "qemu-img convert -O vmdk -o subformat=monolithicFlat raw.img flat.vmdk\n"
        "qemu-img convert -O vpc raw.img dynamic.vhd\n"
        "qemu-img convert -O vpc -o subformat=fixed raw.img fixed.vhd\n"
        "qemu-img convert -O vhdx raw.img disk.vhdx\n"
        "qemu-img convert -O vdi raw.img disk.vdi\n"
        "for f in raw.img disk.qcow2 sparse.vmdk stream.vmdk dynamic.vhd disk.vhdx disk.vdi; do\n"
        "  cp $f half-$f; truncate -s $(( $(stat -c %s $f) / 2 )) half-$f; done\n"
        "mkdir -p tree/etc tree/root; echo 'ID=debian' > tree/etc/os-release\n"
        "truncate -s 16M ext4.img; mkfs.ext4 -q -F -d tree ext4.img\n"
        "cp ext4.img half-ext4.img; truncate -s 8M half-ext4.img\n"
        "truncate -s 300M xfs.img; mkfs.xfs -q -f xfs.img\n"
        "tar -C tree -cf root.tar . ; tar -C tree -czf root.tar.gz . ; tar -C tree -cJf "
        "root.tar.xz .\n"
        "tar -C tree -c --zstd -f root.tar.zst . ; tar -C tree -cjf root.tar.bz2 .\n"
        "cp root.tar half-root.tar; truncate -s 1536 half-root.tar\n"
        "printf '<?xml version=\"1.0\"?><Envelope/>' > vm.ovf; cp stream.vmdk vm-disk1.vmdk\n"
        "tar -cf vm.ova vm.ovf vm-disk1.vmdk\n"
        ": > empty.img\n"
        "head -c 1048576 /dev/urandom > random.bin\n"
        "printf '\\177ELF\\2\\1\\1\\0junkjunk' > program.bin\n";
    fixture_ = SharedFixtureDir("formats", script);
    ASSERT_FALSE(fixture_.empty());
  }

  // A file of the shared fixture, or of this test's scratch directory ("scratch/…").
  static std::string PathOf(std::string_view name) {
    if (name.starts_with("/")) return std::string(name);
    return fixture_ + "/" + std::string(name);
  }

  static Detection Ok(std::string_view name) {
    auto d = DetectPath(PathOf(name));
    EXPECT_TRUE(d) << name << ": " << d.error();
    return d ? *d : Detection{};
  }
  static std::string Err(std::string_view name) {
    auto d = DetectPath(PathOf(name));
    EXPECT_FALSE(d) << name << " detected as " << d->name;
    if (d) return "";
    EXPECT_EQ(d.error().find('\n'), std::string::npos) << d.error();
    return d.error();
  }

  static std::string fixture_;
  TempDir scratch_;  // for inputs a test makes or changes
};
std::string DetectPathTest::fixture_;

TEST_F(DetectPathTest, EveryQemuFormat) {
  struct Case {
    const char* file;
    Format format;
    const char* name;
    const char* qemu;
  } cases[] = {
      {"raw.img", Format::kRawDisk, "raw", "raw"},
      {"mbr.img", Format::kRawDisk, "raw", "raw"},
      {"disk.qcow2", Format::kQcow2, "qcow2", "qcow2"},
      {"sparse.vmdk", Format::kVmdkSparse, "vmdk-sparse", "vmdk"},
      {"stream.vmdk", Format::kVmdkStreamOptimized, "vmdk-stream-optimized", "vmdk"},
      {"split.vmdk", Format::kVmdkDescriptor, "vmdk-descriptor", "vmdk"},
      {"flat.vmdk", Format::kVmdkDescriptor, "vmdk-descriptor", "vmdk"},
      {"dynamic.vhd", Format::kVhdDynamic, "vhd-dynamic", "vpc"},
      {"fixed.vhd", Format::kVhdFixed, "vhd-fixed", "vpc"},
      {"disk.vhdx", Format::kVhdx, "vhdx", "vhdx"},
      {"disk.vdi", Format::kVdi, "vdi", "vdi"},
      {"ext4.img", Format::kExtFs, "ext4", "raw"},
      {"xfs.img", Format::kXfsFs, "xfs", "raw"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    Detection d = Ok(c.file);
    EXPECT_EQ(d.format, c.format);
    EXPECT_EQ(d.name, c.name);
    EXPECT_EQ(d.qemu_format, c.qemu);
    EXPECT_EQ(d.backend, Backend::kGuestfs);
  }
  EXPECT_EQ(Ok("raw.img").detail, "GPT partition table");
  EXPECT_EQ(Ok("mbr.img").detail, "MBR partition table");
  EXPECT_EQ(Ok("split.vmdk").detail, "twoGbMaxExtentSparse");
}

TEST_F(DetectPathTest, TruncatedContainersFailWithAReason) {
  for (const char* file :
       {"half-raw.img", "half-disk.qcow2", "half-sparse.vmdk", "half-stream.vmdk",
        "half-dynamic.vhd", "half-disk.vhdx", "half-disk.vdi", "half-ext4.img"}) {
    SCOPED_TRACE(file);
    std::string err = Err(file);
    EXPECT_EQ(err.rfind("truncated", 0), 0u) << err;
  }
  EXPECT_NE(Err("half-stream.vmdk").find("VMDK"), std::string::npos);
  EXPECT_NE(Err("half-dynamic.vhd").find("trailing footer"), std::string::npos);
  EXPECT_NE(Err("half-disk.qcow2").find("qcow2"), std::string::npos);
  EXPECT_NE(Err("half-sparse.vmdk").find("VMDK grain"), std::string::npos);
}

TEST_F(DetectPathTest, Qcow2WhoseL1TableLiesPastTheEnd) {
  std::string script = "set -e; cd '" + scratch_.path() +
                       "'; qemu-img create -q -f qcow2 l1.qcow2 1G;"
                       // l1_table_offset (bytes 40..47, big-endian) := 1 TiB
                       "printf '\\000\\000\\001\\000\\000\\000\\000\\000' | "
                       "dd of=l1.qcow2 bs=1 seek=40 conv=notrunc status=none";
  ASSERT_EQ(RunShell(script), 0);
  std::string err = Err(scratch_ / "l1.qcow2");
  EXPECT_NE(err.find("truncated: qcow2 L1 table"), std::string::npos) << err;
}

TEST_F(DetectPathTest, Qcow2BackingFileIsRefused) {
  std::string script = "set -e; cd '" + scratch_.path() +
                       "'; qemu-img create -q -f qcow2 -b /etc/shadow -F raw overlay.qcow2 1M";
  ASSERT_EQ(RunShell(script), 0);
  EXPECT_NE(Err(scratch_ / "overlay.qcow2").find("backing file \"/etc/shadow\""),
            std::string::npos);
}

TEST_F(DetectPathTest, VmdkDescriptorExtentsMustBeInItsDirectory) {
  const std::string& f = fixture_;
  ASSERT_EQ(RunShell("set -e; cd '" + scratch_.path() + "'; mkdir desc; cp '" + f +
                     "/split-s001.vmdk' .; cp '" + f +
                     "/split.vmdk' desc/missing.vmdk;"
                     "sed 's|\"split-s001.vmdk\"|\"../split-s001.vmdk\"|' desc/missing.vmdk"
                     " > desc/escape.vmdk;"
                     "sed 's|\"split-s001.vmdk\"|\"link.vmdk\"|' desc/missing.vmdk"
                     " > desc/link.vmdk.desc;"
                     "ln -s ../split-s001.vmdk desc/link.vmdk"),
            0);
  std::string err = Err(scratch_ / "desc/missing.vmdk");
  EXPECT_NE(err.find("extent \"split-s001.vmdk\" (line 8) is missing"), std::string::npos) << err;
  EXPECT_NE(Err(scratch_ / "desc/escape.vmdk").find("outside the descriptor's directory"),
            std::string::npos);
  EXPECT_NE(Err(scratch_ / "desc/link.vmdk.desc").find("is a symlink"), std::string::npos);
  // Extents that are there but cut short.
  ASSERT_EQ(RunShell("set -e; cd '" + scratch_.path() +
                     "'; mkdir cut; cd cut; for x in "
                     "split.vmdk flat.vmdk split-s001.vmdk flat-flat.vmdk; do cp '" +
                     f +
                     "'/$x .; done;"
                     "truncate -s $(( $(stat -c %s split-s001.vmdk) / 2 )) split-s001.vmdk;"
                     "truncate -s 1M flat-flat.vmdk"),
            0);
  err = Err(scratch_ / "cut/split.vmdk");
  EXPECT_NE(err.find("extent \"split-s001.vmdk\" (line 8): truncated: VMDK grain"),
            std::string::npos)
      << err;
  err = Err(scratch_ / "cut/flat.vmdk");
  EXPECT_NE(err.find("extent \"flat-flat.vmdk\" (line 8) is truncated"), std::string::npos) << err;
}

TEST_F(DetectPathTest, TarFamilyAndOva) {
  struct Case {
    const char* file;
    const char* name;
    const char* detail;
  } cases[] = {
      {"root.tar", "tar", "uncompressed"},
      {"root.tar.gz", "tar.gzip", "gzip-compressed"},
      {"root.tar.xz", "tar.xz", "xz-compressed"},
      {"root.tar.zst", "tar.zstd", "zstd-compressed"},
      {"root.tar.bz2", "tar.bzip2", "bzip2-compressed"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    Detection d = Ok(c.file);
    EXPECT_EQ(d.format, Format::kTar);
    EXPECT_EQ(d.name, c.name);
    EXPECT_EQ(d.detail, c.detail);
    EXPECT_EQ(d.backend, Backend::kArchive);
  }
  Detection ova = Ok("vm.ova");
  EXPECT_EQ(ova.format, Format::kOva);
  EXPECT_EQ(ova.name, "ova");
  EXPECT_NE(Err("half-root.tar").find("tar"), std::string::npos);
}

TEST_F(DetectPathTest, BadInputsGiveOneLineReasons) {
  EXPECT_EQ(Err("does-not-exist"), "no such file or directory");
  EXPECT_EQ(Err("empty.img"), "empty file (0 bytes)");
  EXPECT_EQ(Err("random.bin").rfind("unrecognised content: starts with ", 0), 0u);
  EXPECT_NE(Err("program.bin").find("ELF executable?"), std::string::npos);
  ASSERT_EQ(::mkfifo((scratch_ / "pipe").c_str(), 0644), 0);
  EXPECT_EQ(Err(scratch_ / "pipe"), "not a regular file, directory or block device");
  Detection dir = Ok("tree");
  EXPECT_EQ(dir.format, Format::kDirectory);
  EXPECT_EQ(dir.backend, Backend::kDirectory);
}

// Root reads everything, so the EACCES case runs in a child that drops to nobody.
TEST_F(DetectPathTest, UnreadableFileIsPermissionDenied) {
  std::string path = scratch_ / "secret.img";
  ASSERT_EQ(RunShell("cp '" + PathOf("raw.img") + "' '" + path + "' && chmod 600 '" + path +
                     "' && chmod o+x '" + scratch_.path() + "'"),
            0);
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(pipe_fds[0]);
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) _exit(3);
    auto d = DetectPath(path);
    std::string msg = d ? "detected" : d.error();
    (void)!::write(pipe_fds[1], msg.data(), msg.size());
    _exit(0);
  }
  ::close(pipe_fds[1]);
  char buf[256];
  ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 3) GTEST_SKIP() << "cannot drop privileges here";
  EXPECT_EQ(std::string(buf, n > 0 ? n : 0), "permission denied");
}

}  // namespace
}  // namespace imageprobe::images
