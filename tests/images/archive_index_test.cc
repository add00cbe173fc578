// SPDX-License-Identifier: Apache-2.0
// ArchiveIndex and ArchiveFs on tars built at test time (hostile names included).
#include "images/archive_index.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

#include "images/archive_fs.h"
#include "tests/images/tar_builder.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

using testing::TarBuilder;
using testing::TempDir;

std::shared_ptr<const ArchiveIndex> Index(const TarBuilder& tar, std::string_view mount = "/",
                                          ArchiveIndex::Limits limits = {}) {
  auto index = ArchiveIndex::FromMemory(tar.Bytes(), mount, limits);
  EXPECT_TRUE(index) << index.error();
  return std::make_shared<const ArchiveIndex>(index ? std::move(*index) : ArchiveIndex());
}

TEST(ArchiveIndex, MemberNamesNeverLeaveTheRoot) {
  auto index = Index(TarBuilder()
                         .File("./etc/passwd", "p")
                         .File("/etc/hostname", "h")
                         .File("../../etc/shadow", "s")
                         .File("a/../../../b", "b")
                         .File("x/./y//z", "z"));
  ArchiveFs fs(index, "t");
  EXPECT_EQ(*fs.ReadFile("/etc/passwd", 10), "p");
  EXPECT_EQ(*fs.ReadFile("/etc/hostname", 10), "h");
  EXPECT_EQ(*fs.ReadFile("/etc/shadow", 10), "s");
  EXPECT_EQ(*fs.ReadFile("/b", 10), "b");
  EXPECT_EQ(*fs.ReadFile("/x/y/z", 10), "z");
  auto root = fs.List("/");
  ASSERT_TRUE(root);
  std::vector<std::string> names;
  for (const auto& e : *root) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"b", "etc", "x"}));
}

TEST(ArchiveIndex, MountPrefixClampsDotDotAtTheMountPoint) {
  auto index = Index(TarBuilder()
                         .Dir("./", 0750)
                         .File("./ssh/sshd_config", "Port 22\n")
                         .File("../../passwd", "escaped?"),
                     "/etc");
  ArchiveFs fs(index, "t");
  EXPECT_EQ(*fs.ReadFile("/etc/ssh/sshd_config", 100), "Port 22\n");
  EXPECT_EQ(*fs.ReadFile("/etc/passwd", 100), "escaped?");
  EXPECT_EQ(fs.Lstat("/etc")->mode, 0750u);  // "./" is the mount point itself
  EXPECT_TRUE(fs.Lstat("/")->IsDirectory());
  EXPECT_FALSE(fs.Exists("/passwd"));
}

TEST(ArchiveIndex, SeveralTarsInOneIndex) {
  auto index = ArchiveIndex::FromMemory(TarBuilder().File("passwd", "root").Bytes(), "/etc");
  ASSERT_TRUE(index);
  ASSERT_TRUE(
      index->AddFromMemory(TarBuilder().File(".ssh/authorized_keys", "k").Bytes(), "/root"));
  ASSERT_TRUE(index->AddFromMemory(TarBuilder().File("passwd", "newer").Bytes(), "/etc"));
  ArchiveFs fs(std::make_shared<const ArchiveIndex>(std::move(*index)), "t");
  EXPECT_EQ(*fs.ReadFile("/etc/passwd", 100), "newer");
  EXPECT_EQ(*fs.ReadFile("/root/.ssh/authorized_keys", 100), "k");
}

TEST(ArchiveIndex, DuplicatesLastWinsLikeExtraction) {
  auto index = Index(TarBuilder()
                         .File("etc/motd", "first")
                         .File("etc/motd", "second", 0600)
                         .Dir("d")
                         .File("d/inner", "i")
                         .File("d", "now a file")
                         .Dir("etc", 0700));
  ArchiveFs fs(index, "t");
  EXPECT_EQ(*fs.ReadFile("/etc/motd", 100), "second");
  EXPECT_EQ(fs.Lstat("/etc/motd")->mode, 0600u);
  EXPECT_EQ(*fs.ReadFile("/d", 100), "now a file");
  EXPECT_FALSE(fs.Exists("/d/inner"));
  EXPECT_EQ(fs.Lstat("/etc")->mode, 0700u);  // a repeated directory keeps its children
  EXPECT_TRUE(fs.Exists("/etc/motd"));
}

TEST(ArchiveIndex, MissingParentsAreSynthesised) {
  auto index = Index(TarBuilder().File("deep/a/b/c", "c", 0640, 1000));
  ArchiveFs fs(index, "t");
  auto st = fs.Lstat("/deep/a");
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->IsDirectory());
  EXPECT_EQ(st->mode, 0755u);
  EXPECT_EQ(st->uid, 0u);
  EXPECT_EQ(fs.Lstat("/deep/a/b/c")->uid, 1000u);
  EXPECT_EQ(fs.List("/deep/a/b")->size(), 1u);
}

