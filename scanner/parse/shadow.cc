// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/shadow.h"

#include <algorithm>
#include <charconv>

#include "scanner/parse/text.h"

namespace imageprobe::parse {

namespace {

bool IsCryptChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '/';
}

// The crypt(5) scheme of a hash, or empty when it is not one.
std::string HashScheme(std::string_view hash) {
  struct Prefix {
    std::string_view prefix;
    std::string_view scheme;
  };
  static constexpr Prefix kPrefixes[] = {
      {"$y$", "yescrypt"},    {"$gy$", "gost-yescrypt"}, {"$7$", "scrypt"},  {"$6$", "sha512crypt"},
      {"$5$", "sha256crypt"}, {"$2b$", "bcrypt"},        {"$2a$", "bcrypt"}, {"$2y$", "bcrypt"},
      {"$2x$", "bcrypt"},     {"$sha1$", "sha1crypt"},   {"$md5", "sunmd5"}, {"$1$", "md5crypt"},
      {"$3$", "nthash"}};
  for (const auto& p : kPrefixes) {
    if (hash.starts_with(p.prefix)) {
      // A scheme prefix with nothing after it is not a hash.
      return hash.size() > p.prefix.size() + 1 ? std::string(p.scheme) : std::string();
    }
  }
  if (hash.size() == 20 && hash[0] == '_' && std::ranges::all_of(hash.substr(1), IsCryptChar)) {
    return "bsdicrypt";
  }
  if (hash.size() == 13 && std::ranges::all_of(hash, IsCryptChar)) return "descrypt";
  return {};
}

}  // namespace

std::string_view PasswordStateName(PasswordState state) {
  switch (state) {
    case PasswordState::kUnknown:
      return "unknown";
    case PasswordState::kEmpty:
      return "empty";
    case PasswordState::kLocked:
      return "locked";
    case PasswordState::kInvalid:
      return "invalid";
    case PasswordState::kUsable:
      return "usable";
  }
  return "unknown";
}

PasswordInfo ClassifyPasswordField(std::string_view field) {
  if (field.empty()) return {PasswordState::kEmpty, "", false};
  if (field.front() == '!' || field.front() == '*') {
    std::string_view rest = field;
    while (!rest.empty() && (rest.front() == '!' || rest.front() == '*')) rest.remove_prefix(1);
    return {PasswordState::kLocked, HashScheme(rest), field.front() == '!'};
  }
  std::string scheme = HashScheme(field);
  if (scheme.empty()) return {PasswordState::kInvalid, "", false};
  return {PasswordState::kUsable, std::move(scheme), false};
}

Parsed<ShadowEntry> ParseShadow(std::string_view text) {
  Parsed<ShadowEntry> out;
  ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (line.empty() || line.front() == '#') return;
    auto fields = SplitFields(line, ':');
    if (fields.size() < 2 || fields.size() > 9 || fields[0].empty()) {
      out.problems.push_back(
          {number, "expected 9 colon-separated fields, found " + std::to_string(fields.size())});
      return;
    }
    ShadowEntry entry{std::string(fields[0]), ClassifyPasswordField(fields[1]), std::nullopt,
                      number};
    if (fields.size() >= 8 && !fields[7].empty()) {
      int64_t days = 0;
      auto [ptr, ec] = std::from_chars(fields[7].data(), fields[7].data() + fields[7].size(), days);
      if (ec == std::errc() && ptr == fields[7].data() + fields[7].size()) entry.expire_days = days;
    }
    out.entries.push_back(std::move(entry));
  });
  return out;
}

}  // namespace imageprobe::parse
