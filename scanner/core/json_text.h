// SPDX-License-Identifier: Apache-2.0
// JSON as text for output. Strings in facts come from the image and need not be valid UTF-8;
// nlohmann::json::dump() throws on such a string unless told otherwise, which would turn one
// odd byte in a config file into a failed report. Every dump for output goes through here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace imageprobe {

// `indent` as in nlohmann::json::dump (-1: one line). Invalid UTF-8 becomes U+FFFD.
inline std::string JsonText(const nlohmann::json& value, int indent = -1) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace imageprobe
