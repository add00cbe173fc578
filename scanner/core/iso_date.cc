// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/iso_date.h"

#include <cctype>
#include <cstdio>

namespace imageprobe {

std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  auto number = [&](size_t at, size_t len) {
    int n = 0;
    for (size_t i = at; i < at + len; ++i) n = n * 10 + (text[i] - '0');
    return n;
  };
  std::chrono::year_month_day date{std::chrono::year(number(0, 4)),
                                   std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                   std::chrono::day(static_cast<unsigned>(number(8, 2)))};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string FormatIsoDate(std::chrono::year_month_day date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buf;
}

}  // namespace imageprobe
