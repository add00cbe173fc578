// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/prefetch_planner.h"

#include <algorithm>
#include <set>

#include "images/guestfs/bulk_homes.h"
#include "images/guestfs/passwd_homes.h"
#include "images/guestfs/tar_stream.h"
#include "scanner/core/guest_path.h"

namespace imageprobe::images {
namespace {

// /etc/passwd read to expand "~/" patterns.
constexpr uint64_t kMaxPasswdBytes = 16ull << 20;

bool HasGlobChars(std::string_view s) { return s.find_first_of("*?[\\") != std::string_view::npos; }

}  // namespace

std::vector<std::string> PrefetchPlanner::PasswdHomes() {
  const std::string passwd = "/etc/passwd";
  FsResult<std::string> text = FsFail(FsErrc::kNotFound, passwd);
  if (const ArchiveIndex* index = trees_.Covering(passwd)) {
    const auto* node = index->Find(passwd);
    if (node != nullptr && node->stat.IsRegular() && node->content_kept()) {
      text = index->Read(passwd, 0, kMaxPasswdBytes);
    }
  } else if (auto st = appliance_.Lstat(passwd);
             st && st->IsRegular() && st->size <= kMaxPasswdBytes) {
    text = appliance_.Read(passwd, 0, kMaxPasswdBytes);
  }
  if (!text) return {};  // the probes report a missing or unreadable passwd themselves
  return HomesFromPasswd(*text);
}

bool PrefetchPlanner::FetchTree(const std::string& dir, std::vector<std::string>& problems) {
  auto index = fetcher_.Whole(dir, problems);
  if (!index) {
    problems.push_back(index.error() + "; read file by file");
    return false;
  }
  trees_.Cover(dir, std::move(*index));
  return true;
}

void PrefetchPlanner::FetchWhole(const std::string& dir, std::vector<std::string>& problems) {
  if (trees_.Covering(dir) != nullptr) return;
  // As for any prefetched tree: never through a symlinked component (the appliance would
  // follow it), so a symlinked /home is left to the resolver.
  if (!appliance_.AncestorsAreDirectories(dir)) return;
  auto st = appliance_.Lstat(dir);
  if (!st || !st->IsDirectory()) return;
  auto index = fetcher_.Whole(dir, problems);
  if (!index) {
    problems.push_back(index.error() + "; the homes under it are read one by one");
    return;
  }
  trees_.Cover(dir, std::move(*index));
}

bool PrefetchPlanner::FetchTrees(std::vector<std::string> dirs,
                                 std::vector<std::string>& problems) {
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  std::vector<std::string> wanted;  // without those inside another
  for (const auto& dir : dirs) {
    if (trees_.Covering(dir) != nullptr) continue;
    if (!wanted.empty() && GuestPathWithin(dir, wanted.back())) continue;
    wanted.push_back(dir);
  }
  if (wanted.empty()) return true;
  if (wanted.size() == 1) return FetchTree(wanted.front(), problems);

  // One tar_out of the common ancestor, without every entry of the directories on the way that
  // is neither a wanted tree nor on the way to one. Those directories are listed (most already
  // are: AncestorsAreDirectories listed them). None of them is covered: a covered directory
  // covers every wanted tree below it.
  std::string top = wanted.front();
  for (const auto& dir : wanted) {
    while (!GuestPathWithin(dir, top)) top = GuestDirname(top);
  }
  std::set<std::string> on_the_way;
  for (const auto& dir : wanted) {
    for (std::string d = GuestDirname(dir);; d = GuestDirname(d)) {
      if (!GuestPathWithin(d, top)) break;
      on_the_way.insert(d);
      if (d == top) break;
    }
  }
  const std::set<std::string> keep(wanted.begin(), wanted.end());
  std::vector<std::string> excludes;
  bool ok = true;
  for (const auto& dir : on_the_way) {
    auto entries = appliance_.List(dir);
    if (!entries) {
      ok = false;
      break;
    }
    for (const auto& entry : *entries) {
      std::string path = JoinGuestPath(dir, entry.name);
      if (keep.contains(path) || on_the_way.contains(path)) continue;
      if (path.find('\n') != std::string::npos) {  // tar's exclude file is one line per name
        ok = false;
        break;
      }
      excludes.push_back(TarExclude(top == "/" ? path.substr(1) : path.substr(top.size() + 1)));
    }
    if (!ok) break;
  }
  if (ok) {
    auto index = fetcher_.Streamed(top, excludes);
    if (index) {
      std::shared_ptr<const ArchiveIndex> shared = std::move(*index);
      for (const auto& dir : wanted) {
        const auto* node = shared->Find(dir);
        if (node != nullptr && node->stat.IsDirectory()) trees_.Cover(dir, shared);
      }
      return true;
    }
    problems.push_back(index.error() + "; fetching the trees one by one");
  }
  bool all = true;
  for (const auto& dir : wanted) all = FetchTree(dir, problems) && all;
  return all;
}

std::vector<std::string> PrefetchPlanner::Prefetch(std::span<const std::string> patterns) {
  std::vector<std::string> problems;
  // "~/REST" is REST under every home in /etc/passwd (homes outside /home included).
  std::vector<std::string> home_rests;
  std::vector<std::string> singles;
  for (const auto& pattern : patterns) {
    if (pattern.starts_with("~/")) {
      std::string rest = NormalizeGuestPath(std::string_view(pattern).substr(1)).substr(1);
      if (!rest.empty() && !HasGlobChars(rest)) home_rests.push_back(rest);
      continue;
    }
    singles.push_back(NormalizeGuestPath(pattern));
  }
  if (!home_rests.empty()) {
    std::vector<std::string> homes = PasswdHomes();
    for (const auto& home : homes) {
      for (const auto& rest : home_rests) singles.push_back(JoinGuestPath(home, rest));
    }
    // Many homes in one directory (/home on a shared host): that directory in ONE read, so
    // that nothing under it costs a call per home. Typical homes are nearly empty; when the
    // stream passes its budget it is cancelled and the homes take the per-home path below.
    for (const auto& parent : CrowdedHomeParents(homes, kBulkMinHomes)) {
      FetchWhole(parent, problems);
    }
  }

  std::vector<std::string> dirs;
  for (const auto& pattern : singles) {
    // Under a tree already in memory (a streamed /home): globs and lookups are answered there.
    if (trees_.Covering(GlobLiteralPrefix(pattern)) != nullptr) continue;
    std::vector<std::string> matches;
    if (HasGlobChars(pattern)) {
      matches = appliance_.Glob(pattern);
    } else {
      matches.push_back(pattern);
    }
    for (auto& match : matches) {
      match = NormalizeGuestPath(match);  // glob_expand adds a trailing "/" to directories
      // glob_expand follows symlinks inside the appliance; our contract does not, so a match
      // reached through a symlinked component is left to the resolver.
      if (!appliance_.AncestorsAreDirectories(match)) continue;
      auto st = appliance_.Lstat(match);
      if (st && st->IsDirectory()) dirs.push_back(match);
    }
  }
  FetchTrees(std::move(dirs), problems);
  return problems;
}

}  // namespace imageprobe::images
