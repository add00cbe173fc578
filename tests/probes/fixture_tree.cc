// SPDX-License-Identifier: Apache-2.0
#include "tests/probes/fixture_tree.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace imageprobe::testing {

void LoadFixtureRoot(std::string_view fixture, MemoryFs& fs) {
  namespace stdfs = std::filesystem;
  stdfs::path root = stdfs::path(IMAGEPROBE_FIXTURES_DIR) / std::string(fixture) / "root";
  if (!stdfs::is_directory(root)) {
    ADD_FAILURE() << "fixture root missing: " << root;
    return;
  }
  for (auto it = stdfs::recursive_directory_iterator(root); it != stdfs::end(it); ++it) {
    // lexically: relative() would resolve the symlink being loaded.
    std::string guest = "/" + it->path().lexically_relative(root).generic_string();
    if (it->is_symlink()) {
      fs.Symlink(guest, stdfs::read_symlink(it->path()).string());
    } else if (it->is_directory()) {
      fs.Dir(guest);
    } else if (it->is_regular_file()) {
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      bool executable = (stdfs::status(it->path()).permissions() & stdfs::perms::owner_exec) !=
                        stdfs::perms::none;
      fs.File(guest, content.str(), {.mode = executable ? 0755u : 0644u});
    }
  }
}

}  // namespace imageprobe::testing
