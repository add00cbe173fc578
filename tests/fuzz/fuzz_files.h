// SPDX-License-Identifier: Apache-2.0
// One fuzz input standing for several files, so that targets which follow includes or merge
// drop-ins (sshd_config, sudoers, cloud.cfg.d, whole probe runs) can be fuzzed on trees:
//
//   Port 22                      <- the first file, at `first_path`
//   Include /etc/ssh/extra.conf
//   #@@ /etc/ssh/extra.conf      <- a marker line starts the next file at that guest path
//   PermitRootLogin yes
//
// A marker is a comment in every format fuzzed this way, so a plain config file is also a
// valid input, and the seed collector (tests/fuzz/collect-seeds) bundles fixture trees with it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/memory_fs.h"

namespace imageprobe::fuzz {

inline constexpr std::string_view kFileMarker = "#@@ ";

struct FuzzFile {
  std::string path;  // guest-absolute
  std::string content;
};

// Splits `data` at marker lines. Text before the first marker is `first_path` (dropped when
// `first_path` is empty). Markers with a relative or empty path are kept as content.
std::vector<FuzzFile> SplitFuzzFiles(std::string_view data, std::string_view first_path);

// Adds the files to `fs`, skipping one whose path (or a parent of it) is already taken by a
// node of another type: the tree stays one a real filesystem could hold.
void AddFuzzFiles(testing::MemoryFs& fs, const std::vector<FuzzFile>& files);

// An invariant of the code under test: when it does not hold, says which and aborts (a crash
// for libFuzzer and a failure for ctest).
[[noreturn]] void Fail(std::string_view what);
inline void Require(bool condition, std::string_view what) {
  if (!condition) Fail(what);
}

// The bytes as text (every parser takes std::string_view).
inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace imageprobe::fuzz
