// SPDX-License-Identifier: Apache-2.0
// Walks every member header of a tar file on disk (data skipped by seeking), which both finds
// an OVF descriptor anywhere in the archive and proves the archive reads to its end.
#pragma once

#include <expected>
#include <string>
#include <vector>

namespace imageprobe::images {

struct TarMember {
  std::string name;
  uint64_t size = 0;
  bool regular = false;
};

// Member headers in archive order; an error names libarchive's reason ("truncated tar
// archive"). Reads at most `max_members` headers.
std::expected<std::vector<TarMember>, std::string> ListTarMembers(const std::string& path,
                                                                  size_t max_members = 1'000'000);

}  // namespace imageprobe::images
