// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/bulk_homes.h"

#include <algorithm>
#include <map>
#include <set>

#include "scanner/core/guest_path.h"

namespace imageprobe::images {

std::vector<std::string> CrowdedHomeParents(std::span<const std::string> homes, size_t min_homes) {
  std::map<std::string, size_t> counts;
  for (const auto& home : std::set<std::string>(homes.begin(), homes.end())) {
    if (home == "/") continue;
    ++counts[GuestDirname(home)];
  }
  std::vector<std::string> out;
  for (const auto& [parent, count] : counts) {
    if (parent == "/" || count < min_homes) continue;
    // Sorted: a parent inside an earlier one comes right after it.
    if (!out.empty() && GuestPathWithin(parent, out.back())) continue;
    // A home holding other homes (/home/admin with /home/admin/x): the outer tree is the
    // wanted one; nested parents are unusual enough to be left to the ordinary path.
    bool inside_home = std::any_of(homes.begin(), homes.end(), [&](const std::string& home) {
      return home != "/" && home != parent && GuestPathWithin(parent, home);
    });
    if (!inside_home) out.push_back(parent);
  }
  return out;
}

std::string GlobLiteralPrefix(std::string_view pattern) {
  std::string out = "/";
  for (const auto& part : SplitGuestPath(pattern)) {
    if (part.find_first_of("*?[\\") != std::string::npos) break;
    out = JoinGuestPath(out, part);
  }
  return out;
}

}  // namespace imageprobe::images
