// SPDX-License-Identifier: Apache-2.0
// Dirty ext4 journals made by the real tools, replayed in memory by Ext4Fs::Open, against
// e2fsck's own replay of a copy:
//  - debugfs (1.47) writes transactions into a filesystem's journal without checkpointing them
//    (journal_open / journal_write / journal_close) and leaves needs_recovery set. The blocks
//    it logs are those a second copy of the image changed (mkdir, write, symlink, set_inode_field
//    by debugfs), so the replayed filesystem is a consistent one e2fsck has nothing to fix in;
//  - e2fsck -fy on a copy replays the journal; the whole tree Ext4Fs reads from the dirty image
//    (names, types, modes, owners, sizes, mtimes, bytes, link targets) must equal the tree it
//    reads from the recovered copy, and files must read as `debugfs -R cat` reads them there;
//  - covered: several transactions, revoked blocks (and a block written again after its
//    revoke), a log wrapped round the end of the journal, csum v3, v2 and none, 64bit and not,
//    1 KiB and 4 KiB blocks, a transaction without its commit block or with a bad one (not
//    replayed), an escaped block, a data block that fails its tag checksum (refused, as the kernel
//    fails the mount), and the fallbacks: an external journal, fast commits;
//  - the dirty image is never written.
#include <gtest/gtest.h>

extern "C" {
#include <et/com_err.h>
}
#include <ext2fs/ext2fs.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "images/native/ext4_fs.h"
#include "images/native/file_device.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images::native {
namespace {

using testing::RunShell;
using testing::ShellOutput;
using testing::ShellQuote;
using testing::Slurp;
using testing::TempDir;

void Spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

uint32_t Be32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 2])) << 8 |
         static_cast<uint8_t>(b[at + 3]);
}
void PutBe32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

// Every entry below `dir`, one line each, with what it holds.
void Dump(const Filesystem& fs, const std::string& dir, std::string& out) {
  auto entries = fs.List(dir);
  if (!entries) {
    out += dir + ": " + entries.error().Message() + "\n";
    return;
  }
  for (const auto& e : *entries) {
    std::string path = (dir == "/" ? "" : dir) + "/" + e.name;
    std::ostringstream line;
    line << path << " type=" << static_cast<int>(e.stat.type) << " mode=" << std::oct << e.stat.mode
         << std::dec << " uid=" << e.stat.uid << " gid=" << e.stat.gid << " size=" << e.stat.size
         << " mtime=" << e.stat.mtime;
    if (e.stat.IsRegular()) {
      auto bytes = fs.ReadAt(path, 0, 1 << 20);
      line << " bytes=" << (bytes ? *bytes : "error: " + bytes.error().Message());
    } else if (e.stat.IsSymlink()) {
      auto target = fs.ReadLink(path);
      line << " target=" << target.value_or("?");
    }
    out += line.str() + "\n";
    if (e.stat.IsDirectory()) Dump(fs, path, out);
  }
}

std::string Tree(const Filesystem& fs) {
  std::string out;
  Dump(fs, "/", out);
  return out;
}

std::expected<std::unique_ptr<Ext4Fs>, std::string> OpenImage(const std::string& path) {
  auto device = FileDevice::Open(path);
  if (!device) return std::unexpected(device.error());
  return Ext4Fs::Open(*device, path);
}

struct Layout {
  int block_size = 1024;
  std::string mkfs_features;  // -O list
  std::string journal_open;   // "jo", "jo -c", "jo -c -v 2"
};

