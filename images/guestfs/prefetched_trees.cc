// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/prefetched_trees.h"

namespace imageprobe::images {

const ArchiveIndex* PrefetchedTrees::Covering(std::string_view path) const {
  if (covered_.empty()) return nullptr;
  std::string_view p = path;
  for (;;) {
    if (auto it = covered_.find(p); it != covered_.end()) return it->second.get();
    if (p.size() <= 1) return nullptr;
    size_t slash = p.rfind('/');
    if (slash == std::string_view::npos) return nullptr;
    p = slash == 0 ? std::string_view("/") : p.substr(0, slash);
  }
}

void PrefetchedTrees::Cover(std::string prefix, std::shared_ptr<const ArchiveIndex> index) {
  covered_.emplace(std::move(prefix), std::move(index));
}

std::vector<std::string> PrefetchedTrees::prefixes() const {
  std::vector<std::string> out;
  for (const auto& [prefix, index] : covered_) out.push_back(prefix);
  return out;
}

}  // namespace imageprobe::images
