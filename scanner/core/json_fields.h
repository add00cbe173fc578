// SPDX-License-Identifier: Apache-2.0
// Reading one member of a fact's payload without trusting its shape: a saved report may come
// from another version or be edited by hand, so a member that is missing or of another type
// reads as empty, never as an exception.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace imageprobe {

// The member's string, or "" when `data` is no object or the member is missing or no string.
inline std::string StringMember(const nlohmann::json& data, std::string_view name) {
  if (!data.is_object()) return {};
  auto it = data.find(name);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// true / false, or nullopt when missing or no boolean.
inline std::optional<bool> BoolMember(const nlohmann::json& data, std::string_view name) {
  if (!data.is_object()) return std::nullopt;
  auto it = data.find(name);
  if (it == data.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

// The member itself, or null.
inline const nlohmann::json& Member(const nlohmann::json& data, std::string_view name) {
  static const nlohmann::json kNull;
  if (!data.is_object()) return kNull;
  auto it = data.find(name);
  return it == data.end() ? kNull : *it;
}

}  // namespace imageprobe
