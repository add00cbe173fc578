// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/fstab.h"

#include <charconv>
#include <optional>

#include "scanner/parse/text.h"

namespace imageprobe::parse {
namespace {

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// libmount's next_s32: strtol, then the number must end the field. strtol accepts a sign.
std::optional<int> FstabNumber(std::string_view field) {
  if (field.starts_with('+')) field.remove_prefix(1);
  int value = 0;
  auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || ec != std::errc() || ptr != field.data() + field.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string UnescapeFstabField(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && IsOctal(field[i + 1]) &&
        IsOctal(field[i + 2]) && IsOctal(field[i + 3])) {
      int value = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
      if ((value & 0xff) == 0) break;  // a NUL ends libmount's C string
      out.push_back(static_cast<char>(value & 0xff));
      i += 3;
      continue;
    }
    out.push_back(field[i]);
  }
  return out;
}

bool FstabEntry::HasOption(std::string_view option) const {
  for (std::string_view field : SplitFields(options, ',')) {
    if (field == option) return true;
  }
  return false;
}

ParsedFstab ParseFstab(std::string_view text) {
  ParsedFstab parsed;
  ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (size_t nul = line.find('\0'); nul != std::string_view::npos) line = line.substr(0, nul);
    std::string_view trimmed = TrimWhitespace(line);
    if (trimmed.empty() || trimmed.front() == '#') return;
    std::vector<std::string_view> fields = SplitWhitespace(trimmed);
    if (fields.size() < 3) {
      parsed.problems.push_back({number, "fewer than 3 fields"});
      return;
    }
    FstabEntry entry;
    entry.spec = UnescapeFstabField(fields[0]);
    entry.mount_point = UnescapeFstabField(fields[1]);
    entry.type = UnescapeFstabField(fields[2]);
    entry.options = fields.size() > 3 ? UnescapeFstabField(fields[3]) : "defaults";
    if (fields.size() > 4) {
      auto freq = FstabNumber(fields[4]);
      if (!freq) {
        parsed.problems.push_back({number, "fifth field (freq) is not a number"});
        return;
      }
      entry.freq = *freq;
    }
    if (fields.size() > 5) {
      auto passno = FstabNumber(fields[5]);
      if (!passno) {
        parsed.problems.push_back({number, "sixth field (passno) is not a number"});
        return;
      }
      entry.passno = *passno;
    }
    entry.line = number;
    parsed.entries.push_back(std::move(entry));
  });
  return parsed;
}

}  // namespace imageprobe::parse
