// SPDX-License-Identifier: Apache-2.0
// The read-only view of one guest filesystem tree that every probe reads through.
//
// Contract for backends (DirectoryFs, ArchiveFs, GuestfsFs, and whatever comes next):
//  - Paths are guest-absolute and already normalised ("/etc/ssh/sshd_config"): no "." or "..",
//    no repeated or trailing "/".
//  - The four primitives never follow a symlink in ANY component of the path. A path whose
//    parent is a symlink is the caller's bug; backends answer kNotFound or kNotDirectory.
//    Following links is done once, here, by Resolve(), which keeps every hop inside the
//    image root. That is what makes "a symlink to /etc/shadow" read the guest's file, never
//    the host's.
//  - Nothing is ever written, and reads are always bounded by the caller's byte count.
//
// To add a backend: implement the four primitives. Probes use only the non-virtual helpers
// (Stat, ReadFile, ListDir, Resolve), which are built on the primitives.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe {

enum class FsErrc {
  kNotFound,
  kNotDirectory,
  kNotRegular,   // a read of a directory, device, fifo or socket
  kTooLarge,     // over the caller's byte limit
  kEscapesRoot,  // reserved for backends that detect an escape attempt themselves
  kSymlinkLoop,  // more hops than the limit
  kPermission,
  kLimit,  // a resource limit (entries per directory, total bytes) was reached
  kIo,
};
std::string_view FsErrcName(FsErrc code);

struct FsError {
  FsErrc code = FsErrc::kIo;
  std::string path;    // guest path the error is about
  std::string detail;  // backend wording, may be empty
  // "/etc/shadow: not found" or "/etc/x: too large (2147483648 bytes > limit 16777216)"
  std::string Message() const;
};

template <class T>
using FsResult = std::expected<T, FsError>;

inline std::unexpected<FsError> FsFail(FsErrc code, std::string_view path,
                                       std::string detail = {}) {
  return std::unexpected(FsError{code, std::string(path), std::move(detail)});
}

enum class FileType : uint8_t {
  kRegular,
  kDirectory,
  kSymlink,
  kCharDevice,
  kBlockDevice,
  kFifo,
  kSocket,
  kUnknown,
};
std::string_view FileTypeName(FileType type);

struct FileStat {
  FileType type = FileType::kUnknown;
  uint32_t mode = 0;  // permission bits with setuid/setgid/sticky: st_mode & 07777
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  int64_t mtime = 0;  // seconds since the epoch

  bool IsRegular() const { return type == FileType::kRegular; }
  bool IsDirectory() const { return type == FileType::kDirectory; }
  bool IsSymlink() const { return type == FileType::kSymlink; }
};

struct DirEntry {
  std::string name;  // a single component, never "." or ".."
  FileStat stat;     // lstat of the entry: symlinks are reported as symlinks
};

class Filesystem {
 public:
  virtual ~Filesystem() = default;

  // --- primitives (see the contract above) ---
  virtual FsResult<FileStat> Lstat(std::string_view path) const = 0;
  // Entries sorted by name. Fails with kLimit beyond the backend's entry cap.
  virtual FsResult<std::vector<DirEntry>> List(std::string_view dir) const = 0;
  virtual FsResult<std::string> ReadLink(std::string_view path) const = 0;
  // Up to `length` bytes of the regular file at `path` starting at `offset`.
  virtual FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                                       uint64_t length) const = 0;
  // One line for messages: "directory /srv/root", "ext4 on /dev/sda1 (guestfs)".
  virtual std::string Describe() const = 0;

  // --- what probes use ---
  // The physical path `path` names, with every symlink resolved inside the image: absolute
  // targets are re-rooted at the image root, ".." stops at "/", and more than
  // max_symlink_hops() hops fail with kSymlinkLoop. The final component must exist.
  FsResult<std::string> Resolve(std::string_view path) const;
  // Like Resolve, but a missing final component is fine (returns the path it would have).
  FsResult<std::string> ResolveParent(std::string_view path) const;
  FsResult<FileStat> Stat(std::string_view path) const;  // follows symlinks (inside the image)
  FsResult<std::vector<DirEntry>> ListDir(std::string_view dir) const;  // follows symlinks
  // The whole content of a regular file (following symlinks). kTooLarge when its size is over
  // max_bytes (the file is not read at all then), kNotRegular for devices, fifos, directories.
  FsResult<std::string> ReadFile(std::string_view path, uint64_t max_bytes) const;
  // The first `length` bytes (or fewer) of a regular file, following symlinks.
  FsResult<std::string> ReadHead(std::string_view path, uint64_t length) const;
  bool Exists(std::string_view path) const { return Lstat(path).has_value(); }

  uint32_t max_symlink_hops() const { return max_symlink_hops_; }
  void set_max_symlink_hops(uint32_t hops) { max_symlink_hops_ = hops; }

 private:
  FsResult<std::string> ResolveImpl(std::string_view path, bool final_may_be_missing) const;
  uint32_t max_symlink_hops_ = 40;  // Linux's own MAXSYMLINKS
};

}  // namespace imageprobe
