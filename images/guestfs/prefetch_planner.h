// SPDX-License-Identifier: Apache-2.0
// What a GuestfsFs fetches in bulk before the probes run, so that the trees they read cost a
// few appliance calls instead of several per file:
//  - "~/REST" patterns become REST under every home /etc/passwd names (passwd_homes.h);
//  - a directory directly holding many of those homes (/home on a shared host) is fetched whole
//    (bulk_homes.h), so 5,000 homes cost one read, not several calls each;
//  - every other tree it is given (/etc/ssh, /home/*/.ssh …) comes in ONE tar_out of their
//    common ancestor with everything else excluded, and one by one if that fails. The excludes
//    need the listings of the directories on the way: one readdir + lstatnslist per home when
//    /home could not be fetched whole (lstatnslist cannot take "home/name" to list every home
//    at once: libguestfs refuses names with a "/").
// Trees are only fetched through real directories: glob_expand and tar follow symlinks inside
// the appliance, our contract does not, so a match under a symlinked component is left to the
// resolver. A tree that matches nothing, fails, or is over the budgets is simply not covered:
// ordinary calls serve it.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "images/guestfs/appliance_view.h"
#include "images/guestfs/prefetched_trees.h"
#include "images/guestfs/tree_fetcher.h"

namespace imageprobe::images {

class PrefetchPlanner {
 public:
  PrefetchPlanner(ApplianceView& appliance, PrefetchedTrees& trees, TreeFetcher& fetcher)
      : appliance_(appliance), trees_(trees), fetcher_(fetcher) {}

  // Fetches the trees named by `patterns`: guest paths or globs ("/etc/ssh", "/home/*/.ssh"),
  // or "~/REST" for REST under every home. Returns the problems met (never fatal).
  std::vector<std::string> Prefetch(std::span<const std::string> patterns);

  // A directory directly holding at least this many /etc/passwd homes is fetched whole.
  static constexpr size_t kBulkMinHomes = 16;

 private:
  std::vector<std::string> PasswdHomes();
  bool FetchTree(const std::string& dir, std::vector<std::string>& problems);
  // `dir` (a real directory holding many homes) whole, when it fits the budgets.
  void FetchWhole(const std::string& dir, std::vector<std::string>& problems);
  // The trees `dirs` (real directories), all in ONE tar_out of their common ancestor with
  // everything else excluded; one by one if that fails.
  bool FetchTrees(std::vector<std::string> dirs, std::vector<std::string>& problems);

  ApplianceView& appliance_;
  PrefetchedTrees& trees_;
  TreeFetcher& fetcher_;
};

}  // namespace imageprobe::images
