// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/tree_snapshot.h"

#include <optional>

#include "scanner/core/guest_path.h"

namespace imageprobe::images {
namespace {

class TreeCopier {
 public:
  TreeCopier(const Filesystem& fs, ArchiveIndex& index) : fs_(fs), index_(index) {}

  // Depth-first, every entry placed before the walk goes below it.
  std::expected<void, std::string> AddDirectory(const std::string& fs_dir,
                                                const std::string& guest_dir, int depth) {
    if (depth > kMaxTreeDepth) {
      return std::unexpected(guest_dir + ": more than " + std::to_string(kMaxTreeDepth) +
                             " nested directories");
    }
    auto entries = fs_.List(fs_dir);
    if (!entries) {
      if (entries.error().code == FsErrc::kLimit) return std::unexpected(TooMany());
      return std::unexpected(entries.error().Message());
    }
    // A hostile directory of millions of entries stops here, before any is placed.
    if (entries->size() > index_.limits().max_entries) return std::unexpected(TooMany());
    for (const DirEntry& entry : *entries) {
      if (index_.size() >= index_.limits().max_entries) return std::unexpected(TooMany());
      const std::string fs_path = JoinGuestPath(fs_dir, entry.name);
      const std::string guest_path = JoinGuestPath(guest_dir, entry.name);
      FileStat st = AsTarRecordsIt(entry.stat);
      std::string target;
      std::optional<std::string> content;
      if (st.IsSymlink()) {
        auto read = fs_.ReadLink(fs_path);
        if (!read) return std::unexpected(read.error().Message());
        target = std::move(*read);
      } else if (st.IsRegular() && index_.KeepsContent(st.size)) {
        auto read = fs_.ReadAt(fs_path, 0, st.size);
        if (!read) return std::unexpected(read.error().Message());
        content = std::move(*read);
      }
      index_.AddEntry(guest_path, st, std::move(target), std::move(content));
      if (st.IsDirectory()) {
        if (auto added = AddDirectory(fs_path, guest_path, depth + 1); !added) return added;
      }
    }
    return {};
  }

  static FileStat AsTarRecordsIt(FileStat st) {
    if (!st.IsRegular() && !st.IsSymlink()) st.size = 0;
    return st;
  }

 private:
  std::string TooMany() const {
    return "more than " + std::to_string(index_.limits().max_entries) + " entries";
  }

  const Filesystem& fs_;
  ArchiveIndex& index_;
};

}  // namespace

std::expected<void, std::string> SnapshotTree(const Filesystem& fs, std::string_view dir_in_fs,
                                              std::string_view guest_dir, ArchiveIndex& index) {
  const std::string top = NormalizeGuestPath(dir_in_fs);
  auto st = fs.Lstat(top);
  if (!st) return std::unexpected(st.error().Message());
  if (!st->IsDirectory()) return std::unexpected(top + ": not a directory");
  const std::string guest = NormalizeGuestPath(guest_dir);
  TreeCopier copier(fs, index);
  index.AddEntry(guest, TreeCopier::AsTarRecordsIt(*st), "", {});
  return copier.AddDirectory(top, guest, 0);
}

}  // namespace imageprobe::images