TEST(ArchiveIndex, HardLinksAndSymlinks) {
  auto index = Index(TarBuilder()
                         .File("etc/shadow", "guest-shadow")
                         .HardLink("etc/shadow-", "etc/shadow")
                         .HardLink("bad", "nowhere")
                         .Symlink("home/a/evil", "/etc/shadow")
                         .Symlink("home/a/proc", "/proc/self/environ")
                         .Symlink("loop1", "loop2")
                         .Symlink("loop2", "/loop1")
                         .File("etc/shadow", "replaced later"));
  ArchiveFs fs(index, "t");
  EXPECT_EQ(*fs.ReadFile("/etc/shadow-", 100), "guest-shadow");  // content at link time
  EXPECT_EQ(*fs.ReadFile("/home/a/evil", 100), "replaced later");
  EXPECT_EQ(*fs.ReadLink("/home/a/evil"), "/etc/shadow");
  EXPECT_EQ(fs.ReadFile("/home/a/proc", 100).error().code, FsErrc::kNotFound);
  EXPECT_EQ(fs.Resolve("/loop1").error().code, FsErrc::kSymlinkLoop);
  EXPECT_FALSE(fs.Exists("/bad"));
  ASSERT_EQ(index->problems().size(), 1u);
  EXPECT_NE(index->problems()[0].find("/bad: hard link to missing /nowhere"), std::string::npos);
}

TEST(ArchiveIndex, MemberUnderAFileOrSymlinkIsSkipped) {
  auto index = Index(TarBuilder()
                         .File("a", "file")
                         .File("a/b", "under a file")
                         .Symlink("lib", "usr/lib")
                         .File("lib/x", "under a symlink"));
  ArchiveFs fs(index, "t");
  EXPECT_EQ(*fs.ReadFile("/a", 10), "file");
  EXPECT_EQ(index->problems().size(), 2u);
  EXPECT_FALSE(fs.Exists("/usr/lib/x"));
}

