// SPDX-License-Identifier: Apache-2.0
// References: rpm-software-management/rpm macros.in (%_dbpath, %_db_backend), lib/backend/
//   (sqlite.c: rpmdb.sqlite; bdb_ro.c: Packages; ndb/: Packages.db); Fedora change
//   "RelocateRPMToUsr" (/usr/lib/sysimage/rpm, /var/lib/rpm a symlink to it).
#include "probes/common/rpm_packages.h"

#include <algorithm>
#include <array>
#include <utility>

#include "probes/common/rpmdb_bdb.h"
#include "probes/common/rpmdb_sqlite.h"

namespace imageprobe::probes {
namespace {

struct Candidate {
  std::string_view path;
  std::string_view format;
};

// SQLite (rpm >= 4.16) before Berkeley DB: an upgraded system can keep a stale Packages file
// next to the live rpmdb.sqlite, never the other way round.
constexpr std::array kCandidates = {
    Candidate{"/var/lib/rpm/rpmdb.sqlite", "sqlite"},
    Candidate{"/usr/lib/sysimage/rpm/rpmdb.sqlite", "sqlite"},
    Candidate{"/var/lib/rpm/Packages", "bdb"},
    Candidate{"/usr/lib/sysimage/rpm/Packages", "bdb"},
    Candidate{"/var/lib/rpm/Packages.db", "ndb"},
    Candidate{"/usr/lib/sysimage/rpm/Packages.db", "ndb"},
};

}  // namespace

const RpmPackage* RpmDatabase::Find(std::string_view name) const {
  for (const auto& package : packages) {
    if (package.name == name) return &package;
  }
  return nullptr;
}

RpmDatabase ParseRpmDatabase(std::string_view path, std::string_view format,
                             std::string_view file) {
  RpmDatabase db;
  db.path = path;
  db.format = format;
  std::expected<std::vector<RpmdbBlob>, std::string> blobs;
  if (format == "sqlite") {
    blobs = ReadRpmdbSqlite(file);
  } else if (format == "bdb") {
    blobs = ReadRpmdbBdb(file, &db.unreadable_headers);
  } else {
    db.error = "rpm database format " + std::string(format) +
               " is not read (only sqlite and Berkeley DB are supported)";
    return db;
  }
  if (!blobs) {
    db.error = blobs.error();
    return db;
  }
  std::sort(blobs->begin(), blobs->end(),
            [](const RpmdbBlob& a, const RpmdbBlob& b) { return a.hnum < b.hnum; });
  for (const auto& blob : *blobs) {
    auto package = ParseRpmHeaderBlob(blob.blob);
    if (package) {
      db.packages.push_back(std::move(*package));
    } else {
      ++db.unreadable_headers;
    }
  }
  return db;
}

RpmDatabase CollectRpmDatabase(const Filesystem& fs) {
  for (const auto& candidate : kCandidates) {
    if (candidate.format == "ndb") {  // not read: only its presence matters
      if (fs.Stat(candidate.path)) return ParseRpmDatabase(candidate.path, candidate.format, {});
      continue;
    }
    auto file = fs.ReadFile(candidate.path, kRpmdbMaxFileBytes);
    if (!file) {
      if (file.error().code == FsErrc::kNotFound) continue;
      RpmDatabase db;
      db.path = candidate.path;
      db.format = candidate.format;
      db.error = file.error().Message();
      return db;
    }
    return ParseRpmDatabase(candidate.path, candidate.format, *file);
  }
  return {};
}

const RpmDatabase& RpmPackagesOf(const Target& target) {
  return target.context.Memo<RpmDatabase>([&] { return CollectRpmDatabase(target.fs); });
}

}  // namespace imageprobe::probes