// One dirty image in a scratch directory: a.img (the base), b.img (the base changed), and
// dirty.img (the base whose journal holds the change, and whatever a case adds).
class DirtyImage {
 public:
  explicit DirtyImage(Layout layout) : layout_(std::move(layout)) {
    std::string size = layout_.block_size == 1024 ? "16M" : "32M";
    dir_.WriteFile("hello", "old\n");
    dir_.WriteFile("other", "oth\n");
    dir_.WriteFile("passwd",
                   "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
    dir_.WriteFile("key", std::string(5000, 'k') + "\n");  // more than one block
    dir_.WriteFile("changes",
                   "mkdir /etc\nwrite passwd /etc/passwd\nmkdir /etc/ssh\nwrite key /etc/ssh/key\n"
                   "symlink /etc/link /hello\nsif /other mode 0100600\nsif /other uid 1000\n"
                   "sif /etc/passwd mtime 20310506070809\n");
    EXPECT_EQ(RunShell("cd " + ShellQuote(dir_.path()) + " && { set -e; mke2fs -q -t ext4 -b " +
                       std::to_string(layout_.block_size) + " -O " + layout_.mkfs_features +
                       " a.img " + size +
                       "; debugfs -w -R 'write hello /hello' a.img"
                       "; debugfs -w -R 'write other /other' a.img"
                       "; cp a.img b.img; debugfs -w -f changes b.img; cp a.img dirty.img; }"
                       " >setup.log 2>&1"),
              0)
        << Slurp(dir_ / "setup.log");
    hello_block_ = Block("/hello");
    other_block_ = Block("/other");
  }

  std::string operator/(std::string_view rel) const { return dir_ / rel; }
  int block_size() const { return layout_.block_size; }
  uint64_t hello_block() const { return hello_block_; }
  uint64_t other_block() const { return other_block_; }

  // The blocks b.img changed, as two "jw" lines (two transactions).
  std::vector<std::string> ChangeTransactions() {
    std::string a = Slurp(dir_ / "a.img"), b = Slurp(dir_ / "b.img");
    EXPECT_EQ(a.size(), b.size());
    size_t bs = layout_.block_size;
    std::vector<uint64_t> changed;
    for (size_t i = 0; i + 1 <= a.size() / bs; ++i) {
      if (a.compare(i * bs, bs, b, i * bs, bs) != 0) changed.push_back(i);
    }
    EXPECT_GT(changed.size(), 4u);
    std::vector<std::string> lines;
    size_t half = changed.size() / 2;
    for (auto [from, to] : {std::pair{size_t{0}, half}, std::pair{half, changed.size()}}) {
      std::string list, bytes;
      for (size_t i = from; i < to; ++i) {
        list += (list.empty() ? "" : ",") + std::to_string(changed[i]);
        bytes += b.substr(changed[i] * bs, bs);
      }
      std::string file = "change" + std::to_string(lines.size()) + ".bin";
      Spit(dir_ / file, bytes);
      lines.push_back("jw -b " + list + " " + file);
    }
    return lines;
  }

  // A "jw" line that logs `text` (padded to a block) as each of `blocks`.
  std::string Write(std::vector<uint64_t> blocks, const std::string& text, bool commit = true) {
    std::string list, bytes;
    for (uint64_t b : blocks) {
      list += (list.empty() ? "" : ",") + std::to_string(b);
      std::string block = text;
      block.resize(layout_.block_size, '\0');
      bytes += block;
    }
    std::string file = "data" + std::to_string(files_++) + ".bin";
    Spit(dir_ / file, bytes);
    return std::string("jw ") + (commit ? "" : "-c ") + "-b " + list + " " + file;
  }

  // Runs journal_open, the lines, journal_close on dirty.img.
  void Journal(const std::vector<std::string>& lines) {
    std::string cmds = layout_.journal_open + "\n";
    for (const auto& l : lines) cmds += l + "\n";
    cmds += "jc\n";
    dir_.WriteFile("journal_cmds", cmds);
    ASSERT_EQ(RunShell("cd " + ShellQuote(dir_.path()) +
                       " && debugfs -w -f journal_cmds dirty.img >debugfs.log 2>&1"),
              0);
    ASSERT_NE(ShellOutput("dumpe2fs -h " + ShellQuote(dir_ / "dirty.img") + " 2>/dev/null")
                  .find("needs_recovery"),
              std::string::npos)
        << Slurp(dir_ / "debugfs.log");
  }

  // e2fsck's replay of a copy: rec.img.
  void Recover() {
    int rc = RunShell("cd " + ShellQuote(dir_.path()) +
                      " && cp dirty.img rec.img && e2fsck -fy rec.img >e2fsck.log 2>&1");
    EXPECT_EQ(rc, 0) << Slurp(dir_ / "e2fsck.log");
  }

  std::string DebugfsCat(const std::string& image, const std::string& path) {
    return ShellOutput("debugfs -R " + ShellQuote("cat " + path) + " " + ShellQuote(dir_ / image) +
                       " 2>/dev/null");
  }

  // Where journal block `n` lies in the image, by debugfs' bmap of the journal inode.
  uint64_t JournalPhysical(uint64_t n) {
    return std::stoull(ShellOutput("debugfs -R " + ShellQuote("bmap <8> " + std::to_string(n)) +
                                   " " + ShellQuote(dir_ / "dirty.img") + " 2>/dev/null"));
  }

  // Journal block → image block, from the extents `debugfs -R 'stat <8>'` lists.
  std::vector<uint64_t> JournalMap() {
    std::string stat =
        ShellOutput("debugfs -R 'stat <8>' " + ShellQuote(dir_ / "dirty.img") + " 2>/dev/null");
    std::regex extent("\\((\\d+)(?:-(\\d+))?\\):(\\d+)(?:-\\d+)?");
    std::vector<uint64_t> where;
    for (std::sregex_iterator it(stat.begin(), stat.end(), extent), end; it != end; ++it) {
      uint64_t from = std::stoull((*it)[1]);
      uint64_t to = (*it)[2].matched ? std::stoull((*it)[2]) : from;
      uint64_t physical = std::stoull((*it)[3]);
      if (from != where.size()) return {};  // a hole, or out of order
      for (uint64_t n = from; n <= to; ++n) where.push_back(physical + (n - from));
    }
    return where;
  }

  // The journal blocks logdump names for a block type ("commit block", "descriptor block").
  std::vector<uint64_t> Logged(const std::string& type) {
    std::string log =
        ShellOutput("debugfs -R logdump " + ShellQuote(dir_ / "dirty.img") + " 2>/dev/null");
    std::regex line("type \\d+ \\(" + type + "\\) at block (\\d+)");
    std::vector<uint64_t> at;
    for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it) {
      at.push_back(std::stoull((*it)[1]));
    }
    return at;
  }

