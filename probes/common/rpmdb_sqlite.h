// SPDX-License-Identifier: Apache-2.0
// The header blobs of an rpmdb.sqlite (rpm >= 4.16: Amazon Linux 2023, RHEL 9, Fedora), read
// from bytes already in memory. Pure as far as the caller can tell: SQLite works on a
// private read-only in-memory copy and never opens a file.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

struct RpmdbBlob {
  uint32_t hnum = 0;  // the header's instance number (the Packages table's key)
  std::string blob;
};

inline constexpr size_t kRpmdbMaxHeaders = 200'000;

// SELECT hnum, blob FROM Packages. A file that is not SQLite, is corrupt, or lacks the table
// yields an error; at most kRpmdbMaxHeaders rows are returned.
std::expected<std::vector<RpmdbBlob>, std::string> ReadRpmdbSqlite(std::string_view file);

}  // namespace imageprobe::probes
