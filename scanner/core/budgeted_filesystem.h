// SPDX-License-Identifier: Apache-2.0
// A Filesystem decorator that enforces the per-root limits every backend shares: the total bytes
// read, the entries one listing may return, the symlink hop limit, and the running probe's time
// budget. Wrapping here means a backend cannot forget them.
//
// The time budget is cooperative: a probe is ordinary code on the caller's thread and cannot be
// stopped from outside, but everything a probe can spend unbounded time on goes through this
// view (the parsers are pure and bounded by the bytes they are given). Once the deadline has
// passed every call fails with kLimit, so a probe walking a huge or looping tree runs out of
// work at once, reports what it could not read, and returns.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "scanner/core/filesystem.h"

namespace imageprobe {

class BudgetedFilesystem final : public Filesystem {
 public:
  using Clock = std::chrono::steady_clock;

  BudgetedFilesystem(const Filesystem& inner, uint64_t max_total_bytes, uint32_t max_dir_entries,
                     uint32_t max_symlink_hops);

  FsResult<FileStat> Lstat(std::string_view path) const override;
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override;
  FsResult<std::string> ReadLink(std::string_view path) const override;
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return inner_.Describe(); }

  uint64_t bytes_read() const { return bytes_read_; }

  // Every call after `deadline` fails with kLimit, naming `budget`. Set before each probe.
  void SetDeadline(Clock::time_point deadline, std::chrono::milliseconds budget);
  // Whether a call was refused because the deadline had passed, since the last SetDeadline.
  bool deadline_hit() const { return deadline_hit_; }

 private:
  std::optional<FsError> OverDeadline(std::string_view path) const;

  const Filesystem& inner_;
  uint64_t max_total_bytes_;
  uint32_t max_dir_entries_;
  mutable std::atomic<uint64_t> bytes_read_{0};
  std::optional<Clock::time_point> deadline_;
  std::chrono::milliseconds budget_{0};
  mutable std::atomic<bool> deadline_hit_{false};
};

}  // namespace imageprobe