  void Patch(uint64_t physical_block, size_t within, std::string_view bytes) {
    std::fstream f(dir_ / "dirty.img", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(physical_block * layout_.block_size + within));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  // Moves the whole log area round so that the log starts two blocks before the end of the
  // journal and wraps: positions change, nothing a block checksums does.
  void WrapLog() {
    std::vector<uint64_t> where = JournalMap();
    ASSERT_FALSE(where.empty());
    std::string img = Slurp(dir_ / "dirty.img");
    size_t bs = layout_.block_size;
    auto block = [&](uint64_t n) { return img.substr(where[n] * bs, bs); };
    std::string sb = block(0).substr(0, 1024);
    uint32_t max_len = Be32(sb, 0x10), first = Be32(sb, 0x14), log_start = Be32(sb, 0x1C);
    ASSERT_EQ(where.size(), max_len);
    uint32_t length = max_len - first;
    uint32_t shift = (max_len - 2) - log_start;
    std::vector<std::string> area;
    for (uint32_t k = 0; k < length; ++k) area.push_back(block(first + k));
    for (uint32_t k = 0; k < length; ++k) {
      img.replace(where[first + (k + shift) % length] * bs, bs, area[k]);
    }
    PutBe32(sb, 0x1C, first + (log_start - first + shift) % length);
    if (Be32(sb, 0x28) & 0x18) {  // csum v2/v3: the superblock's own crc32c
      PutBe32(sb, 0xFC, 0);
      PutBe32(sb, 0xFC,
              ext2fs_crc32c_le(~0u, reinterpret_cast<const unsigned char*>(sb.data()), sb.size()));
    }
    img.replace(where[0] * bs, sb.size(), sb);
    Spit(dir_ / "dirty.img", img);
  }

  // Ext4Fs on dirty.img equals Ext4Fs on rec.img; /hello and /other read as debugfs reads them
  // there; dirty.img is left as it was. Returns the replay summary.
  JournalReplaySummary ExpectReplayedAsE2fsck() {
    Recover();
    std::string before = Slurp(dir_ / "dirty.img");
    auto mine = OpenImage(dir_ / "dirty.img");
    auto theirs = OpenImage(dir_ / "rec.img");
    EXPECT_TRUE(mine.has_value()) << mine.error();
    EXPECT_TRUE(theirs.has_value()) << theirs.error();
    if (!mine || !theirs) return {};
    EXPECT_FALSE((*theirs)->replayed_journal().has_value());
    EXPECT_TRUE((*mine)->replayed_journal().has_value());
    std::string tree = Tree(**mine);
    EXPECT_EQ(tree, Tree(**theirs));
    EXPECT_NE(tree.find("/etc/ssh/key"), std::string::npos) << tree;
    for (const char* path : {"/hello", "/other", "/etc/passwd", "/etc/ssh/key"}) {
      auto bytes = (*mine)->ReadAt(path, 0, 1 << 20);
      EXPECT_EQ(bytes.value_or("?"), DebugfsCat("rec.img", path)) << path;
    }
    EXPECT_TRUE(Slurp(dir_ / "dirty.img") == before) << "the dirty image was written";
    return (*mine)->replayed_journal().value_or(JournalReplaySummary{});
  }

 private:
  uint64_t Block(const std::string& path) {
    std::string out = ShellOutput("debugfs -R " + ShellQuote("bmap " + path + " 0") + " " +
                                  ShellQuote(dir_ / "a.img") + " 2>/dev/null");
    return out.empty() ? 0 : std::stoull(out);
  }

  TempDir dir_;
  Layout layout_;
  uint64_t hello_block_ = 0, other_block_ = 0;
  int files_ = 0;
};

const Layout kPlain1k{1024, "^64bit,^metadata_csum", "jo"};
const Layout kCsumV3{4096, "64bit,metadata_csum", "jo -c"};
const Layout kCsumV2{1024, "64bit,metadata_csum", "jo -c -v 2"};

// The change in two transactions, then /hello and /other overwritten, both revoked, and
// /other written again after its revoke: five transactions; /hello stays "old", /other reads
// the last write.
std::vector<std::string> WithRevokes(DirtyImage& image) {
  std::vector<std::string> lines = image.ChangeTransactions();
  lines.push_back(image.Write({image.hello_block(), image.other_block()}, "BAD\n"));
  lines.push_back("jw -r " + std::to_string(image.hello_block()) + "," +
                  std::to_string(image.other_block()));
  lines.push_back(image.Write({image.other_block()}, "NEW\n"));
  return lines;
}

void ExpectRevokesHonoured(DirtyImage& image) {
  JournalReplaySummary replayed = image.ExpectReplayedAsE2fsck();
  EXPECT_EQ(replayed.transactions, 5u);
  EXPECT_GT(replayed.blocks, 4u);
  auto fs = OpenImage(image / "dirty.img");
  ASSERT_TRUE(fs.has_value()) << fs.error();
  EXPECT_EQ((*fs)->ReadAt("/hello", 0, 100).value_or("?"), "old\n");
  EXPECT_EQ((*fs)->ReadAt("/other", 0, 100).value_or("?"), "NEW\n");
  // and before the replay libext2fs reads neither the change nor the writes
  EXPECT_EQ(image.DebugfsCat("dirty.img", "/other"), "oth\n");
  EXPECT_EQ(image.DebugfsCat("dirty.img", "/etc/passwd"), "");
}

TEST(Jbd2Replay, SeveralTransactionsAndRevokesWithoutChecksums1kNot64bit) {
  DirtyImage image(kPlain1k);
  image.Journal(WithRevokes(image));
  ExpectRevokesHonoured(image);
}

TEST(Jbd2Replay, SeveralTransactionsAndRevokesCsumV3With4kBlocks64bit) {
  DirtyImage image(kCsumV3);
  image.Journal(WithRevokes(image));
  ExpectRevokesHonoured(image);
}

TEST(Jbd2Replay, CsumV2) {
  DirtyImage image(kCsumV2);
  image.Journal(WithRevokes(image));
  ExpectRevokesHonoured(image);
}

TEST(Jbd2Replay, WrappedLogWithoutChecksums) {
  DirtyImage image(kPlain1k);
  image.Journal(WithRevokes(image));
  image.WrapLog();
  ExpectRevokesHonoured(image);
}

TEST(Jbd2Replay, WrappedLogCsumV3) {
  DirtyImage image(kCsumV3);
  image.Journal(WithRevokes(image));
  image.WrapLog();
  ExpectRevokesHonoured(image);
}

// A block that begins with the jbd2 magic is logged escaped (its magic zeroed, the tag
// flagged); replay restores it.
TEST(Jbd2Replay, EscapedBlockGetsItsMagicBack) {
  for (const Layout& layout : {kPlain1k, kCsumV3}) {
    DirtyImage image(layout);
    std::vector<std::string> lines = image.ChangeTransactions();
    const std::string magic("\xC0\x3B\x39\x98", 4);
    lines.push_back(image.Write({image.hello_block()}, magic));
    image.Journal(lines);
    EXPECT_EQ(image.ExpectReplayedAsE2fsck().transactions, 3u);
    auto fs = OpenImage(image / "dirty.img");
    ASSERT_TRUE(fs.has_value()) << fs.error();
    EXPECT_EQ((*fs)->ReadAt("/hello", 0, 100).value_or("?"), magic);
  }
}

void ExpectLastTransactionDropped(DirtyImage& image) {
  JournalReplaySummary replayed = image.ExpectReplayedAsE2fsck();
  EXPECT_EQ(replayed.transactions, 2u);
  auto fs = OpenImage(image / "dirty.img");
  ASSERT_TRUE(fs.has_value()) << fs.error();
  EXPECT_EQ((*fs)->ReadAt("/hello", 0, 100).value_or("?"), "old\n");
}

TEST(Jbd2Replay, TransactionWithoutCommitBlockIsNotReplayed) {
  for (const Layout& layout : {kPlain1k, kCsumV3}) {
    DirtyImage image(layout);
    std::vector<std::string> lines = image.ChangeTransactions();
    lines.push_back(image.Write({image.hello_block()}, "BAD\n", /*commit=*/false));
    image.Journal(lines);
    ASSERT_EQ(image.Logged("commit block").size(), 2u);
    ExpectLastTransactionDropped(image);
  }
}

TEST(Jbd2Replay, TransactionWithBadCommitChecksumIsNotReplayed) {
  DirtyImage image(kCsumV3);
  std::vector<std::string> lines = image.ChangeTransactions();
  lines.push_back(image.Write({image.hello_block()}, "BAD\n"));
  image.Journal(lines);
  auto commits = image.Logged("commit block");
  ASSERT_EQ(commits.size(), 3u);
  image.Patch(image.JournalPhysical(commits.back()), 200, "\x55");
  ExpectLastTransactionDropped(image);
}

// The kernel skips such a block, finishes the replay, and fails it (and the mount): refused.
TEST(Jbd2Replay, DataBlockFailingItsTagChecksumIsRefused) {
  DirtyImage image(kCsumV3);
  image.Journal(image.ChangeTransactions());
  auto descriptors = image.Logged("descriptor block");
  ASSERT_FALSE(descriptors.empty());
  image.Patch(image.JournalPhysical(descriptors.front() + 1), 300, "\x55");
  auto fs = OpenImage(image / "dirty.img");
  ASSERT_FALSE(fs.has_value());
  EXPECT_EQ(fs.error().find("its journal needs recovery, not replayed natively: transaction 1: "),
            0u)
      << fs.error();
  EXPECT_NE(fs.error().find("fails its checksum"), std::string::npos) << fs.error();
}

TEST(Jbd2Replay, ExternalJournalIsAFallback) {
  DirtyImage image(kPlain1k);
  ASSERT_EQ(RunShell("debugfs -w -f - " + ShellQuote(image / "dirty.img") +
                     " >/dev/null 2>&1 <<'EOF'\nfeature -has_journal\nssv journal_inum 0\n"
                     "ssv journal_uuid 0b8f1a5e-7a4c-4a5e-9d7e-2f1c3b4a5d6e\n"
                     "feature has_journal needs_recovery\nEOF"),
            0);
  auto fs = OpenImage(image / "dirty.img");
  ASSERT_FALSE(fs.has_value());
  EXPECT_EQ(fs.error(),
            "its journal needs recovery, not replayed natively: its journal is external (journal "
            "UUID 0b8f1a5e-7a4c-4a5e-9d7e-2f1c3b4a5d6e), not on this device");
}

// mke2fs -O fast_commit reserves the area; the kernel sets the journal's feature when it
// mounts. Set here as it would be, on a journal debugfs filled.
TEST(Jbd2Replay, FastCommitJournalIsAFallback) {
  DirtyImage image(Layout{1024, "^64bit,^metadata_csum,fast_commit", "jo"});
  image.Journal(image.ChangeTransactions());
  uint64_t sb = image.JournalPhysical(0);
  std::string img = Slurp(image / "dirty.img");
  std::string incompat = img.substr(sb * 1024 + 0x28, 4);
  incompat[3] = static_cast<char>(incompat[3] | 0x20);
  image.Patch(sb, 0x28, incompat);
  auto fs = OpenImage(image / "dirty.img");
  ASSERT_FALSE(fs.has_value());
  EXPECT_EQ(fs.error(),
            "its journal needs recovery, not replayed natively: journal has fast commits");
}

}  // namespace
}  // namespace imageprobe::images::native
