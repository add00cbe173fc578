// SPDX-License-Identifier: Apache-2.0
// XfsFs against the real xfsprogs and kernel: images made by mkfs.xfs (populated through a
// loop mount, or by mkfs.xfs -p for v4, which this kernel cannot mount) from a host tree that
// forces every directory form; each file's bytes, mode, uid, gid, size and mtime and each
// symlink target must equal the host tree's, and xfs_db (-r) confirms the forms the fixture
// meant to make, and the mtimes mkfs -p set. xfs_repair -n is the oracle for the log.
#include "images/native/xfs_fs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include "images/native/block_device.h"
#include "images/native/crc32c.h"
#include "images/native/file_device.h"
#include "images/native/native_inspect.h"
#include "images/native/xfs_log.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images::native {
namespace {

namespace fs = std::filesystem;
using testing::RunShell;
using testing::Slurp;
using testing::TempDir;

const std::string kScript = std::string(IMAGEPROBE_SOURCE_DIR) + "/tests/images/make-xfs-fixture";

std::string Capture(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

std::string XfsDb(const std::string& img, const std::string& commands) {
  return Capture("TZ=UTC xfs_db -r " + commands + " " + img + " 2>&1");
}

// The fixtures, made once per script version: the tree, a v5 image through a mount (bigtime,
// nrext64, ftype), a v4 image without ftype through mkfs -p. "nomount" marks a kernel that
// cannot loop-mount XFS.
std::string Fixtures() {
  static const std::string dir = testing::SharedFixtureDir(
      "xfs",
      "# " + std::to_string(std::hash<std::string>{}(Slurp(kScript))) +  // new script, new fixtures
          "\nset -e\n" + kScript + " tree tree\n" + "rc=0; " + kScript +
          " mount v5.img tree -m bigtime=1 -i nrext64=1 || rc=$?\n"
          "if [ $rc = 77 ]; then touch nomount; elif [ $rc != 0 ]; then exit $rc; fi\n" +
          kScript + " proto v4.img tree -m crc=0 -n ftype=0\n" + kScript +
          " proto v4ftype.img tree -m crc=0 -n ftype=1 -i size=512\n");
  return dir;
}

std::unique_ptr<XfsFs> OpenImage(const std::string& img) {
  auto device = FileDevice::Open(img);
  EXPECT_TRUE(device) << img << ": " << (device ? "" : device.error());
  if (!device) return nullptr;
  auto xfs = XfsFs::Open(*device, "xfs on " + img);
  EXPECT_TRUE(xfs) << img << ": " << (xfs ? "" : xfs.error());
  if (!xfs) return nullptr;
  return std::move(*xfs);
}

FileType HostType(const struct stat& st) {
  if (S_ISREG(st.st_mode)) return FileType::kRegular;
  if (S_ISDIR(st.st_mode)) return FileType::kDirectory;
  if (S_ISLNK(st.st_mode)) return FileType::kSymlink;
  if (S_ISCHR(st.st_mode)) return FileType::kCharDevice;
  if (S_ISFIFO(st.st_mode)) return FileType::kFifo;
  return FileType::kUnknown;
}

// Every path of the host tree read back through `xfs`; `extras` are the names the image holds
// beyond the tree, per directory. Returns the number of paths compared.
struct TreeExpectation {
  bool compare_mtime = true;
  bool sticky = true;  // mkfs -p's protofile has no way to say the sticky bit
  std::map<std::string, std::set<std::string>> extras;
  std::set<std::string> changed;  // directories the fixture changed after copying: no mtime
};

size_t CompareWithTree(const XfsFs& xfs, const std::string& tree, const TreeExpectation& want) {
  const auto& extras = want.extras;
  size_t compared = 0;
  std::vector<std::string> dirs = {""};
  while (!dirs.empty()) {
    std::string rel = dirs.back();
    dirs.pop_back();
    const std::string guest = rel.empty() ? "/" : rel;
    auto listing = xfs.List(guest);
    if (!listing) {
      ADD_FAILURE() << listing.error().Message();
      continue;
    }
    std::set<std::string> host_names, image_names;
    for (const auto& e : fs::directory_iterator(tree + rel)) host_names.insert(e.path().filename());
    for (const DirEntry& e : *listing) image_names.insert(e.name);
    std::set<std::string> expected = host_names;
    if (auto it = extras.find(guest); it != extras.end())
      expected.insert(it->second.begin(), it->second.end());
    EXPECT_EQ(image_names, expected) << guest;
    for (const DirEntry& entry : *listing) {
      if (!host_names.contains(entry.name)) continue;
      const std::string path = rel + "/" + entry.name;
      struct stat st {};
      if (::lstat((tree + path).c_str(), &st) != 0) {
        ADD_FAILURE() << path;
        continue;
      }
      auto got = xfs.Lstat(path);
      if (!got) {
        ADD_FAILURE() << got.error().Message();
        continue;
      }
      ++compared;
      EXPECT_EQ(got->type, HostType(st)) << path;
      EXPECT_EQ(entry.stat.type, got->type) << path;
      EXPECT_EQ(got->mode, st.st_mode & (want.sticky ? 07777 : 06777)) << path;
      EXPECT_EQ(got->uid, st.st_uid) << path;
      EXPECT_EQ(got->gid, st.st_gid) << path;
      if (!S_ISDIR(st.st_mode)) {
        EXPECT_EQ(got->size, static_cast<uint64_t>(st.st_size)) << path;
      }
      if (want.compare_mtime && !want.changed.contains(path)) {
        EXPECT_EQ(got->mtime, st.st_mtim.tv_sec) << path;
      }
      if (S_ISDIR(st.st_mode)) dirs.push_back(path);
      if (S_ISLNK(st.st_mode)) {
        auto target = xfs.ReadLink(path);
        if (!target) {
          ADD_FAILURE() << target.error().Message();
          continue;
        }
        EXPECT_EQ(*target, fs::read_symlink(tree + path).string()) << path;
      }
      if (S_ISREG(st.st_mode)) {
        auto bytes = xfs.ReadAt(path, 0, 1 << 30);
        if (!bytes) {
          ADD_FAILURE() << bytes.error().Message();
          continue;
        }
        EXPECT_TRUE(*bytes == Slurp(tree + path)) << path << " differs";
        if (st.st_size > 10) {  // an unaligned window inside the file
          auto part = xfs.ReadAt(path, 3, static_cast<uint64_t>(st.st_size) - 7);
          if (!part) {
            ADD_FAILURE() << part.error().Message();
            continue;
          }
          EXPECT_TRUE(*part == Slurp(tree + path).substr(3, st.st_size - 7)) << path;
        }
      }
    }
  }
  return compared;
}

std::string Format(const std::string& img, const std::string& path) {
  return XfsDb(img, "-c 'path " + path + "' -c 'print core.format'");
}

// mtimes the tree cannot tell (mkfs -p sets its own clock; the fixture changes some): xfs_db.
void CompareMtimeWithXfsDb(const XfsFs& xfs, const std::string& img, const std::string& path) {
  std::string out = XfsDb(img, "-c 'path " + path + "' -c 'print core.mtime.sec'");
  std::tm tm{};
  ASSERT_NE(strptime(out.c_str(), "core.mtime.sec = %a %b %d %H:%M:%S %Y", &tm), nullptr) << out;
  auto st = xfs.Lstat(path);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->mtime, timegm(&tm)) << path;
}

TEST(XfsFs, V5ThroughMountMatchesTheTree) {
  const std::string dir = Fixtures();
  if (fs::exists(dir + "/nomount")) GTEST_SKIP() << "this kernel cannot loop-mount XFS";
  const std::string img = dir + "/v5.img";
  // The forms the fixture meant to force, as xfs_db sees them.
  EXPECT_NE(Format(img, "/dirs/sf").find("(local)"), std::string::npos);
  EXPECT_NE(Format(img, "/dirs/block").find("(extents)"), std::string::npos);
  EXPECT_NE(Format(img, "/dirs/btree").find("(btree)"), std::string::npos);
  EXPECT_NE(Format(img, "/data/sparse").find("(btree)"), std::string::npos);
  EXPECT_NE(Format(img, "/links/long").find("(extents)"), std::string::npos);
  const std::string leaf_map = XfsDb(img, "-c 'path /dirs/leaf' -c bmap");
  EXPECT_NE(leaf_map.find("data offset 8388608 "), std::string::npos) << leaf_map;  // the leaf
  EXPECT_EQ(leaf_map.find("data offset 16777216 "), std::string::npos);             // no free index
  EXPECT_NE(XfsDb(img, "-c 'path /dirs/node' -c bmap").find("data offset 16777216 "),
            std::string::npos);
  EXPECT_EQ(XfsDb(img, "-c 'sb 0' -c 'print features_incompat'"), "features_incompat = 0x2b\n");

  auto xfs = OpenImage(img);
  ASSERT_TRUE(xfs);
  TreeExpectation want;
  want.extras = {
      {"/", {"swiss"}}, {"/data", {"sparse", "prealloc"}}, {"/dirs", {"btree", "btree-target"}}};
  want.changed = {"/data", "/dirs"};
  EXPECT_GT(CompareWithTree(*xfs, dir + "/tree", want), 3300u);
  for (const char* path : {"/", "/data", "/dirs", "/dirs/btree", "/data/sparse"}) {
    CompareMtimeWithXfsDb(*xfs, img, path);
  }
  auto future = xfs->Lstat("/data/future");
  ASSERT_TRUE(future);
  EXPECT_EQ(future->mtime, 4102444800);  // past 2038: bigtime

  // The sparse file: 200 written blocks, 8 KiB holes between them.
  auto sparse = xfs->ReadAt("/data/sparse", 0, 1 << 30);
  ASSERT_TRUE(sparse) << sparse.error().Message();
  std::string sparse_want;
  for (int i = 0; i < 200; ++i) {
    sparse_want.resize(i * 12 * 1024, '\0');
    const int hi = i % 9 + 1, lo = i % 7;
    sparse_want.append(4096, static_cast<char>(hi * 16 + lo));
  }
  EXPECT_TRUE(*sparse == sparse_want) << "sparse file differs";
  auto prealloc = xfs->ReadAt("/data/prealloc", 0, 1 << 30);
  ASSERT_TRUE(prealloc);
  std::string prealloc_want(1 << 20, '\0');
  prealloc_want.replace(64 * 1024, 8192, 8192, '\x5a');
  EXPECT_TRUE(*prealloc == prealloc_want) << "preallocated file differs";

  // The bmbt-mapped directory: every hard link listed, and looked up.
  auto links = xfs->List("/dirs/btree");
  ASSERT_TRUE(links) << links.error().Message();
  ASSERT_EQ(links->size(), 6000u);
  for (size_t i = 0; i < links->size(); ++i) {
    char name[128];
    std::snprintf(name, sizeof name, "%0100zu", i);
    ASSERT_EQ((*links)[i].name, name);
    ASSERT_EQ((*links)[i].stat.size, 7u);
  }
  auto one = xfs->ReadAt("/dirs/btree/" + std::string(96, '0') + "5999", 0, 100);
  ASSERT_TRUE(one) << one.error().Message();
  EXPECT_EQ(*one, "linked\n");
  EXPECT_EQ(xfs->Lstat("/dirs/btree/nonesuch").error().code, FsErrc::kNotFound);
  EXPECT_EQ(xfs->Lstat("/etc/hostname/x").error().code, FsErrc::kNotDirectory);
  EXPECT_EQ(xfs->ReadAt("/dirs", 0, 10).error().code, FsErrc::kNotRegular);
}

TEST(XfsFs, V4WithoutFtypeThroughMkfsProtofileMatchesTheTree) {
  const std::string dir = Fixtures();
  for (const char* name : {"v4.img", "v4ftype.img"}) {
    const std::string img = dir + "/" + name;
    EXPECT_NE(Format(img, "/dirs/node").find("(btree)"), std::string::npos) << name;
    EXPECT_NE(XfsDb(img, "-c 'path /dirs/node' -c bmap").find("data offset 16777216 "),
              std::string::npos);
    auto xfs = OpenImage(img);
    ASSERT_TRUE(xfs);
    EXPECT_GT(CompareWithTree(*xfs, dir + "/tree", {.compare_mtime = false, .sticky = false}),
              3300u)
        << name;
    for (const char* path : {"/etc/hostname", "/data/large", "/links/long", "/dirs/node"}) {
      CompareMtimeWithXfsDb(*xfs, img, path);
    }
  }
}

// A device that answers reads from a base device with some bytes replaced.
class PatchedDevice final : public BlockDevice {
 public:
  PatchedDevice(std::shared_ptr<const BlockDevice> base, uint64_t at, std::string bytes)
      : base_(std::move(base)), at_(at), bytes_(std::move(bytes)) {}
  uint64_t size() const override { return base_->size(); }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override {
    if (auto r = base_->ReadAt(offset, out); !r) return r;
    for (size_t i = 0; i < bytes_.size(); ++i) {
      if (at_ + i >= offset && at_ + i < offset + out.size()) out[at_ + i - offset] = bytes_[i];
    }
    return {};
  }
  std::string Describe() const override { return "patched " + base_->Describe(); }

