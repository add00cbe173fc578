// SPDX-License-Identifier: Apache-2.0
// Structural checks run after detection: a container whose metadata points past the end of the
// file (the usual sign of a copy cut short) is rejected here with a one-line reason, before an
// appliance is started on it. Also refused here: anything that would make qemu open a second
// file named inside the image (qcow2 backing files and external data files, VMDK/VHD/VDI
// parents), since that name is chosen by the image's author.
//
// Every check is a pure function of the bytes behind a ByteSource and reads at most
// kMaxMetadataBytes of tables.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "images/byte_source.h"
#include "images/format.h"

namespace imageprobe::images {

inline constexpr uint64_t kMaxMetadataBytes = 64ull << 20;

using CheckResult = std::expected<void, std::string>;

// "truncated: <what> at offset N lies past the end of the file (M bytes)".
std::unexpected<std::string> Truncated(std::string_view what, uint64_t offset, uint64_t size);

// Dispatches on detection.format; formats without a check pass.
CheckResult CheckStructure(const Detection& detection, const ByteSource& input);

CheckResult CheckQcow2(const ByteSource& input);
CheckResult CheckVmdkSparse(const ByteSource& input);  // a KDMV extent (either subformat)
CheckResult CheckVhd(const ByteSource& input, bool dynamic);
CheckResult CheckVhdx(const ByteSource& input);
CheckResult CheckVdi(const ByteSource& input);
// Bare filesystems and partition tables: the size they claim against the file's size.
CheckResult CheckVolume(const Detection& detection, const ByteSource& input);

}  // namespace imageprobe::images
