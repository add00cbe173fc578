// SPDX-License-Identifier: Apache-2.0
// lvm2's config-text syntax, the language its on-disk VG metadata is written in:
//
//   vg0 {                       # a section: a name, then settings and sections in braces
//       id = "Ab3D-..."         # a setting: key = value
//       extent_size = 8192      # integers (lvm2 also reads floats: kept as text)
//       status = ["READ", "WRITE"]   # arrays of values, commas optional
//   }
//
// As libdm/libdm-config.c reads it (_get_token, _section, _value): double-quoted strings take
// backslash escapes (the backslash is dropped, the next character kept), single-quoted ones
// none; '#' starts a comment to the end of the line; a NUL byte ends the text (lvm2 writes one
// after the metadata); a bare word where a value belongs is a string; a section named twice is one
// section (its entries merged), a setting named twice keeps its first value (lvm2 warns and keeps
// the last: see the .cc).
//
// Bounded: the text is at most kMaxConfigTextBytes, sections nest at most kMaxConfigDepth deep
// and hold at most kMaxConfigItems entries and values in all. Past a bound, or on a syntax
// error, parsing fails with "line N: ...".
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::images::native {

inline constexpr size_t kMaxConfigTextBytes = 4 << 20;
inline constexpr int kMaxConfigDepth = 32;
inline constexpr size_t kMaxConfigItems = 200000;

struct ConfigValue {
  enum class Kind { kInteger, kFloat, kString };
  Kind kind = Kind::kString;
  int64_t integer = 0;  // kInteger
  std::string text;     // kString: unescaped; kFloat: as written
};

struct ConfigSetting {
  std::string key;
  bool is_array = false;
  std::vector<ConfigValue> values;  // one for a scalar; any number (even none) for an array
};

struct ConfigSection {
  std::string name;
  std::vector<ConfigSetting> settings;
  std::vector<ConfigSection> sections;

  const ConfigSetting* FindSetting(std::string_view key) const;
  const ConfigSection* FindSection(std::string_view key) const;
  // A scalar of that kind, or nullopt when absent, an array or another kind.
  std::optional<int64_t> Integer(std::string_view key) const;
  std::optional<std::string> String(std::string_view key) const;
  // An array of strings (status = ["READ", "WRITE"]); nullopt when absent or not all strings.
  std::optional<std::vector<std::string>> Strings(std::string_view key) const;
};

// The whole text as the unnamed top-level section.
std::expected<ConfigSection, std::string> ParseConfigText(std::string_view text);

}  // namespace imageprobe::images::native
