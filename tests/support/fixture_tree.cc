// SPDX-License-Identifier: Apache-2.0
#include "tests/support/fixture_tree.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace imageprobe::testing {

namespace fs = std::filesystem;

fs::path FixturesDir() { return fs::path(IMAGEPROBE_FIXTURES_DIR); }

void LoadFixtureTree(const fs::path& host_root, MemoryFs& memory) {
  if (!fs::is_directory(host_root)) {
    throw std::runtime_error("fixture tree missing: " + host_root.string());
  }
  for (auto it = fs::recursive_directory_iterator(host_root);
       it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& host = it->path();
    // lexically: fs::relative() would resolve the very symlink being loaded.
    std::string guest = "/" + host.lexically_relative(host_root).generic_string();
    auto status = it->symlink_status();
    auto mode = static_cast<uint32_t>(status.permissions()) & 07777;
    if (fs::is_symlink(status)) {
      memory.Symlink(guest, fs::read_symlink(host).string());
      it.disable_recursion_pending();
    } else if (fs::is_directory(status)) {
      memory.Dir(guest, {.mode = mode});
    } else if (fs::is_regular_file(status)) {
      std::ifstream in(host, std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      memory.File(guest, content.str(), {.mode = mode});
    }
  }
}

std::vector<std::string> ReadLines(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    lines.push_back(line);
  }
  return lines;
}

void LoadFixtureRoot(std::string_view fixture, MemoryFs& fs) {
  LoadFixtureTree(FixturesDir() / std::string(fixture) / "root", fs);
}

std::vector<std::string> FixtureRoots() {
  const std::filesystem::path base = testing::FixturesDir();
  std::vector<std::string> roots;
  auto consider = [&](const std::filesystem::path& dir) {
    if (std::filesystem::is_directory(dir / "root/etc")) {
      roots.push_back(std::filesystem::relative(dir / "root", base).string());
    } else if (std::filesystem::is_directory(dir / "etc")) {
      roots.push_back(std::filesystem::relative(dir, base).string());
    }
  };
  for (const auto& entry : std::filesystem::directory_iterator(base)) {
    consider(entry.path());
    if (entry.is_directory() &&
        (entry.path().filename() == "sshd" || entry.path().filename() == "demo")) {
      for (const auto& sub : std::filesystem::directory_iterator(entry.path()))
        consider(sub.path());
    }
  }
  std::ranges::sort(roots);
  return roots;
}

}  // namespace imageprobe::testing
