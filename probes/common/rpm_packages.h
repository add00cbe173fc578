// SPDX-License-Identifier: Apache-2.0
// The installed RPM packages of a root, from its rpmdb (SQLite first, then Berkeley DB), read
// once per root and shared through the Context.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/rpm_header.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

// The largest rpmdb file read: real ones are tens of MiB (a RHEL server with 1,500 packages
// has a Packages file of about 100 MiB).
inline constexpr uint64_t kRpmdbMaxFileBytes = 256ull << 20;

struct RpmDatabase {
  std::string path;    // the guest path read ("/var/lib/rpm/rpmdb.sqlite"); empty: none found
  std::string format;  // "sqlite", "bdb", or "ndb" (found, not read)
  std::vector<RpmPackage> packages;  // by instance number
  size_t unreadable_headers = 0;     // blobs or items skipped as malformed
  std::string error;  // why the database found at `path` could not be read; empty when read

  bool read() const { return !path.empty() && error.empty(); }
  const RpmPackage* Find(std::string_view name) const;
};

// Parses the file bytes of a database in `format` ("sqlite" or "bdb"). Pure.
RpmDatabase ParseRpmDatabase(std::string_view path, std::string_view format, std::string_view file);

// Looks for the database under /var/lib/rpm and /usr/lib/sysimage/rpm (symlinks resolved inside
// the image), reads it with a size cap of kRpmdbMaxFileBytes, and parses it.
RpmDatabase CollectRpmDatabase(const Filesystem& fs);

// CollectRpmDatabase for this root, done once per scan. Errors are in `error`; the probe that
// reports package facts (ssm_agent) turns them into out.Error.
const RpmDatabase& RpmPackagesOf(const Target& target);

}  // namespace imageprobe::probes
