// SPDX-License-Identifier: Apache-2.0
// CRC-32C (Castagnoli), the checksum of XFS v5 metadata: the standard CRC-32C of the bytes
// with the 4-byte checksum field taken as zero, stored little-endian (xfsprogs'
// libxfs/xfs_cksum.h: crc32c seeded with ~0, inverted at the end).
#pragma once

#include <cstdint>
#include <string_view>

namespace imageprobe::images::native {

uint32_t Crc32c(std::string_view bytes);

// True when the little-endian CRC-32C stored at `crc_offset` matches `block` with that field
// zeroed (xfs_verify_cksum).
bool XfsChecksumMatches(std::string_view block, size_t crc_offset);

}  // namespace imageprobe::images::native