 private:
  std::shared_ptr<const BlockDevice> base_;
  uint64_t at_;
  std::string bytes_;
};

// The v5 superblock with its feature word set to `incompat` and the checksum made good again.
std::shared_ptr<BlockDevice> WithIncompat(std::shared_ptr<const BlockDevice> base,
                                          uint32_t incompat) {
  auto sector = base->Read(0, 512);
  EXPECT_TRUE(sector);
  std::string s = *sector;
  for (int i = 0; i < 4; ++i) s[216 + i] = static_cast<char>(incompat >> (24 - 8 * i));
  s.replace(224, 4, 4, '\0');
  const uint32_t crc = Crc32c(s);
  for (int i = 0; i < 4; ++i) s[224 + i] = static_cast<char>(crc >> (8 * i));
  return std::make_shared<PatchedDevice>(std::move(base), 0, s);
}

TEST(XfsFs, RefusesWhatItDoesNotKnowAndCorruptSuperblocks) {
  const std::string dir = Fixtures();
  if (fs::exists(dir + "/nomount")) GTEST_SKIP() << "this kernel cannot loop-mount XFS";
  auto device = FileDevice::Open(dir + "/v5.img");
  ASSERT_TRUE(device);
  // Unchanged, re-checksummed: still read (the test's own checksum is right).
  EXPECT_TRUE(XfsFs::Open(WithIncompat(*device, 0x2b), "x"));
  auto unknown = XfsFs::Open(WithIncompat(*device, 0x2b | 0x1000), "x");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(), "unsupported XFS feature: incompat 0x1000");
  auto repair = XfsFs::Open(WithIncompat(*device, 0x2b | 0x10), "x");
  ASSERT_FALSE(repair);
  EXPECT_EQ(repair.error(), "unsupported XFS feature: needsrepair (xfs_repair must run first)");
  // A flipped byte without a new checksum.
  auto flipped = XfsFs::Open(std::make_shared<PatchedDevice>(*device, 130, "\x7f"), "x");
  ASSERT_FALSE(flipped);
  EXPECT_EQ(flipped.error(), "not readable as xfs: superblock checksum mismatch");
  // A root inode whose checksum no longer matches.
  auto sb = ParseXfsSuperblock(*(*device)->Read(0, 512));
  ASSERT_TRUE(sb);
  auto root_at = sb->InodeOffset(sb->root_ino);
  ASSERT_TRUE(root_at);
  auto bad_root = XfsFs::Open(std::make_shared<PatchedDevice>(*device, *root_at + 60, "\x01"), "x");
  ASSERT_FALSE(bad_root);
  EXPECT_NE(bad_root.error().find("checksum mismatch"), std::string::npos) << bad_root.error();
}

