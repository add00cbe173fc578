// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/passwd.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "scanner/parse/text.h"

namespace imageprobe::parse {

namespace {

std::optional<uint32_t> ParseId(std::string_view s) {
  uint32_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Parsed<PasswdEntry> ParsePasswd(std::string_view text) {
  Parsed<PasswdEntry> out;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (line.empty() || line.front() == '#') return;
    auto fields = parse::SplitFields(line, ':');
    if (fields.size() != 7) {
      out.problems.push_back(
          {number, "expected 7 colon-separated fields, found " + std::to_string(fields.size())});
      return;
    }
    auto uid = ParseId(fields[2]);
    auto gid = ParseId(fields[3]);
    if (fields[0].empty() || !uid || !gid) {
      out.problems.push_back({number, "empty name or non-numeric uid/gid"});
      return;
    }
    out.entries.push_back({std::string(fields[0]), std::string(fields[1]), *uid, *gid,
                           std::string(fields[4]), std::string(fields[5]), std::string(fields[6]),
                           number});
  });
  return out;
}

Parsed<GroupEntry> ParseGroup(std::string_view text) {
  Parsed<GroupEntry> out;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (line.empty() || line.front() == '#') return;
    auto fields = parse::SplitFields(line, ':');
    auto gid = fields.size() == 4 ? ParseId(fields[2]) : std::nullopt;
    if (fields.size() != 4 || fields[0].empty() || !gid) {
      out.problems.push_back({number, "expected name:password:gid:members"});
      return;
    }
    GroupEntry group{std::string(fields[0]), *gid, {}, number};
    for (auto member : parse::SplitFields(fields[3], ',')) {
      if (!member.empty()) group.members.emplace_back(member);
    }
    out.entries.push_back(std::move(group));
  });
  return out;
}

bool IsNoLoginShell(std::string_view shell) {
  static constexpr std::string_view kRefusing[] = {"nologin", "false", "sync", "halt", "shutdown"};
  auto base = shell.substr(shell.rfind('/') + 1);
  return shell.empty() ? false : std::ranges::find(kRefusing, base) != std::end(kRefusing);
}

}  // namespace imageprobe::parse
