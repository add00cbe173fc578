// SPDX-License-Identifier: Apache-2.0
// Pure helpers of the prefetch planner's bulk path (prefetch_planner.h) for images with many
// homes: which directories hold enough homes to be fetched whole (one read instead of calls per
// home), and which prefix of a pattern is literal (a glob under a fetched tree needs no
// appliance call: the tree is already in memory).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::images {

// The directories directly holding at least `min_homes` of `homes` (normalised absolute guest
// paths), sorted, never "/" (streaming the whole root is not a prefetch) and never one inside
// another listed directory or inside one of `homes`.
std::vector<std::string> CrowdedHomeParents(std::span<const std::string> homes, size_t min_homes);

// The leading components of a guest path pattern that hold no glob character, as a normalised
// path: "/home/*/.ssh" -> "/home", "/etc/ssh" -> "/etc/ssh", "/a/b?c/d" -> "/a", "*" -> "/".
std::string GlobLiteralPrefix(std::string_view pattern);

}  // namespace imageprobe::images
