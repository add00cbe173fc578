// SPDX-License-Identifier: Apache-2.0
// References: glob(3), fnmatch(3) (FNM_PERIOD), servconf.c sInclude (glob(arg, 0, …)).
#include "probes/sshd/sshd_fs_source.h"

#include <fnmatch.h>

#include <algorithm>

#include "scanner/parse/text.h"

namespace imageprobe::probes {

std::string NormaliseGuestPath(std::string_view path) {
  std::vector<std::string_view> parts;
  for (std::string_view part : parse::SplitFields(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) {
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

std::expected<std::string, std::string> FilesystemConfigSource::Read(std::string_view path) const {
  FsResult<std::string> text = fs_.ReadFile(NormaliseGuestPath(path), limits_.max_file_bytes);
  if (!text) return std::unexpected(text.error().Message());
  return std::move(*text);
}

namespace {

bool HasGlobMeta(std::string_view component) {
  return component.find_first_of("*?[") != std::string_view::npos;
}

std::string Join(const std::string& dir, std::string_view name) {
  return dir == "/" ? "/" + std::string(name) : dir + "/" + std::string(name);
}

}  // namespace

std::vector<std::string> FilesystemConfigSource::Glob(std::string_view pattern) const {
  std::vector<std::string> current = {"/"};
  std::vector<std::string_view> components;
  for (std::string_view part : parse::SplitFields(pattern, '/')) {
    if (!part.empty() && part != ".") components.push_back(part);
  }
  for (std::string_view component : components) {
    std::vector<std::string> next;
    if (component == "..") {
      for (const std::string& dir : current) next.push_back(NormaliseGuestPath(dir + "/.."));
    } else if (!HasGlobMeta(component)) {
      for (const std::string& dir : current) next.push_back(Join(dir, component));
    } else {
      std::string wanted(component);
      for (const std::string& dir : current) {
        FsResult<std::vector<DirEntry>> entries = fs_.ListDir(dir);
        if (!entries) {
          // Not a directory, unreadable: glob skips it too. A limit is ours, not sshd's.
          if (entries.error().code == FsErrc::kLimit) limited_listings_.push_back(entries.error());
          continue;
        }
        for (const DirEntry& entry : *entries) {
          if (fnmatch(wanted.c_str(), entry.name.c_str(), FNM_PERIOD) == 0) {
            next.push_back(Join(dir, entry.name));
          }
          if (next.size() >= limits_.max_dir_entries) break;
        }
      }
    }
    current = std::move(next);
    if (current.empty()) return {};
  }
  // A path without wildcards is returned only when it exists, as glob(3) does.
  std::erase_if(current, [&](const std::string& path) {
    FsResult<std::string> physical = fs_.ResolveParent(path);
    return !physical || !fs_.Exists(*physical);
  });
  std::sort(current.begin(), current.end());
  current.erase(std::unique(current.begin(), current.end()), current.end());
  return current;
}

}  // namespace imageprobe::probes
