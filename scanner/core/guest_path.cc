// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/guest_path.h"

#include <fnmatch.h>

namespace imageprobe {

std::vector<std::string> SplitGuestPath(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

std::string NormalizeGuestPath(std::string_view path) {
  std::vector<std::string> kept;
  for (auto& part : SplitGuestPath(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(std::move(part));
  }
  std::string out;
  for (const auto& part : kept) {
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

std::string JoinGuestPath(std::string_view dir, std::string_view rel) {
  if (!rel.empty() && rel.front() == '/') return NormalizeGuestPath(rel);
  std::string joined(dir);
  joined += '/';
  joined += rel;
  return NormalizeGuestPath(joined);
}

std::string GuestDirname(std::string_view path) {
  std::string norm = NormalizeGuestPath(path);
  size_t slash = norm.rfind('/');
  return slash == 0 ? "/" : norm.substr(0, slash);
}

std::string GuestBasename(std::string_view path) {
  std::string norm = NormalizeGuestPath(path);
  return norm.substr(norm.rfind('/') + 1);
}

bool GuestPathWithin(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path.front() == '/';
  if (!path.starts_with(dir)) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

bool GuestGlobMatch(std::string_view pattern, std::string_view path) {
  return fnmatch(std::string(pattern).c_str(), std::string(path).c_str(), FNM_PATHNAME) == 0;
}

}  // namespace imageprobe
