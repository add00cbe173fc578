// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/json_layout.h"

#include <algorithm>

namespace imageprobe::report {

namespace {

// One line, with a space after each ':' and ',' as people write it (dump() writes neither).
std::string OneLine(const nlohmann::ordered_json& value) {
  if (value.is_object()) {
    if (value.empty()) return "{}";
    std::string out = "{";
    for (const auto& [name, member] : value.items()) {
      if (out.size() > 1) out += ", ";
      out += nlohmann::ordered_json(name).dump() + ": " + OneLine(member);
    }
    return out + "}";
  }
  if (value.is_array()) {
    if (value.empty()) return "[]";
    std::string out = "[";
    for (const auto& item : value) {
      if (out.size() > 1) out += ", ";
      out += OneLine(item);
    }
    return out + "]";
  }
  return value.dump();
}

// `value` starting at column `column` (where a member's name already stands) of a line
// indented by `indent`.
void LayOut(const nlohmann::ordered_json& value, size_t indent, size_t column, size_t width,
            std::string& out) {
  std::string line = OneLine(value);
  bool nested = value.is_structured() && !value.empty();
  if (!nested || column + line.size() + 1 <= width) {  // + 1: the comma that may follow
    out += line;
    return;
  }
  const std::string inner(indent + 2, ' ');
  if (value.is_array() &&
      std::ranges::none_of(value, [](const auto& item) { return item.is_structured(); })) {
    // Names and numbers fill their lines, as a paragraph does: one per line would make a
    // list of twenty required members twenty lines.
    out += "[\n" + inner;
    size_t used = inner.size();
    for (size_t i = 0; i < value.size(); ++i) {
      std::string item = value[i].dump() + (i + 1 < value.size() ? "," : "");
      if (used > inner.size() && used + 1 + item.size() > width) {
        out += "\n" + inner;
        used = inner.size();
      } else if (used > inner.size()) {
        out += ' ';
        ++used;
      }
      out += item;
      used += item.size();
    }
    out += "\n" + std::string(indent, ' ') + "]";
    return;
  }
  out += value.is_object() ? "{\n" : "[\n";
  size_t i = 0;
  for (const auto& [name, member] : value.items()) {
    out += inner;
    if (value.is_object()) out += nlohmann::ordered_json(name).dump() + ": ";
    LayOut(member, indent + 2, out.size() - out.rfind('\n') - 1, width, out);
    out += ++i < value.size() ? ",\n" : "\n";
  }
  out += std::string(indent, ' ') + (value.is_object() ? "}" : "]");
}

}  // namespace

std::string LayOutJson(const nlohmann::ordered_json& value, size_t width) {
  std::string out;
  LayOut(value, 0, 0, width, out);
  return out + "\n";
}

}  // namespace imageprobe::report
