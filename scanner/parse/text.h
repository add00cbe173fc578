// SPDX-License-Identifier: Apache-2.0
// Small text helpers shared by every parser and by the layers above them (probes, images, the
// core's diff and gate). Pure; no allocation beyond the results. A helper that more than one
// file needs belongs here, not in a second anonymous namespace.
#pragma once

#include <cstdint>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::parse {

// Calls fn(line, number) for every line (1-based), without the "\n" or a trailing "\r".
// A final line without a newline is included.
template <class Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  uint32_t number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, ++number);
    start = end + 1;
  }
}

// Splits on every `sep`, keeping empty fields: "a::b" -> {"a", "", "b"}.
std::vector<std::string_view> SplitFields(std::string_view text, char sep);

// Splits on runs of spaces and tabs, dropping empty fields.
std::vector<std::string_view> SplitWhitespace(std::string_view text);

std::string_view TrimWhitespace(std::string_view text);
std::string ToLower(std::string_view text);
// Permission bits as people write them: 0644, 4755. Facts use this form so reports and diffs read
// "0644 -> 0755", not decimal.
std::string OctalMode(uint32_t mode);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The parts with `sep` between them: Join({"a", "b"}, ", ") == "a, b"; {} gives "".
template <std::ranges::input_range Range>
std::string Join(const Range& parts, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& part : parts) {
    if (!first) out += sep;
    out += std::string_view(part);
    first = false;
  }
  return out;
}

// "1 user", "3 users": the count with the word for it.
std::string CountOf(size_t n, std::string_view one, std::string_view many);

// One code point read from UTF-8 as strictly as Go's utf8.DecodeRune and ICU read it: no
// overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence.
struct Utf8Rune {
  char32_t code = 0;
  size_t length = 0;  // 1 to 4 bytes
};
// The code point at text[i], or nullopt when the bytes there are not valid UTF-8.
std::optional<Utf8Rune> DecodeUtf8(std::string_view text, size_t i);
// Appends a code point (at most U+10FFFF) as UTF-8.
void AppendUtf8(std::string& out, char32_t code);

}  // namespace imageprobe::parse
