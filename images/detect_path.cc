// SPDX-License-Identifier: Apache-2.0
// DetectPath: the I/O around the pure DetectFormat. Opens the input read-only (O_NOATIME where
// allowed, so even the access time of evidence is left alone), reads a bounded head and tail,
// detects, then runs the structural check for the detected format.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "images/byte_source.h"
#include "images/container_checks.h"
#include "images/format.h"
#include "images/tar_members.h"
#include "images/unique_fd.h"
#include "images/vmdk_descriptor.h"
#include "scanner/parse/text.h"

namespace imageprobe::images {
namespace {

std::string ErrnoReason(int err) {
  switch (err) {
    case ENOENT:
      return "no such file or directory";
    case EACCES:
    case EPERM:
      return "permission denied";
    case ENOTDIR:
      return "a path component is not a directory";
    default:
      return std::strerror(err);
  }
}

UniqueFd OpenReadOnly(int dir_fd, const char* path, int extra_flags) {
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | extra_flags;
  int fd = ::openat(dir_fd, path, flags | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = ::openat(dir_fd, path, flags);  // not the owner
  return UniqueFd(fd);
}

// Extents are looked up in the descriptor's own directory, by a single file name, without
// following symlinks: a descriptor cannot make us (or qemu) open anything else.
CheckResult CheckVmdkDescriptor(const std::string& path, std::string_view text, uint64_t size) {
  if (size > kHeadBytes) return std::unexpected("VMDK descriptor is larger than 128 KiB");
  VmdkDescriptor desc = ParseVmdkDescriptor(text);
  if (!desc.problems.empty()) return std::unexpected("VMDK descriptor " + desc.problems.front());
  if (desc.HasParent()) {
    return std::unexpected("VMDK delta disk with parent \"" + desc.parent_file_name_hint +
                           "\": backing chains are not supported");
  }
  if (desc.extents.empty()) return std::unexpected("VMDK descriptor lists no extents");
  std::string dir = std::filesystem::path(path).parent_path().string();
  UniqueFd dir_fd(::open(dir.empty() ? "." : dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd.valid()) return std::unexpected("descriptor directory: " + ErrnoReason(errno));
  for (const auto& extent : desc.extents) {
    std::string where = "extent \"" + extent.file + "\" (line " + std::to_string(extent.line) + ")";
    if (extent.type == "ZERO") continue;
    if (extent.type != "FLAT" && extent.type != "SPARSE" && extent.type != "VMFS") {
      return std::unexpected(where + ": extent type " + extent.type + " is not supported");
    }
    if (extent.file.empty() || extent.file == "." || extent.file == ".." ||
        extent.file.find('/') != std::string::npos) {
      return std::unexpected(where + " is outside the descriptor's directory: refused");
    }
    UniqueFd fd = OpenReadOnly(dir_fd.get(), extent.file.c_str(), O_NOFOLLOW | O_NONBLOCK);
    if (!fd.valid()) {
      if (errno == ENOENT) return std::unexpected(where + " is missing");
      if (errno == ELOOP) return std::unexpected(where + " is a symlink: refused");
      return std::unexpected(where + ": " + ErrnoReason(errno));
    }
    struct stat st;
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return std::unexpected(where + " is not a regular file");
    }
    FileSource source(fd.get(), static_cast<uint64_t>(st.st_size));
    if (extent.type == "SPARSE") {
      auto magic = source.Read(0, 4);
      if (!magic || *magic != "KDMV") {
        return std::unexpected(where + " is not a sparse VMDK extent");
      }
      auto checked = CheckVmdkSparse(source);
      if (!checked) return std::unexpected(where + ": " + checked.error());
    } else if ((extent.offset + extent.sectors) * 512 > source.size()) {
      return std::unexpected(where + " is truncated: " + std::to_string(source.size()) +
                             " bytes, the descriptor says " +
                             std::to_string((extent.offset + extent.sectors) * 512));
    }
  }
  return {};
}

// An uncompressed tar is an OVA when any member is an .ovf descriptor (the OVF spec wants it
// first, but exporters differ). Walking every header also proves the archive is complete.
// A compressed tar is not walked here (that would decompress all of it twice); the archive
// index reports its truncation when it is built.
std::expected<Detection, std::string> RefineTar(const std::string& path, Detection detection) {
  bool compressed = detection.format == Format::kTar && detection.name != "tar";
  if (compressed) return detection;
  auto members = ListTarMembers(path);
  if (!members) return std::unexpected(members.error());
  if (members->empty()) return std::unexpected("empty tar archive");
  bool ova = std::any_of(members->begin(), members->end(), [](const TarMember& m) {
    return m.regular && parse::ToLower(m.name).ends_with(".ovf");
  });
  if (ova) return Detection{Format::kOva, "ova", "OVF package", "", Backend::kGuestfs};
  if (detection.format == Format::kOva) {
    return std::unexpected("OVA without an .ovf descriptor member");
  }
  return detection;
}

// The detection and structural check of `source`: the file `path`, or a window of it when
// `whole_file` is false. A window is a disk inside an OVA: a VMDK descriptor there would name
// its extents as files next to the OVA, and a tar in it is not walked (the caller refuses
// both).
std::expected<Detection, std::string> DetectSource(const std::string& path,
                                                   const FileSource& source, bool whole_file) {
  const uint64_t size = source.size();
  auto head = source.Read(0, kHeadBytes);
  if (!head) return std::unexpected(head.error());
  uint64_t tail_start = size - std::min<uint64_t>(size, kTailBytes);
  auto tail = source.Read(tail_start, kTailBytes);
  if (!tail) return std::unexpected(tail.error());

  auto detection = DetectFormat(*head, *tail, size);
  if (!detection) return detection;
  switch (detection->format) {
    case Format::kVmdkDescriptor: {
      if (!whole_file)
        return std::unexpected("a VMDK descriptor, whose extents are separate files");
      auto checked = CheckVmdkDescriptor(path, *head, size);
      if (!checked) return std::unexpected(checked.error());
      return detection;
    }
    case Format::kTar:
    case Format::kOva:
      if (!whole_file) return detection;
      return RefineTar(path, *detection);
    default: {
      auto checked = CheckStructure(*detection, source);
      if (!checked) return std::unexpected(checked.error());
      return detection;
    }
  }
}

}  // namespace

std::expected<Detection, std::string> DetectPath(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::unexpected(ErrnoReason(errno));
  if (S_ISDIR(st.st_mode)) {
    UniqueFd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) return std::unexpected(ErrnoReason(errno));
    return Detection{Format::kDirectory, "directory", "directory", "", Backend::kDirectory};
  }
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
    return std::unexpected("not a regular file, directory or block device");
  }
  UniqueFd fd = OpenReadOnly(AT_FDCWD, path.c_str(), 0);
  if (!fd.valid()) return std::unexpected(ErrnoReason(errno));
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (S_ISBLK(st.st_mode)) {
    off_t end = ::lseek(fd.get(), 0, SEEK_END);
    if (end < 0) return std::unexpected(ErrnoReason(errno));
    size = static_cast<uint64_t>(end);
  }
  FileSource source(fd.get(), size);
  return DetectSource(path, source, true);
}

std::expected<Detection, std::string> DetectRange(const std::string& path, uint64_t offset,
                                                  uint64_t length) {
  UniqueFd fd = OpenReadOnly(AT_FDCWD, path.c_str(), 0);
  if (!fd.valid()) return std::unexpected(ErrnoReason(errno));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return std::unexpected(ErrnoReason(errno));
  if (offset > static_cast<uint64_t>(st.st_size) ||
      length > static_cast<uint64_t>(st.st_size) - offset) {
    return std::unexpected(Truncated("the disk", offset + length, st.st_size).error());
  }
  FileSource source(fd.get(), length, offset);
  return DetectSource(path, source, false);
}

}  // namespace imageprobe::images
