// SPDX-License-Identifier: Apache-2.0
// Loads a committed fixture root (tests/fixtures/<name>/root) into a MemoryFs, so probe tests
// run on the same trees the end-to-end image tests build from. Modes are normalised (0644,
// 0755 for directories and executables, owner root) because a git checkout keeps neither
// owners nor the umask of whoever committed.
#pragma once

#include <string_view>

#include "tests/support/memory_fs.h"

namespace imageprobe::testing {

// Fails the calling test (ADD_FAILURE) when the fixture does not exist.
void LoadFixtureRoot(std::string_view fixture, MemoryFs& fs);

}  // namespace imageprobe::testing
