// SPDX-License-Identifier: Apache-2.0
// References: lstat(2) (a path is present when lstat succeeds: a symlink counts as present,
// dangling or not, because that is what `test -e` on the link's name would not say but what a
// cleanup step that must delete the name has failed to do); path_resolution(7).
#include "probes/expect/path_presence_probe.h"

#include <nlohmann/json.hpp>
#include <set>

#include "probes/expect/path_presence_records.h"
#include "scanner/core/guest_path.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

struct PathFact {
  std::string path;
  bool present = false;
  std::string type;  // FileTypeName: "file", "directory", "symlink", … when present
  std::string mode;  // octal, when present
  uint32_t uid = 0;
  std::string target;  // symlink target, as stored
  std::string error;   // why presence could not be decided
};

void to_json(nlohmann::json& j, const PathFact& f) {
  j = {{"path", f.path}, {"present", f.present}};
  if (f.present) {
    j["type"] = f.type;
    j["mode"] = f.mode;
    j["uid"] = f.uid;
  }
  if (!f.target.empty()) j["target"] = f.target;
  if (!f.error.empty()) j["error"] = f.error;
}

PathFact Look(const Filesystem& fs, const std::string& path) {
  PathFact fact{.path = path};
  // Symlinks in the parent directories are followed (inside the image); the last component is
  // looked at itself, so a leftover symlink is found even when it points nowhere.
  // (Filesystem::ResolveParent would follow a final symlink, so resolve the directory alone.)
  size_t slash = path.rfind('/');
  std::string_view dir =
      slash == 0 ? std::string_view("/") : std::string_view(path).substr(0, slash);
  std::string_view name = std::string_view(path).substr(slash + 1);
  FsResult<std::string> physical = fs.Resolve(dir);
  if (physical && !name.empty()) {
    physical = (*physical == "/" ? std::string() : *physical) + "/" + std::string(name);
  }
  if (!physical) {
    if (physical.error().code != FsErrc::kNotFound &&
        physical.error().code != FsErrc::kNotDirectory) {
      fact.error = physical.error().Message();
    }
    return fact;
  }
  FsResult<FileStat> stat = fs.Lstat(*physical);
  if (!stat) {
    if (stat.error().code != FsErrc::kNotFound && stat.error().code != FsErrc::kNotDirectory) {
      fact.error = stat.error().Message();
    }
    return fact;
  }
  fact.present = true;
  fact.type = std::string(FileTypeName(stat->type));
  fact.mode = parse::OctalMode(stat->mode);
  fact.uid = stat->uid;
  if (stat->type == FileType::kSymlink) {
    if (auto target = fs.ReadLink(*physical)) fact.target = *target;
  }
  return fact;
}

}  // namespace

void PathPresenceProbe::Run(const Target& target, Output& out) const {
  std::set<std::string> paths;  // one fact per path, however it was spelled
  for (const std::string& path : paths_) paths.insert(NormalizeGuestPath(path));
  for (const std::string& normal : paths) {
    PathFact fact = Look(target.fs, normal);
    if (!fact.error.empty()) out.Error(normal, fact.error);
    out.AddFact(kPathRecord, normal, fact);
  }
}

}  // namespace imageprobe::probes
