// SPDX-License-Identifier: Apache-2.0
#include "probes/users/sudoers.h"

#include <algorithm>
#include <cctype>

#include "scanner/parse/text.h"

namespace imageprobe::probes::users {

namespace {

constexpr std::string_view kAliasKinds[] = {"User_Alias", "Runas_Alias", "Host_Alias", "Cmnd_Alias",
                                            "Cmd_Alias"};
constexpr std::string_view kTags[] = {"NOPASSWD",   "PASSWD",       "NOEXEC",    "EXEC",
                                      "SETENV",     "NOSETENV",     "LOG_INPUT", "NOLOG_INPUT",
                                      "LOG_OUTPUT", "NOLOG_OUTPUT", "MAIL",      "NOMAIL",
                                      "FOLLOW",     "NOFOLLOW",     "INTERCEPT", "NOINTERCEPT"};
constexpr std::string_view kOptions[] = {"ROLE",      "TYPE",     "CWD",     "CHROOT",
                                         "NOTBEFORE", "NOTAFTER", "TIMEOUT", "APPARMOR_PROFILE"};
constexpr std::string_view kDigests[] = {"sha224", "sha256", "sha384", "sha512"};

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

template <class Range>
bool Contains(const Range& range, std::string_view word) {
  return std::ranges::find(range, word) != std::end(range);
}

// Removes a trailing comment. '#' followed by a digit is a uid ("#1000"), not a comment;
// quoted strings (in Defaults values) are left alone.
std::string_view StripComment(std::string_view line) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == '#' && !quoted) {
      bool uid = i + 1 < line.size() && std::isdigit(static_cast<unsigned char>(line[i + 1]));
      if (!uid) return line.substr(0, i);
    }
  }
  return line;
}

// An include directive: "@include x", "#include x", "@includedir d", "#includedir d".
bool ParseInclude(std::string_view line, SudoersInclude& out) {
  if (line.empty() || (line.front() != '@' && line.front() != '#')) return false;
  std::string_view rest = line.substr(1);
  if (rest.starts_with("includedir") && rest.size() > 10 && IsSpace(rest[10])) {
    out.directory = true;
    rest.remove_prefix(10);
  } else if (rest.starts_with("include") && rest.size() > 7 && IsSpace(rest[7])) {
    rest.remove_prefix(7);
  } else {
    return false;
  }
  rest = parse::TrimWhitespace(rest);
  std::string path;
  bool quoted = !rest.empty() && rest.front() == '"';
  for (size_t i = quoted ? 1 : 0; i < rest.size(); ++i) {
    if (rest[i] == '\\' && i + 1 < rest.size()) {
      path.push_back(rest[++i]);
    } else if (quoted && rest[i] == '"') {
      break;
    } else if (!quoted && IsSpace(rest[i])) {
      break;
    } else {
      path.push_back(rest[i]);
    }
  }
  out.path = std::move(path);
  return true;
}

// Splits on `sep` outside parentheses and not escaped by a backslash; trims each piece.
std::vector<std::string> SplitList(std::string_view text, char sep) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      current.push_back(c);
      current.push_back(text[++i]);
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (c == sep && depth == 0) {
      parts.emplace_back(parse::TrimWhitespace(current));
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  parts.emplace_back(parse::TrimWhitespace(current));
  return parts;
}

std::string_view WordAt(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
  return s.substr(i, j - i);
}

// The commands part of a user specification: Cmnd_Spec_List, and further ": Host = …" sections.
bool ParseCommands(std::string_view rhs, SudoersRule& rule, std::string& error) {
  size_t i = 0, n = rhs.size();
  std::string runas;
  std::vector<std::string> tags;
  bool nopasswd = false;
  auto skip_space = [&] {
    while (i < n && IsSpace(rhs[i])) ++i;
  };
  while (true) {
    skip_space();
    if (i < n && rhs[i] == '(') {
      size_t close = rhs.find(')', i);
      if (close == std::string_view::npos) {
        error = "unterminated Runas_Spec";
        return false;
      }
      runas = std::string(parse::TrimWhitespace(rhs.substr(i + 1, close - i - 1)));
      i = close + 1;
    }
    while (true) {  // tags, options and a digest before the command
      skip_space();
      std::string_view word = WordAt(rhs, i);
      size_t after = i + word.size();
      if (!word.empty() && after < n && rhs[after] == ':' && Contains(kTags, word)) {
        if (word == "NOPASSWD") nopasswd = true;
        if (word == "PASSWD") nopasswd = false;
        std::erase_if(tags, [&](const std::string& t) {
          return t == word || t == "NO" + std::string(word) || "NO" + t == word;
        });
        tags.emplace_back(word);
        i = after + 1;
      } else if (!word.empty() && after < n && rhs[after] == '=' && Contains(kOptions, word)) {
        i = after + 1;
        if (i < n && rhs[i] == '"') {
          size_t close = rhs.find('"', i + 1);
          i = close == std::string_view::npos ? n : close + 1;
        } else {
          while (i < n && !IsSpace(rhs[i])) ++i;
        }
      } else if (!word.empty() && after < n && rhs[after] == ':' && Contains(kDigests, word)) {
        i = after + 1;
        while (i < n && !IsSpace(rhs[i]) && rhs[i] != ',') ++i;
      } else {
        break;
      }
    }
    std::string command;
    while (i < n && rhs[i] != ',' && rhs[i] != ':') {
      if (rhs[i] == '\\' && i + 1 < n) {
        command.push_back(rhs[i + 1]);
        i += 2;
        continue;
      }
      command.push_back(rhs[i++]);
    }
    command = std::string(parse::TrimWhitespace(command));
    if (command.empty()) {
      error = "empty command";
      return false;
    }
    rule.commands.push_back({runas, tags, nopasswd, std::move(command)});
    if (i >= n) return true;
    if (rhs[i++] == ',') continue;
    // ": Host_List = Cmnd_Spec_List": a new section; runas and tags start over.
    size_t eq = rhs.find('=', i);
    if (eq == std::string_view::npos) {
      error = "':' not followed by Host_List = commands";
      return false;
    }
    for (auto& h : SplitList(rhs.substr(i, eq - i), ',')) rule.hosts.push_back(h);
    i = eq + 1;
    runas.clear();
    tags.clear();
    nopasswd = false;
  }
}

