// SPDX-License-Identifier: Apache-2.0
// Golden-file comparison for renderer tests: tests/golden/NAME must equal `actual`. With
// IMAGEPROBE_UPDATE_GOLDEN=1 (what tools/update-golden sets) the file is rewritten instead.
#pragma once

#include <string>
#include <string_view>

namespace imageprobe::testing {

void ExpectGolden(std::string_view name, const std::string& actual);

}  // namespace imageprobe::testing
