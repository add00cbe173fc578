// SPDX-License-Identifier: Apache-2.0
// References: systemd.service(5) ExecStart= "Command lines", systemd.unit(5) drop-in
// directories and specifiers (%% is a literal %), systemd.syntax(7) (line continuation,
// comments); sshd(8) OPTIONS (-f, -h, -o, -p); aws-ec2-instance-connect-config
// src/{deb,rpm}_systemd/*/ec2-instance-connect.conf; formats.md §3, §6a.
#include "probes/sshd/sshd_service.h"

#include "scanner/parse/text.h"

namespace imageprobe::probes {

std::vector<std::string> SplitServiceCommandWords(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t') {
      ++i;
      continue;
    }
    std::string word;
    char quote = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (quote == 0 && (c == ' ' || c == '\t')) break;
      if (c == '\\' && i + 1 < s.size()) {
        char next = s[++i];
        switch (next) {
          case 'n':
            word.push_back('\n');
            break;
          case 't':
            word.push_back('\t');
            break;
          default:
            word.push_back(next);
            break;
        }
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (c == '%' && i + 1 < s.size() && s[i + 1] == '%') {
        word.push_back('%');
        ++i;
      } else {
        word.push_back(c);
      }
    }
    words.push_back(std::move(word));
  }
  return words;
}

namespace {

// Logical lines of a unit file: "\" at the end continues the line; "#" and ";" comment.
template <class Fn>
void ForEachUnitLine(std::string_view text, Fn&& fn) {
  std::string pending;
  uint32_t first_line = 0;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    std::string_view trimmed = parse::TrimWhitespace(line);
    if (pending.empty() && (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';')) return;
    if (pending.empty()) first_line = number;
    if (!trimmed.empty() && trimmed.back() == '\\') {
      trimmed.remove_suffix(1);
      pending.append(trimmed);
      pending.push_back(' ');
      return;
    }
    pending.append(trimmed);
    fn(std::string_view(pending), first_line);
    pending.clear();
  });
  if (!pending.empty()) fn(std::string_view(pending), first_line);
}

// getopt letters of sshd 9.x that take an argument ("C:E:b:c:f:g:h:k:o:p:u:").
bool TakesArgument(char option) {
  return std::string_view("CEbcfghkopu").find(option) != std::string_view::npos;
}

}  // namespace

namespace {

// Calls fn(file, key, value) for every assignment in the [Service] sections.
template <class Fn>
void ForEachServiceAssignment(std::span<const UnitFileText> files, Fn&& fn) {
  for (const UnitFileText& file : files) {
    bool in_service = false;
    ForEachUnitLine(file.text, [&](std::string_view line, uint32_t) {
      if (line.front() == '[') {
        in_service = parse::TrimWhitespace(line) == "[Service]";
        return;
      }
      size_t equals = line.find('=');
      if (!in_service || equals == std::string_view::npos) return;
      fn(file, parse::TrimWhitespace(line.substr(0, equals)),
         parse::TrimWhitespace(line.substr(equals + 1)));
    });
  }
}

std::string Unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

// Replaces "${NAME}" inside a word.
std::string ExpandBraced(std::string word, const std::map<std::string, std::string>& env) {
  for (size_t start = word.find("${"); start != std::string::npos; start = word.find("${", start)) {
    size_t end = word.find('}', start);
    if (end == std::string::npos) break;
    auto it = env.find(word.substr(start + 2, end - start - 2));
    std::string value = it == env.end() ? std::string() : it->second;
    word.replace(start, end - start + 1, value);
    start += value.size();
  }
  return word;
}

}  // namespace

std::vector<std::string> SshdEnvironmentFiles(std::span<const UnitFileText> files) {
  std::vector<std::string> paths;
  ForEachServiceAssignment(files,
                           [&](const UnitFileText&, std::string_view key, std::string_view value) {
                             if (key != "EnvironmentFile") return;
                             if (value.empty()) {
                               paths.clear();  // an empty assignment resets the list
                               return;
                             }
                             for (std::string& word : SplitServiceCommandWords(value)) {
                               if (!word.empty() && word.front() == '-') word.erase(0, 1);
                               if (!word.empty()) paths.push_back(std::move(word));
                             }
                           });
  return paths;
}