bool ParseAlias(std::string_view line, SudoersParse& out, uint32_t number, std::string& error) {
  size_t space = line.find_first_of(" \t");
  std::string_view kind = line.substr(0, space);
  if (!Contains(kAliasKinds, kind)) return false;
  for (const auto& def :
       SplitList(line.substr(space == std::string_view::npos ? line.size() : space), ':')) {
    size_t eq = def.find('=');
    if (eq == std::string::npos) {
      error = "alias without '='";
      return true;
    }
    SudoersAlias alias{number, std::string(kind == "Cmd_Alias" ? "Cmnd_Alias" : kind),
                       std::string(parse::TrimWhitespace(std::string_view(def).substr(0, eq))),
                       SplitList(std::string_view(def).substr(eq + 1), ',')};
    if (alias.name.empty()) {
      error = "alias without a name";
      return true;
    }
    out.aliases.push_back(std::move(alias));
  }
  return true;
}

}  // namespace

bool SudoersIncludedirSkips(std::string_view file_name) {
  return file_name.empty() || file_name.back() == '~' ||
         file_name.find('.') != std::string_view::npos;
}

SudoersParse ParseSudoers(std::string_view text) {
  SudoersParse out;
  std::string logical;
  uint32_t logical_line = 0;
  auto handle = [&](std::string_view raw, uint32_t number) {
    std::string_view trimmed = parse::TrimWhitespace(raw);
    SudoersInclude include;
    if (ParseInclude(trimmed, include)) {
      include.line = number;
      if (include.path.empty()) {
        out.problems.push_back({number, "include without a path"});
      } else {
        out.includes.push_back(std::move(include));
      }
      return;
    }
    std::string_view line = parse::TrimWhitespace(StripComment(trimmed));
    if (line.empty()) return;
    std::string_view first = line.substr(0, line.find_first_of(" \t:@!>"));
    if (first == "Defaults") return;
    std::string error;
    if (ParseAlias(line, out, number, error)) {
      if (!error.empty()) out.problems.push_back({number, error});
      return;
    }
    // User_List Host_List = Cmnd_Spec_List
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      out.problems.push_back({number, "not a user specification, alias, Defaults or include"});
      return;
    }
    std::string left;
    for (const auto& piece : SplitList(line.substr(0, eq), ',')) {
      left += left.empty() ? piece : "," + piece;
    }
    auto words = parse::SplitWhitespace(left);
    if (words.size() != 2) {
      out.problems.push_back({number, "expected \"users hosts = commands\""});
      return;
    }
    SudoersRule rule;
    rule.line = number;
    rule.text = std::string(line);
    for (auto& u : SplitList(words[0], ',')) rule.users.push_back(std::move(u));
    for (auto& h : SplitList(words[1], ',')) rule.hosts.push_back(std::move(h));
    if (!ParseCommands(line.substr(eq + 1), rule, error)) {
      out.problems.push_back({number, error});
      return;
    }
    out.rules.push_back(std::move(rule));
  };
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    line = line.substr(0, line.find('\0'));
    if (logical.empty()) logical_line = number;
    // A backslash at the end of a line continues it (not in a comment line).
    if (!line.empty() && line.back() == '\\' && parse::TrimWhitespace(line).front() != '#') {
      logical.append(line.substr(0, line.size() - 1));
      logical.push_back(' ');
      return;
    }
    logical.append(line);
    handle(logical, logical_line);
    logical.clear();
  });
  if (!logical.empty()) handle(logical, logical_line);
  return out;
}

}  // namespace imageprobe::probes::users
