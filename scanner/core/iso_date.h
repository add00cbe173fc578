// SPDX-License-Identifier: Apache-2.0
// Calendar dates as the command line, ignore files and reports write them: YYYY-MM-DD (UTC).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace imageprobe {

// Strict: exactly YYYY-MM-DD and a real calendar day ("2027-02-29" is refused).
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(std::chrono::year_month_day date);

}  // namespace imageprobe
