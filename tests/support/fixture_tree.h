// SPDX-License-Identifier: Apache-2.0
// Loads a fixture root tree (tests/fixtures/<case>/root, plain text files and symlinks in git)
// into a MemoryFs, so probe tests run on the same trees the image-building tests use.
// Host modes are kept; every mtime is the fixed MemoryFs default so results are reproducible.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/memory_fs.h"

namespace imageprobe::testing {

// The tests/fixtures directory of the source tree (set by CMake).
std::filesystem::path FixturesDir();

// Adds every file, directory and symlink under `host_root` to `fs` at the same guest path.
void LoadFixtureTree(const std::filesystem::path& host_root, MemoryFs& fs);

// Loads tests/fixtures/<fixture>/root.
void LoadFixtureRoot(std::string_view fixture, MemoryFs& fs);

// Every fixture root tree, relative to FixturesDir(), sorted: each case's root/ (or the case
// itself when it holds etc/), the sshd cases and the demo versions.
std::vector<std::string> FixtureRoots();

// Non-empty, non-comment lines of a text file (tests/fixtures/secrets.txt).
std::vector<std::string> ReadLines(const std::filesystem::path& file);

}  // namespace imageprobe::testing
