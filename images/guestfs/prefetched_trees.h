// SPDX-License-Identifier: Apache-2.0
// The trees a GuestfsFs holds in memory after a prefetch, and the memory budget they share with
// the view's cache of small whole files.
//
// A tree is an ArchiveIndex (the archive backend's index) covering one guest directory and
// everything below it: every path under a covered prefix is answered from the index, a path
// missing there does not exist. Several prefixes may share one index (one tar_out of their
// common ancestor, everything else excluded), so the index is looked up by the longest covered
// prefix of a path.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "images/archive_index.h"

namespace imageprobe::images {

// File contents kept in memory by one view, per file and for prefetched trees and cached whole
// reads together. A larger file keeps its metadata and is read from the appliance when asked for.
inline constexpr uint64_t kMaxInlineFileBytes = 4ull << 20;
inline constexpr uint64_t kMaxInlineTotalBytes = 128ull << 20;

class InlineBudget {
 public:
  explicit InlineBudget(uint64_t limit = kMaxInlineTotalBytes) : limit_(limit) {}
  bool Fits(uint64_t bytes) const { return used_ + bytes <= limit_; }
  uint64_t remaining() const { return used_ < limit_ ? limit_ - used_ : 0; }
  void Take(uint64_t bytes) { used_ += bytes; }

 private:
  uint64_t limit_;
  uint64_t used_ = 0;
};

class PrefetchedTrees {
 public:
  // The index of the prefetched tree covering `path` (normalised, absolute), or nullptr.
  const ArchiveIndex* Covering(std::string_view path) const;
  // `prefix` (a directory of `index`) is answered from `index` from now on; a prefix already
  // covered keeps its first index.
  void Cover(std::string prefix, std::shared_ptr<const ArchiveIndex> index);
  bool empty() const { return covered_.empty(); }
  std::vector<std::string> prefixes() const;

 private:
  std::map<std::string, std::shared_ptr<const ArchiveIndex>, std::less<>> covered_;
};

}  // namespace imageprobe::images
