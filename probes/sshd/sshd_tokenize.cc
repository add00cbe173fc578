// SPDX-License-Identifier: Apache-2.0
// References: openssh-portable servconf.c (process_server_config_line_depth), misc.c
// (strdelim_internal, argv_split), sshd_config(5) "arguments may optionally be enclosed in
// double quotes".
#include "probes/sshd/sshd_tokenize.h"

namespace imageprobe::probes {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

bool SplitSshdArgs(std::string_view s, std::vector<std::string>& args) {
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t') {
      ++i;
      continue;
    }
    if (s[i] == '#') break;  // a comment may start any word
    std::string arg;
    char quote = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '\\' && i + 1 < s.size() &&
          (s[i + 1] == '\'' || s[i + 1] == '"' || s[i + 1] == '\\' ||
           (quote == 0 && s[i + 1] == ' '))) {
        arg.push_back(s[++i]);
      } else if (quote == 0 && (c == ' ' || c == '\t')) {
        break;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else {
        arg.push_back(c);
      }
    }
    if (quote != 0) return false;
    args.push_back(std::move(arg));
  }
  return true;
}

SshdLineTokens TokenizeSshdLine(std::string_view line) {
  SshdLineTokens out;
  if (size_t nul = line.find('\0'); nul != std::string_view::npos) line = line.substr(0, nul);
  while (!line.empty() && (IsSpace(line.back()) || line.back() == '\f')) line.remove_suffix(1);
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  if (i == line.size() || line[i] == '#') return out;

  // The keyword: up to whitespace, a quote or "=". A quoted keyword is unusual but legal.
  std::string keyword;
  if (line[i] == '"') {
    size_t close = line.find('"', i + 1);
    if (close == std::string_view::npos) {
      out.kind = SshdLineTokens::Kind::kError;
      out.error = "invalid quotes";
      return out;
    }
    keyword = std::string(line.substr(i + 1, close - i - 1));
    i = close + 1;
    while (i < line.size() && IsSpace(line[i])) ++i;
  } else {
    size_t start = i;
    while (i < line.size() && !IsSpace(line[i]) && line[i] != '"' && line[i] != '=') ++i;
    keyword = std::string(line.substr(start, i - start));
    bool equals = i < line.size() && line[i] == '=';
    if (i < line.size() && line[i] != '"') ++i;  // the delimiter itself
    while (i < line.size() && IsSpace(line[i])) ++i;
    // Only one "=" may be skipped: "Port = 22" and "Port=22" but not "Port==22".
    if (!equals && i < line.size() && line[i] == '=') {
      ++i;
      while (i < line.size() && IsSpace(line[i])) ++i;
    }
  }
  out.keyword = std::move(keyword);
  out.rest = std::string(line.substr(i));
  if (out.keyword.empty() || out.keyword[0] == '#') {
    out.kind = SshdLineTokens::Kind::kBlank;
    return out;
  }
  if (out.rest.empty()) {
    out.kind = SshdLineTokens::Kind::kError;
    out.error = "no argument after keyword \"" + out.keyword + "\"";
    return out;
  }
  if (!SplitSshdArgs(out.rest, out.args)) {
    out.kind = SshdLineTokens::Kind::kError;
    out.error = "invalid quotes";
    return out;
  }
  out.kind = SshdLineTokens::Kind::kDirective;
  return out;
}

}  // namespace imageprobe::probes
