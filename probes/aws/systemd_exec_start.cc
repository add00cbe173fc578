// SPDX-License-Identifier: Apache-2.0
// References: systemd.syntax(7) (line continuation, comments, sections), systemd.service(5)
// "Command lines" (quoting, C escapes, prefixes, empty ExecStart= resets), systemd.unit(5)
// "Specifiers" ("%%"), sshd(8) -o, OpenSSH sshd.c getopt string and servconf.c
// process_server_config_line (keyword and value split on whitespace or "=");
// ../shared/reference/formats.md §3, §6a.
#include "probes/aws/systemd_exec_start.h"

#include <cctype>

#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads one C escape after a backslash at text[i]; appends the character and returns the
// index of the last character consumed.
size_t Unescape(std::string_view text, size_t i, std::string& word, CommandLine& out) {
  if (i + 1 >= text.size()) {
    out.problems.push_back("backslash at the end of the command line");
    return i;
  }
  char c = text[i + 1];
  switch (c) {
    case 'a':
      word += '\a';
      return i + 1;
    case 'b':
      word += '\b';
      return i + 1;
    case 'f':
      word += '\f';
      return i + 1;
    case 'n':
      word += '\n';
      return i + 1;
    case 'r':
      word += '\r';
      return i + 1;
    case 't':
      word += '\t';
      return i + 1;
    case 'v':
      word += '\v';
      return i + 1;
    case 's':
      word += ' ';
      return i + 1;
    case '\\':
    case '"':
    case '\'':
    case ' ':
    case ';':
      word += c;
      return i + 1;
    case 'x':
      if (i + 3 < text.size() && HexValue(text[i + 2]) >= 0 && HexValue(text[i + 3]) >= 0) {
        word += static_cast<char>(HexValue(text[i + 2]) * 16 + HexValue(text[i + 3]));
        return i + 3;
      }
      break;
    default:
      break;
  }
  out.problems.push_back(std::string("unknown escape \\") + c);
  word += c;
  return i + 1;
}

}  // namespace

void to_json(nlohmann::json& j, const SshdOption& option) {
  j = nlohmann::json{{"keyword", option.keyword}, {"value", option.value}};
}

CommandLine SplitSystemdCommandLine(std::string_view text) {
  CommandLine out;
  text = parse::TrimWhitespace(text);
  size_t start = 0;
  while (start < text.size() &&
         std::string_view("@-:+!").find(text[start]) != std::string_view::npos) {
    ++start;
  }
  out.prefixes = std::string(text.substr(0, start));

  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (quote == 0 && IsBlank(c)) {
      if (in_word) out.argv.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (quote == 0 && (c == '"' || c == '\'')) {
      quote = c;
    } else if (quote != 0 && c == quote) {
      quote = 0;
    } else if (c == '\\') {
      i = Unescape(text, i, word, out);
    } else if (c == '%') {
      if (i + 1 < text.size() && text[i + 1] == '%') {
        word += '%';
        ++i;
      } else {
        std::string specifier(text.substr(i, 2));
        out.unexpanded.push_back(specifier);
        word += specifier;
        i += specifier.size() - 1;
      }
    } else if (c == '$') {
      if (i + 1 < text.size() && text[i + 1] == '$') {
        word += '$';
        ++i;
      } else {
        size_t end = i + 1;
        if (end < text.size() && text[end] == '{') {
          size_t close = text.find('}', end);
          end = close == std::string_view::npos ? text.size() : close + 1;
        } else {
          while (end < text.size() &&
                 (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
            ++end;
          }
        }
        out.unexpanded.emplace_back(text.substr(i, end - i));
        word += text.substr(i, end - i);
        i = end - 1;
      }
    } else {
      word += c;
    }
  }
  if (quote != 0) out.problems.push_back("unterminated quote");
  if (in_word) out.argv.push_back(std::move(word));
  return out;
}

std::optional<SshdOption> SplitSshdOption(std::string_view option) {
  option = parse::TrimWhitespace(option);
  size_t end = option.find_first_of(" \t=");
  std::string_view keyword = option.substr(0, end);
  if (keyword.empty()) return std::nullopt;
  std::string_view value = end == std::string_view::npos ? std::string_view() : option.substr(end);
  value = parse::TrimWhitespace(value);
  if (!value.empty() && value.front() == '=') value = parse::TrimWhitespace(value.substr(1));
  return SshdOption{std::string(keyword), std::string(value)};
}

SshdCommandLine ParseSshdArguments(const std::vector<std::string>& argv) {
  // OpenSSH 9.x sshd.c: "C:E:b:c:f:g:h:k:o:p:u:46DGQRTdeiqrtV". Options with ':' take a value.
  static constexpr std::string_view kWithValue = "CEbcfghkopu";
  SshdCommandLine out;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;  // glibc getopt permutes operands away
    for (size_t j = 1; j < arg.size(); ++j) {
      char flag = arg[j];
      if (kWithValue.find(flag) == std::string_view::npos) continue;
      std::string value;
      if (j + 1 < arg.size()) {
        value = arg.substr(j + 1);
      } else if (i + 1 < argv.size()) {
        value = argv[++i];
      } else {
        out.problems.push_back(std::string("-") + flag + " without its argument");
        break;
      }
      if (flag == 'o') {
        if (auto option = SplitSshdOption(value)) {
          out.options.push_back(std::move(*option));
        } else {
          out.problems.push_back("empty -o option");
        }
      }
      break;  // the value ends this argument
    }
  }
  return out;
}

ServiceExecStart ParseServiceExecStart(std::string_view text) {
  ServiceExecStart out;
  std::string section;
  std::string pending;  // a logical line being continued with "\"
  uint32_t pending_line = 0;

  auto handle = [&](std::string_view line, uint32_t number) {
    line = parse::TrimWhitespace(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') return;
    if (line[0] == '[') {
      if (line.back() != ']') {
        out.problems.push_back({number, "malformed section header"});
        return;
      }
      section = std::string(line.substr(1, line.size() - 2));
      return;
    }
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      out.problems.push_back({number, "not a Key=Value assignment"});
      return;
    }
    std::string_view key = parse::TrimWhitespace(line.substr(0, equals));
    std::string_view value = parse::TrimWhitespace(line.substr(equals + 1));
    if (section != "Service" || key != "ExecStart") return;
    if (value.empty()) {
      out.resets_exec_start = true;
      out.has_exec_start = false;
      out.raw.clear();
      out.line = 0;
      return;
    }
    out.has_exec_start = true;
    out.raw = std::string(value);
    out.line = number;
  };

  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (!pending.empty()) {
      std::string_view trimmed = parse::TrimWhitespace(line);
      // systemd skips comment lines inside a continued line.
      if (!trimmed.empty() && (trimmed[0] == '#' || trimmed[0] == ';')) return;
    }
    if (pending.empty()) pending_line = number;
    if (!line.empty() && line.back() == '\\') {
      pending.append(line.substr(0, line.size() - 1));
      pending += ' ';
      return;
    }
    pending.append(line);
    handle(pending, pending_line);
    pending.clear();
  });
  if (!pending.empty()) handle(pending, pending_line);

  if (out.has_exec_start) {
    out.command = SplitSystemdCommandLine(out.raw);
    out.sshd = ParseSshdArguments(out.command.argv);
  }
  return out;
}

}  // namespace imageprobe::probes
