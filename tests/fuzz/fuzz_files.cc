// SPDX-License-Identifier: Apache-2.0
#include "tests/fuzz/fuzz_files.h"

#include <cstdio>
#include <cstdlib>

#include "scanner/core/guest_path.h"

namespace imageprobe::fuzz {

std::vector<FuzzFile> SplitFuzzFiles(std::string_view data, std::string_view first_path) {
  // Bounded so that a megabyte of markers cannot make a tree of a million files.
  constexpr size_t kMaxFiles = 256;
  std::vector<FuzzFile> files;
  FuzzFile current{std::string(first_path), ""};
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    size_t next = end == std::string_view::npos ? data.size() : end + 1;
    std::string_view line = data.substr(pos, next - pos);
    std::string_view path = line.substr(0, line.find('\n'));
    if (line.starts_with(kFileMarker) && files.size() < kMaxFiles) {
      path.remove_prefix(kFileMarker.size());
      if (path.starts_with('/') && path.size() > 1) {
        if (!current.path.empty()) files.push_back(std::move(current));
        current = FuzzFile{std::string(path), ""};
        pos = next;
        continue;
      }
    }
    current.content.append(line);
    pos = next;
  }
  if (!current.path.empty()) files.push_back(std::move(current));
  return files;
}

void AddFuzzFiles(testing::MemoryFs& fs, const std::vector<FuzzFile>& files) {
  for (const FuzzFile& file : files) {
    std::string path = NormalizeGuestPath(file.path);
    if (path == "/") continue;
    bool blocked = false;
    for (std::string dir = GuestDirname(path); !blocked && dir != "/"; dir = GuestDirname(dir)) {
      auto stat = fs.Lstat(dir);
      blocked = stat.has_value() && stat->type != FileType::kDirectory;
    }
    if (blocked || fs.Lstat(path).has_value()) continue;
    fs.File(path, file.content);
  }
}

void Fail(std::string_view what) {
  std::fprintf(stderr, "invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace imageprobe::fuzz
