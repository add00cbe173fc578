// SPDX-License-Identifier: Apache-2.0
// What libarchive sees at the start of a (possibly compressed) tar, from bytes in memory: the
// compression filter and the member names whose headers fit in those bytes. Used by the pure
// DetectFormat on the first kHeadBytes; a truncated prefix simply yields fewer names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::images {

struct TarPeek {
  std::string compression;           // "" for a plain tar, else "gzip", "xz", "zstd", "bzip2"
  std::vector<std::string> members;  // names as stored, at most a few hundred
};

// nullopt when the (decompressed) bytes do not start with a tar header.
std::optional<TarPeek> PeekTar(std::string_view head);

}  // namespace imageprobe::images
