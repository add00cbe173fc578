// SPDX-License-Identifier: Apache-2.0
// The one symlink resolver every backend shares, so that confinement to the image root is
// implemented (and tested) once.
#include "scanner/core/filesystem.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "scanner/core/guest_path.h"

namespace imageprobe {

std::string_view FsErrcName(FsErrc code) {
  switch (code) {
    case FsErrc::kNotFound:
      return "not found";
    case FsErrc::kNotDirectory:
      return "not a directory";
    case FsErrc::kNotRegular:
      return "not a regular file";
    case FsErrc::kTooLarge:
      return "too large";
    case FsErrc::kEscapesRoot:
      return "escapes the image root";
    case FsErrc::kSymlinkLoop:
      return "too many levels of symbolic links";
    case FsErrc::kPermission:
      return "permission denied";
    case FsErrc::kLimit:
      return "resource limit reached";
    case FsErrc::kIo:
      return "I/O error";
  }
  return "error";
}

std::string_view FileTypeName(FileType type) {
  switch (type) {
    case FileType::kRegular:
      return "file";
    case FileType::kDirectory:
      return "directory";
    case FileType::kSymlink:
      return "symlink";
    case FileType::kCharDevice:
      return "char-device";
    case FileType::kBlockDevice:
      return "block-device";
    case FileType::kFifo:
      return "fifo";
    case FileType::kSocket:
      return "socket";
    case FileType::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string FsError::Message() const {
  std::string msg = path + ": " + std::string(FsErrcName(code));
  if (!detail.empty()) msg += " (" + detail + ")";
  return msg;
}

FsResult<std::string> Filesystem::ResolveImpl(std::string_view path,
                                              bool final_may_be_missing) const {
  // Every probe's every Stat, ReadFile and ListDir comes through here, so the walk keeps one
  // path string that grows and shrinks by a component instead of joining and normalising the
  // whole path again at each step (which was a third of an empty-tree probe run).
  // Components still to walk, the next one last: a symlink's target is pushed on top.
  std::vector<std::string> pending = SplitGuestPath(path);
  std::ranges::reverse(pending);
  std::string resolved;  // physical path walked so far ("" for the root), no symlink in it
  uint32_t hops = 0;

  while (!pending.empty()) {
    std::string part = std::move(pending.back());
    pending.pop_back();
    if (part == ".") continue;
    if (part == "..") {  // clamped at the root, like chroot
      size_t slash = resolved.rfind('/');
      resolved.resize(slash == std::string::npos ? 0 : slash);
      continue;
    }
    const size_t parent_size = resolved.size();
    resolved += '/';
    resolved += part;
    auto st = Lstat(resolved);
    if (!st) {
      if (st.error().code == FsErrc::kNotFound && pending.empty() && final_may_be_missing) {
        return resolved;
      }
      return std::unexpected(st.error());
    }
    if (!st->IsSymlink()) {
      if (!pending.empty() && !st->IsDirectory()) {
        return FsFail(FsErrc::kNotDirectory, resolved);
      }
      continue;
    }
    if (++hops > max_symlink_hops_) {
      return FsFail(FsErrc::kSymlinkLoop, NormalizeGuestPath(path),
                    "more than " + std::to_string(max_symlink_hops_) + " symlink hops");
    }
    auto target = ReadLink(resolved);
    if (!target) return std::unexpected(target.error());
    if (target->empty()) return FsFail(FsErrc::kNotFound, resolved, "empty symlink");
    // The link itself is not part of the physical path; an absolute target is re-rooted at
    // the image root, never at the host's.
    resolved.resize(target->front() == '/' ? 0 : parent_size);
    std::vector<std::string> parts = SplitGuestPath(*target);
    pending.insert(pending.end(), std::make_move_iterator(parts.rbegin()),
                   std::make_move_iterator(parts.rend()));
  }
  return resolved.empty() ? std::string("/") : resolved;
}

FsResult<std::string> Filesystem::Resolve(std::string_view path) const {
  return ResolveImpl(path, false);
}

FsResult<std::string> Filesystem::ResolveParent(std::string_view path) const {
  return ResolveImpl(path, true);
}

FsResult<FileStat> Filesystem::Stat(std::string_view path) const {
  auto real = Resolve(path);
  if (!real) return std::unexpected(real.error());
  return Lstat(*real);
}

FsResult<std::vector<DirEntry>> Filesystem::ListDir(std::string_view dir) const {
  auto real = Resolve(dir);
  if (!real) return std::unexpected(real.error());
  return List(*real);
}

FsResult<std::string> Filesystem::ReadFile(std::string_view path, uint64_t max_bytes) const {
  auto real = Resolve(path);
  if (!real) return std::unexpected(real.error());
  auto st = Lstat(*real);
  if (!st) return std::unexpected(st.error());
  if (!st->IsRegular()) {
    return FsFail(FsErrc::kNotRegular, path, std::string(FileTypeName(st->type)));
  }
  if (st->size > max_bytes) {
    return FsFail(FsErrc::kTooLarge, path,
                  std::to_string(st->size) + " bytes > limit " + std::to_string(max_bytes));
  }
  // Ask for one byte more than the stat size: a file that grew (or lied) is still bounded.
  auto data = ReadAt(*real, 0, st->size + 1);
  if (data && data->size() > max_bytes) {
    return FsFail(FsErrc::kTooLarge, path, "more than " + std::to_string(max_bytes) + " bytes");
  }
  return data;
}

FsResult<std::string> Filesystem::ReadHead(std::string_view path, uint64_t length) const {
  auto real = Resolve(path);
  if (!real) return std::unexpected(real.error());
  auto st = Lstat(*real);
  if (!st) return std::unexpected(st.error());
  if (!st->IsRegular()) {
    return FsFail(FsErrc::kNotRegular, path, std::string(FileTypeName(st->type)));
  }
  return ReadAt(*real, 0, length);
}

}  // namespace imageprobe
