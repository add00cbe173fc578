// SPDX-License-Identifier: Apache-2.0
// JSON laid out for people to read and review in a diff: a value that fits on its line stays
// on one line ({"type": "string", "description": "..."}), a longer one opens one member or
// item per line. Used for the documents the repository keeps generated (the report schema).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace imageprobe::report {

// `value` laid out within `width` columns where it can be, indented by two spaces a level,
// ending in a newline. Member order is kept.
std::string LayOutJson(const nlohmann::ordered_json& value, size_t width = 100);

}  // namespace imageprobe::report
