// SPDX-License-Identifier: Apache-2.0
// The header blobs of a Berkeley DB hash "Packages" file (rpm < 4.16: Amazon Linux 2, RHEL 7
// and 8, CentOS), read by hand from bytes in memory. Pure; bounded; hostile input yields an
// error or fewer blobs, never a crash or a hang.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/rpmdb_sqlite.h"  // RpmdbBlob, kRpmdbMaxHeaders

namespace imageprobe::probes {

// Bounds on one database: rpm's own headers are far smaller than these.
inline constexpr uint64_t kBdbMaxTotalValueBytes = 512ull << 20;  // all values together
inline constexpr uint32_t kBdbMaxValueBytes = 64u << 20;          // one value (one header)

// Every key/data pair of the hash pages whose value is a header (key: the 4-byte instance
// number; key 0, rpm's counter record, is skipped). Values are inline (H_KEYDATA) or on a
// chain of overflow pages (H_OFFPAGE). Either byte order, told by the metadata page's magic.
// Encrypted or checksummed databases, and a corrupt metadata page, are errors; a corrupt
// data page or overflow chain skips that item and is counted in *skipped (when given).
std::expected<std::vector<RpmdbBlob>, std::string> ReadRpmdbBdb(std::string_view file,
                                                                size_t* skipped = nullptr);

}  // namespace imageprobe::probes