std::map<std::string, std::string> ParseEnvironmentFile(std::string_view text) {
  std::map<std::string, std::string> env;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t) {
    line = parse::TrimWhitespace(line);
    if (line.empty() || line.front() == '#' || line.front() == ';') return;
    if (line.starts_with("export ")) line = parse::TrimWhitespace(line.substr(7));
    size_t equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0) return;
    env[std::string(parse::TrimWhitespace(line.substr(0, equals)))] =
        Unquote(parse::TrimWhitespace(line.substr(equals + 1)));
  });
  return env;
}

SshdServiceCommand ParseSshdServiceCommand(std::span<const UnitFileText> files,
                                           const std::map<std::string, std::string>& environment) {
  SshdServiceCommand out;
  std::map<std::string, std::string> env;
  ForEachServiceAssignment(files,
                           [&](const UnitFileText&, std::string_view key, std::string_view value) {
                             if (key != "Environment") return;
                             for (const std::string& word : SplitServiceCommandWords(value)) {
                               size_t equals = word.find('=');
                               if (equals != std::string::npos && equals > 0) {
                                 env[word.substr(0, equals)] = word.substr(equals + 1);
                               }
                             }
                           });
  for (const auto& [key, value] : environment) env[key] = value;
  for (const UnitFileText& file : files) {
    bool in_service = false;
    ForEachUnitLine(file.text, [&](std::string_view line, uint32_t) {
      if (line.front() == '[') {
        in_service = parse::TrimWhitespace(line) == "[Service]";
        return;
      }
      if (!in_service) return;
      size_t equals = line.find('=');
      if (equals == std::string_view::npos) return;
      if (parse::TrimWhitespace(line.substr(0, equals)) != "ExecStart") return;
      std::string_view value = parse::TrimWhitespace(line.substr(equals + 1));
      // Only one ExecStart= is allowed for a simple/notify service: an empty assignment
      // resets, and a later one replaces what is left.
      out.exec_start = std::string(value);
      out.exec_start_file = value.empty() ? std::string() : file.path;
    });
  }
  if (out.exec_start.empty()) return out;
  for (std::string& word : SplitServiceCommandWords(out.exec_start)) {
    if (word.size() > 1 && word.front() == '$' && word[1] != '{') {
      auto it = env.find(word.substr(1));
      if (it == env.end()) {
        out.notes.push_back(word + " is not set in the unit or its EnvironmentFile");
        continue;
      }
      for (std::string_view part : parse::SplitWhitespace(it->second)) out.argv.emplace_back(part);
      continue;
    }
    out.argv.push_back(ExpandBraced(std::move(word), env));
  }
  if (!out.argv.empty()) {
    std::string& program = out.argv.front();
    // Executable prefixes: "-" (ignore failure), "@", ":", "+", "!", "!!".
    size_t skip = program.find_first_not_of("-@:+!");
    program.erase(0, skip == std::string::npos ? program.size() : skip);
  }
  for (size_t i = 1; i < out.argv.size(); ++i) {
    const std::string& word = out.argv[i];
    if (word.size() < 2 || word[0] != '-' || word == "--") continue;
    for (size_t j = 1; j < word.size(); ++j) {
      char option = word[j];
      if (!TakesArgument(option)) continue;
      std::string value;
      if (j + 1 < word.size()) {
        value = word.substr(j + 1);
      } else if (i + 1 < out.argv.size()) {
        value = out.argv[++i];
      }
      switch (option) {
        case 'o':
          out.options.push_back({value, out.exec_start_file});
          break;
        case 'p':
          out.options.push_back({"Port " + value, out.exec_start_file});
          break;
        case 'h':
          out.options.push_back({"HostKey \"" + value + "\"", out.exec_start_file});
          break;
        case 'f':
          out.config_file = value;
          break;
        default:
          break;
      }
      break;  // the rest of this word was the option's argument
    }
  }
  return out;
}

}  // namespace imageprobe::probes