TEST(ArchiveIndex, LargeFilesAreReadLazilyAndBounded) {
  std::string big(200'000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  ArchiveIndex::Limits limits{.max_inline_file_bytes = 1000, .max_inline_total_bytes = 1500};
  auto index = Index(TarBuilder()
                         .File("small1", std::string(800, 's'))
                         .File("big", big)
                         .File("small2", std::string(800, 't'))  // over the total cap
                         .File("after", "x")
                         .HardLink("big-link", "big"),
                     "/", limits);
  EXPECT_EQ(index->inline_bytes(), 801u);
  ArchiveFs fs(index, "t");
  EXPECT_EQ(fs.Lstat("/big")->size, big.size());
  EXPECT_EQ(*fs.ReadAt("/big", 70'000, 10), big.substr(70'000, 10));
  EXPECT_EQ(*fs.ReadAt("/big", 199'995, 100), big.substr(199'995));
  EXPECT_EQ(*fs.ReadAt("/big", 300'000, 10), "");
  EXPECT_EQ(*fs.ReadFile("/big", 1 << 20), big);
  EXPECT_EQ(fs.ReadFile("/big", 1000).error().code, FsErrc::kTooLarge);
  EXPECT_EQ(*fs.ReadFile("/small2", 1000), std::string(800, 't'));
  EXPECT_EQ(*fs.ReadFile("/after", 10), "x");
  EXPECT_EQ(*fs.ReadAt("/big-link", 123'456, 7), big.substr(123'456, 7));  // target re-read
}

TEST(ArchiveIndex, EveryCompressionFromAFile) {
  TempDir dir;
  TarBuilder tar;
  tar.File("etc/os-release", "ID=debian\n").Symlink("etc/alt", "os-release");
  for (const char* compression : {"", "gzip", "xz", "zstd", "bzip2"}) {
    SCOPED_TRACE(compression);
    std::string path = dir / (std::string("root.tar.") + compression);
    tar.WriteTo(path, compression);
    auto index = ArchiveIndex::FromFile(path, {.max_inline_file_bytes = 4});
    ASSERT_TRUE(index) << index.error();
    ArchiveFs fs(std::make_shared<const ArchiveIndex>(std::move(*index)), "t");
    EXPECT_EQ(*fs.ReadFile("/etc/alt", 100), "ID=debian\n");  // lazily re-read
  }
}

TEST(ArchiveIndex, CorruptTruncatedAndOversizedArchivesFail) {
  std::string bytes = TarBuilder().File("a", std::string(5000, 'a')).File("b", "b").Bytes("gzip");
  auto cut = ArchiveIndex::FromMemory(bytes.substr(0, bytes.size() / 2), "/");
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().rfind("corrupt or truncated archive: ", 0), 0u) << cut.error();
  EXPECT_FALSE(ArchiveIndex::FromMemory(std::string(4096, '\x42'), "/"));
  EXPECT_FALSE(ArchiveIndex::FromMemory("", "/"));
  auto many = ArchiveIndex::FromMemory(
      TarBuilder().File("1", "").File("2", "").File("3", "").Bytes(), "/", {.max_entries = 3});
  ASSERT_FALSE(many);
  EXPECT_NE(many.error().find("more than 3 entries"), std::string::npos);
}

// Feeds `bytes` through a pipe, as libguestfs' tar_out does, into AddFromFd. Returns whether the
// writer got everything through (false: the reader stopped reading and the writer saw EPIPE).
bool StreamInto(ArchiveIndex& index, const std::string& bytes, std::string_view mount,
                uint64_t budget, std::expected<void, std::string>& result) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  bool complete = false;
  std::thread writer([&] {
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);  // EPIPE instead of a signal
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = write(fds[1], bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    complete = done == bytes.size();
    close(fds[1]);
  });
  result = index.AddFromFd(fds[0], mount, budget);
  close(fds[0]);
  writer.join();
  return complete;
}

TEST(ArchiveIndex, OnePassStreamKeepsMetadataOfLargeFilesButNotTheirContent) {
  std::string big(5000, 'b');
  std::string bytes = TarBuilder()
                          .Dir(".")
                          .File("small", "s")
                          .File("big", big)
                          .HardLink("big-link", "big")
                          .Symlink("link", "../../etc/shadow")
                          .File("after", "a")
                          .Bytes();
  ArchiveIndex index({.max_inline_file_bytes = 1000});
  std::expected<void, std::string> result;
  EXPECT_TRUE(StreamInto(index, bytes, "/home/u/.ssh", 1 << 20, result));
  ASSERT_TRUE(result) << result.error();
  ASSERT_NE(index.Find("/home/u/.ssh/big"), nullptr);
  EXPECT_EQ(index.Find("/home/u/.ssh/big")->stat.size, big.size());
  EXPECT_FALSE(index.Find("/home/u/.ssh/big")->content_kept());
  EXPECT_FALSE(index.Find("/home/u/.ssh/big-link")->content_kept());
  EXPECT_EQ(index.Read("/home/u/.ssh/big", 0, 10).error().code, FsErrc::kTooLarge);
  EXPECT_TRUE(index.Find("/home/u/.ssh/small")->content_kept());
  EXPECT_EQ(*index.Read("/home/u/.ssh/after", 0, 10), "a");
  EXPECT_EQ(index.Find("/home/u/.ssh/link")->symlink_target, "../../etc/shadow");  // data only
  EXPECT_EQ(index.Find("/home/u/.ssh/link")->stat.type, FileType::kSymlink);
}

TEST(ArchiveIndex, OnePassStreamStopsReadingAtItsBudget) {
  // 2 MiB of content through a 64 KiB budget: the reader gives up early and the writer's side
  // of the pipe fails, as a cancelled tar_out does; nothing near 2 MiB is kept.
  std::string bytes = TarBuilder().File("a", "a").File("huge", std::string(2 << 20, 'h')).Bytes();
  ArchiveIndex index;
  std::expected<void, std::string> result;
  EXPECT_FALSE(StreamInto(index, bytes, "/", 64 * 1024, result));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().find("longer than 65536 bytes"), std::string::npos) << result.error();
  EXPECT_LE(index.inline_bytes(), 64u * 1024);

  ArchiveIndex corrupt;
  StreamInto(corrupt, std::string(4096, '\x42'), "/", 1 << 20, result);
  EXPECT_FALSE(result);
}

TEST(ArchiveFs, ListSortedCappedAndSpecialFilesUnreadable) {
  TarBuilder tar;
  tar.File("d/zeta", "z").File("d/alpha", "a").Dir("d/mid").Symlink("d/link", "/x").Fifo("d/fifo");
  auto index = Index(tar);
  ArchiveFs fs(index, "t");
  auto entries = fs.List("/d");
  ASSERT_TRUE(entries);
  std::vector<std::string> names;
  for (const auto& e : *entries) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "fifo", "link", "mid", "zeta"}));
  EXPECT_TRUE((*entries)[2].stat.IsSymlink());
  EXPECT_EQ(fs.ReadAt("/d/fifo", 0, 10).error().code, FsErrc::kNotRegular);
  EXPECT_EQ(fs.List("/d/alpha").error().code, FsErrc::kNotDirectory);
  EXPECT_EQ(fs.ReadLink("/d/alpha").error().code, FsErrc::kIo);
  ArchiveFs capped(index, "t", 4);
  EXPECT_EQ(capped.List("/d").error().code, FsErrc::kLimit);
}

}  // namespace
}  // namespace imageprobe::images
