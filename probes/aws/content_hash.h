// SPDX-License-Identifier: Apache-2.0
// Hex SHA-256 of file content, so the diff can tell "same path, changed content" apart.
#pragma once

#include <string>
#include <string_view>

namespace imageprobe::probes {

std::string Sha256Hex(std::string_view data);

}  // namespace imageprobe::probes
