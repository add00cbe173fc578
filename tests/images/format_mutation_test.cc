// SPDX-License-Identifier: Apache-2.0
// Hostile input: real headers (from the qemu-img fixtures) with random bytes changed, and pure
// junk, through every detection and structure parser. The property is "returns, never crashes
// or hangs"; the sanitizer build (IMAGEPROBE_ENABLE_ASAN/UBSAN) is what makes it bite.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include "images/byte_source.h"
#include "images/container_checks.h"
#include "images/format.h"
#include "images/ova.h"
#include "images/tar_peek.h"
#include "images/vmdk_descriptor.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images {
namespace {

std::string Prefix(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string data(n, '\0');
  in.read(data.data(), static_cast<std::streamsize>(n));
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

TEST(FormatMutation, MutatedRealHeadersNeverCrashTheParsers) {
  std::string dir = testing::SharedFixtureDir(
      "mutation",
      "set -e; truncate -s 8M raw.img; printf 'label: gpt\\n,\\n' | sfdisk -q raw.img;"
      "dd if=/dev/urandom of=raw.img bs=64K seek=20 count=8 conv=notrunc status=none;"
      "for f in qcow2 vdi vhdx vpc; do qemu-img convert -O $f raw.img disk.$f; done;"
      "qemu-img convert -O vmdk -o subformat=monolithicSparse raw.img sparse.vmdk;"
      "qemu-img convert -O vmdk -o subformat=streamOptimized raw.img stream.vmdk;"
      "truncate -s 4M ext4.img; mkfs.ext4 -q -F ext4.img");
  ASSERT_FALSE(dir.empty());
  std::mt19937_64 rng(20261123);
  int detected = 0, rejected = 0;
  for (const char* name : {"raw.img", "disk.qcow2", "disk.vdi", "disk.vhdx", "disk.vpc",
                           "sparse.vmdk", "stream.vmdk", "ext4.img"}) {
    SCOPED_TRACE(name);
    const std::string original = Prefix(dir + "/" + name, 512 * 1024);
    ASSERT_FALSE(original.empty());
    for (int round = 0; round < 300; ++round) {
      std::string data = original;
      int flips = 1 + static_cast<int>(rng() % 16);
      for (int i = 0; i < flips; ++i) {
        // Mostly in the first sectors, where the headers are.
        size_t span = (rng() % 4 == 0) ? data.size() : std::min<size_t>(data.size(), 4096);
        data[rng() % span] = static_cast<char>(rng());
      }
      size_t cut = (rng() % 3 == 0) ? rng() % data.size() : data.size();
      std::string_view bytes(data.data(), cut);
      std::string_view head = bytes.substr(0, kHeadBytes);
      std::string_view tail = bytes.substr(bytes.size() - std::min(bytes.size(), kTailBytes));
      auto detection = DetectFormat(head, tail, bytes.size());
      if (!detection) {
        ++rejected;
        continue;
      }
      ++detected;
      MemorySource source(bytes);
      auto checked = CheckStructure(*detection, source);
      if (!checked) {
        EXPECT_FALSE(checked.error().empty());
      }
    }
  }
  EXPECT_GT(detected, 0);
  EXPECT_GT(rejected, 0);
}

TEST(FormatMutation, JunkThroughTheTextAndTarParsers) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string junk(rng() % 4096, '\0');
    for (auto& c : junk) c = static_cast<char>(rng() % 4 ? rng() : "\"<>=\n\r/ "[rng() % 8]);
    if (round % 5 == 0) junk.insert(0, "\x1f\x8b\x08\x00");
    if (round % 7 == 0) junk.insert(0, "# Disk DescriptorFile\nRW ");
    if (round % 11 == 0) junk.insert(0, "<File ovf:href=\"");
    // Whatever the parsers make of it stays within what the text holds and their bounds.
    const auto lines = static_cast<int>(std::ranges::count(junk, '\n')) + 1;
    for (const VmdkExtent& extent : ParseVmdkDescriptor(junk).extents) {
      EXPECT_LE(extent.line, lines);
    }
    EXPECT_LE(ParseOvfFileRefs(junk).size(), static_cast<size_t>(std::ranges::count(junk, '<')));
    if (auto tar = PeekTar(junk)) {
      EXPECT_LE(tar->members.size(), 256u);
    }
    // DetectFormat names what it found, or refuses in one line of our words.
    if (auto detection = DetectFormat(junk, junk, junk.size())) {
      EXPECT_FALSE(detection->name.empty());
    } else {
      EXPECT_FALSE(detection.error().empty());
      EXPECT_EQ(detection.error().find('\n'), std::string::npos) << detection.error();
    }
  }
}

}  // namespace
}  // namespace imageprobe::images