TEST(XfsFs, DirtyLogIsRefusedAsXfsRepairSaysAndCleanOneIsRead) {
  const std::string dir = Fixtures();
  if (fs::exists(dir + "/nomount")) GTEST_SKIP() << "this kernel cannot loop-mount XFS";
  // The oracle: xfs_repair -n refuses a filesystem whose log holds changes, and passes a clean one.
  EXPECT_EQ(RunShell("xfs_repair -n " + dir + "/v5.img >/dev/null 2>&1"), 0);
  TempDir tmp;
  const std::string img = tmp / "dirty.img";
  ASSERT_EQ(
      RunShell("cp --sparse=always " + dir + "/v5.img " + img + " && " + kScript + " dirty " + img),
      0);
  EXPECT_NE(RunShell("xfs_repair -n " + img + " >/dev/null 2>&1"), 0);
  auto device = FileDevice::Open(img);
  ASSERT_TRUE(device);
  auto xfs = XfsFs::Open(*device, "x");
  ASSERT_FALSE(xfs);
  EXPECT_EQ(xfs.error(), "log needs recovery");
  // The engine's reason, as the report's backend shows it (a bare filesystem is /dev/sda).
  auto inspected = InspectNative(*device);
  ASSERT_FALSE(inspected);
  EXPECT_EQ(inspected.error(), "/dev/sda (xfs): log needs recovery");
  for (const char* clean : {"v5.img", "v4.img"}) {
    auto d = FileDevice::Open(dir + "/" + clean);
    ASSERT_TRUE(d);
    auto sb = ParseXfsSuperblock(*(*d)->Read(0, 4096));
    ASSERT_TRUE(sb);
    EXPECT_TRUE(CheckXfsLogClean(**d, *sb)) << clean;
  }
}

}  // namespace
}  // namespace imageprobe::images::native
