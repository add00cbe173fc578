// SPDX-License-Identifier: Apache-2.0
#include "images/vmdk_descriptor.h"

#include <cctype>
#include <charconv>

namespace imageprobe::images {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Unquote(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::string_view NextToken(std::string_view& rest) {
  rest = Trim(rest);
  size_t end = 0;
  while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end]))) ++end;
  std::string_view token = rest.substr(0, end);
  rest.remove_prefix(end);
  return token;
}

bool ParseNumber(std::string_view s, uint64_t& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

// "RW 4192256 SPARSE "name with spaces.vmdk" 0"
bool ParseExtentLine(std::string_view line, VmdkExtent& extent) {
  std::string_view rest = line;
  extent.access = std::string(NextToken(rest));
  if (!ParseNumber(NextToken(rest), extent.sectors)) return false;
  extent.type = std::string(NextToken(rest));
  if (extent.type.empty()) return false;
  rest = Trim(rest);
  if (rest.empty()) return extent.type == "ZERO";
  if (rest.front() != '"') return false;
  size_t close = rest.find('"', 1);
  if (close == std::string_view::npos) return false;
  extent.file = std::string(rest.substr(1, close - 1));
  rest.remove_prefix(close + 1);
  rest = Trim(rest);
  if (!rest.empty() && !ParseNumber(NextToken(rest), extent.offset)) return false;
  return Trim(rest).empty();
}

}  // namespace

VmdkDescriptor ParseVmdkDescriptor(std::string_view text) {
  text = text.substr(0, text.find('\0'));
  VmdkDescriptor desc;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("RW ") || line.starts_with("RDONLY ") || line.starts_with("NOACCESS ")) {
      VmdkExtent extent;
      extent.line = line_no;
      if (ParseExtentLine(line, extent)) {
        desc.extents.push_back(std::move(extent));
      } else {
        desc.problems.push_back("line " + std::to_string(line_no) + ": unparsable extent line");
      }
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, eq));
    std::string value = Unquote(line.substr(eq + 1));
    if (key == "createType")
      desc.create_type = value;
    else if (key == "parentCID")
      desc.parent_cid = value;
    else if (key == "parentFileNameHint")
      desc.parent_file_name_hint = value;
  }
  return desc;
}

}  // namespace imageprobe::images
