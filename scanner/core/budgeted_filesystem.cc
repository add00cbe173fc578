// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/budgeted_filesystem.h"

#include <algorithm>
#include <cstdio>

#include "scanner/core/cancel.h"

namespace imageprobe {

BudgetedFilesystem::BudgetedFilesystem(const Filesystem& inner, uint64_t max_total_bytes,
                                       uint32_t max_dir_entries, uint32_t max_symlink_hops)
    : inner_(inner), max_total_bytes_(max_total_bytes), max_dir_entries_(max_dir_entries) {
  set_max_symlink_hops(max_symlink_hops);
}

void BudgetedFilesystem::SetDeadline(Clock::time_point deadline, std::chrono::milliseconds budget) {
  deadline_ = deadline;
  budget_ = budget;
  deadline_hit_ = false;
}

std::optional<FsError> BudgetedFilesystem::OverDeadline(std::string_view path) const {
  if (CancelRequested()) return FsError{FsErrc::kLimit, std::string(path), "scan interrupted"};
  if (!deadline_ || Clock::now() <= *deadline_) return std::nullopt;
  deadline_hit_ = true;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3g", budget_.count() / 1000.0);
  return FsError{FsErrc::kLimit, std::string(path),
                 std::string("probe time budget of ") + seconds + " s used up"};
}

FsResult<FileStat> BudgetedFilesystem::Lstat(std::string_view path) const {
  if (auto late = OverDeadline(path)) return std::unexpected(std::move(*late));
  return inner_.Lstat(path);
}

FsResult<std::vector<DirEntry>> BudgetedFilesystem::List(std::string_view dir) const {
  if (auto late = OverDeadline(dir)) return std::unexpected(std::move(*late));
  auto entries = inner_.List(dir);
  if (entries && entries->size() > max_dir_entries_) {
    return FsFail(
        FsErrc::kLimit, dir,
        std::to_string(entries->size()) + " entries > limit " + std::to_string(max_dir_entries_));
  }
  return entries;
}

FsResult<std::string> BudgetedFilesystem::ReadLink(std::string_view path) const {
  if (auto late = OverDeadline(path)) return std::unexpected(std::move(*late));
  return inner_.ReadLink(path);
}

FsResult<std::string> BudgetedFilesystem::ReadAt(std::string_view path, uint64_t offset,
                                                 uint64_t length) const {
  if (auto late = OverDeadline(path)) return std::unexpected(std::move(*late));
  // Refuse rather than truncate: a silently shortened file would be parsed as if whole.
  uint64_t used = bytes_read_.load();
  if (length > max_total_bytes_ - std::min(used, max_total_bytes_)) {
    return FsFail(FsErrc::kLimit, path,
                  "total read budget of " + std::to_string(max_total_bytes_) + " bytes used up");
  }
  auto data = inner_.ReadAt(path, offset, length);
  if (data) bytes_read_ += data->size();
  return data;
}

}  // namespace imageprobe
