// SPDX-License-Identifier: Apache-2.0
// An RPM header blob as the rpmdb stores it (no lead, no 8-byte header magic): the few tags
// that identify an installed package. Pure: bytes in, struct out; hostile input yields an error.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace imageprobe::probes {

struct RpmPackage {
  std::string name;
  std::optional<uint32_t> epoch;  // absent in most packages ("(none)" in rpm -q)
  std::string version;
  std::string release;
  std::string arch;                      // absent for gpg-pubkey entries
  std::optional<uint32_t> install_time;  // Unix seconds (INSTALLTIME)

  // "[EPOCH:]VERSION-RELEASE", the way rpm prints an EVR.
  std::string Evr() const;
};
void to_json(nlohmann::json& json, const RpmPackage& package);

// Bounds taken from rpm's lib/header_internal.h: no header holds more tags or data.
inline constexpr uint32_t kRpmHeaderMaxTags = 0x0000ffff;  // HEADER_TAGS_MAX
inline constexpr uint32_t kRpmHeaderMaxData = 0x0fffffff;  // HEADER_DATA_MAX (256 MiB)

// Parses `blob` (big-endian il, dl, il index entries, dl bytes of data). Every entry used is
// checked against the data store: offsets, counts, alignment, NUL-terminated strings. Bytes
// after il*16+dl are ignored (the BDB and SQLite stores may pad). A header without NAME,
// VERSION or RELEASE is an error.
std::expected<RpmPackage, std::string> ParseRpmHeaderBlob(std::string_view blob);

}  // namespace imageprobe::probes
