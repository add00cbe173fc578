// SPDX-License-Identifier: Apache-2.0
// References: ssh_config(5), OpenSSH readconf.c process_config_line, misc.c argv_split
// (double quotes group words), tilde_expand, percent_expand.
#include "probes/secrets/ssh_client_config.h"

#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

// Bounds against hostile files: a key path is short; so is a Host line worth quoting.
constexpr size_t kMaxPathBytes = 4096;
constexpr size_t kMaxBlockBytes = 200;

// "keyword args" or "keyword=args" (readconf.c: the first "=" or blank ends the keyword).
bool SplitKeyword(std::string_view line, std::string_view& keyword, std::string_view& rest) {
  line = parse::TrimWhitespace(line);
  size_t end = line.find_first_of(" \t=");
  keyword = line.substr(0, end);
  if (end == std::string_view::npos) {
    rest = {};
    return !keyword.empty();
  }
  rest = line.substr(end);
  size_t start = rest.find_first_not_of(" \t");
  if (start != std::string_view::npos && rest[start] == '=') ++start;
  rest = start == std::string_view::npos ? std::string_view()
                                         : parse::TrimWhitespace(rest.substr(start));
  return !keyword.empty();
}

// The first argument: a double-quoted string (quotes removed) or a word. nullopt when a quote
// is left open.
std::optional<std::string> FirstArgument(std::string_view rest) {
  if (rest.starts_with('"')) {
    size_t close = rest.find('"', 1);
    if (close == std::string_view::npos) return std::nullopt;
    return std::string(rest.substr(1, close - 1));
  }
  return std::string(rest.substr(0, rest.find_first_of(" \t")));
}

}  // namespace

SshClientConfigParse ParseSshClientConfig(std::string_view text) {
  SshClientConfigParse result;
  std::string block;
  parse::ForEachLine(text, [&](std::string_view raw, uint32_t number) {
    std::string_view line = raw.substr(0, raw.find('\0'));
    std::string_view trimmed = parse::TrimWhitespace(line);
    if (trimmed.empty() || trimmed.starts_with('#')) return;
    std::string_view keyword, rest;
    if (!SplitKeyword(trimmed, keyword, rest)) return;
    if (parse::EqualsIgnoreCase(keyword, "Host") || parse::EqualsIgnoreCase(keyword, "Match")) {
      block = std::string(trimmed.substr(0, kMaxBlockBytes));
      return;
    }
    if (!parse::EqualsIgnoreCase(keyword, "IdentityFile")) return;
    auto path = FirstArgument(rest);
    if (!path) {
      result.problems.push_back({number, "IdentityFile with an unterminated quote"});
      return;
    }
    if (path->empty()) {
      result.problems.push_back({number, "IdentityFile without a path"});
      return;
    }
    if (path->size() > kMaxPathBytes) {
      result.problems.push_back({number, "IdentityFile path longer than 4096 bytes"});
      return;
    }
    result.identity_files.push_back({number, block, std::move(*path)});
  });
  return result;
}

std::optional<std::string> ExpandIdentityFile(std::string_view path, std::string_view user,
                                              std::string_view home) {
  if (parse::EqualsIgnoreCase(path, "none")) return std::nullopt;
  std::string out;
  if (path == "~" || path.starts_with("~/")) {
    out = std::string(home);
    path.remove_prefix(1);
  } else if (path.starts_with('~')) {
    return std::nullopt;  // ~otheruser: another account's home, not resolved here
  }
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out += path[i];
      continue;
    }
    if (i + 1 >= path.size()) return std::nullopt;
    char token = path[++i];
    if (token == 'd') {
      out += home;
    } else if (token == 'u') {
      out += user;
    } else if (token == '%') {
      out += '%';
    } else {
      return std::nullopt;  // %h, %r, %p, %C…: known only for one connection
    }
  }
  if (!out.starts_with('/')) return std::nullopt;
  return out;
}

}  // namespace imageprobe::probes
