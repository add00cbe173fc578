// SPDX-License-Identifier: Apache-2.0
// An in-memory index of a tar stream (plain or compressed), built once from the headers, that
// the archive backend serves a Filesystem from. Also the landing place for bulk reads of other
// backends: libguestfs `tar_out` of /etc is fed through AddFromMemory(bytes, "/etc").
//
// Member names become guest paths the way tar extraction into an empty root would place them,
// never outside it: leading "./" and "/" are dropped and ".." is clamped at the root (or at the
// mount prefix), so "../../etc/passwd" lands at /etc/passwd. A later member of the same name
// replaces an earlier one (last wins, like extraction). Missing parent directories are
// synthesised (0755, root). Hard links share their target's content as it was when the link
// was read; symlinks are recorded verbatim and followed by Filesystem::Resolve().
//
// Memory: regular-file contents up to Limits::max_inline_file_bytes are kept while the total
// stays under max_inline_total_bytes; larger files are re-read lazily by re-opening the archive
// and skipping to the member (bounded by the caller's length). A stream read once (AddFromFd: a
// pipe) cannot be re-read: its larger members keep their metadata but no content
// (Node::content_kept() is false) and the caller serves them some other way.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/filesystem.h"

struct archive;

namespace imageprobe::images {

// (At namespace scope: GCC rejects `= {}` defaults of a nested struct with member initialisers.)
struct ArchiveLimits {
  uint64_t max_inline_file_bytes = 1ull << 20;
  uint64_t max_inline_total_bytes = 256ull << 20;
  uint64_t max_entries = 2'000'000;
};

class ArchiveIndex {
 public:
  using Limits = ArchiveLimits;

  struct Node {
    FileStat stat;
    std::string symlink_target;
    // Regular-file content when kept in memory (shared with hard links to it).
    std::shared_ptr<const std::string> data;
    int source = -1;                 // where to re-read it otherwise
    uint64_t member = 0;             // ordinal of the member in that source
    std::set<std::string> children;  // directories: child names, sorted

    // False for a regular file whose content was over the limits of a one-pass stream.
    bool content_kept() const { return !stat.IsRegular() || data != nullptr || source >= 0; }
  };

  ArchiveIndex() = default;
  explicit ArchiveIndex(Limits limits) : limits_(limits) {}
  ArchiveIndex(ArchiveIndex&&) = default;
  ArchiveIndex& operator=(ArchiveIndex&&) = default;

  // A tar file on disk (any compression libarchive reads). Errors are one line.
  static std::expected<ArchiveIndex, std::string> FromFile(const std::string& path,
                                                           Limits limits = {});
  // A tar held in memory, placed under `mount_at` ("/" or "/etc").
  static std::expected<ArchiveIndex, std::string> FromMemory(std::string tar_bytes,
                                                             std::string_view mount_at,
                                                             Limits limits = {});
  // Adds another tar to this index (later members win over earlier ones, across calls too).
  std::expected<void, std::string> AddFromMemory(std::string tar_bytes, std::string_view mount_at);
  // Reads a tar stream from `fd` to its end, once (a pipe), placed under `mount_at`. Fails,
  // leaving a partly filled index, when the stream is corrupt or longer than `max_stream_bytes`
  // (it then stops reading: a writer on the other end of a pipe sees EPIPE).
  std::expected<void, std::string> AddFromFd(int fd, std::string_view mount_at,
                                             uint64_t max_stream_bytes);

  // Entries from elsewhere than a tar stream (a filesystem read on the host), placed as a tar
  // member of that path would be. A regular file brings its content only when
  // KeepsContent(size) said so; without it, as for a one-pass stream, content_kept() is false.
  bool KeepsContent(uint64_t size) const {
    return size <= limits_.max_inline_file_bytes &&
           inline_bytes_ + size <= limits_.max_inline_total_bytes;
  }
  void AddEntry(std::string_view path, FileStat stat, std::string symlink_target,
                std::optional<std::string> content);
  const Limits& limits() const { return limits_; }

  const Node* Find(std::string_view path) const;
  // Up to `length` bytes of the regular file at `path` from `offset`.
  FsResult<std::string> Read(std::string_view path, uint64_t offset, uint64_t length) const;

  size_t size() const { return nodes_.size(); }
  uint64_t inline_bytes() const { return inline_bytes_; }
  // Members that could not be placed ("a/b: parent a is not a directory"), in archive order.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  struct Source {
    std::string path;                          // a file, or
    std::shared_ptr<const std::string> bytes;  // an in-memory tar
  };
  std::expected<void, std::string> AddSource(Source source, std::string_view mount_at);
  // Indexes the members of an opened archive; `source_id` < 0: nothing can be re-read.
  std::expected<void, std::string> AddMembers(archive* a, int source_id, std::string_view mount_at);
  Node& EnsureDirectory(const std::string& path);
  void Erase(const std::string& path);
  void Place(const std::string& path, Node node);

  Limits limits_;
  std::map<std::string, Node, std::less<>> nodes_;
  std::vector<Source> sources_;
  uint64_t inline_bytes_ = 0;
  std::vector<std::string> problems_;
};

}  // namespace imageprobe::images
