// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/ini.h"

#include "scanner/parse/text.h"

namespace imageprobe::parse {

const IniEntry* IniSection::Find(std::string_view key) const {
  // The last one wins: the AWS SDK for Go (internal/ini, a map per section) and go-ini both keep
  // the value of the last line for a key given twice.
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
    if (EqualsIgnoreCase(entry->key, key)) return &*entry;
  }
  return nullptr;
}

IniFile ParseIni(std::string_view text) {
  IniFile file;
  // A UTF-8 byte order mark (Windows Notepad writes one) would otherwise make the first header
  // unreadable and its keys nameless; go-ini skips it the same way.
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  // Keys before the first header still matter (a secret is a secret wherever it sits), so they
  // live in an unnamed section; the AWS CLI itself would refuse such a file.
  auto current = [&]() -> IniSection& {
    if (file.sections.empty()) file.sections.push_back({"", 0, {}});
    return file.sections.back();
  };
  // The key that an indented "sub = value" line belongs to (configparser continuation lines,
  // which the AWS CLI reads as nested settings such as "s3 =\n  max_concurrent_requests = 5").
  std::string parent_key;
  ForEachLine(text, [&](std::string_view raw, uint32_t number) {
    bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    std::string_view line = TrimWhitespace(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') return;
    if (line.front() == '[' && !indented) {
      size_t close = line.find(']');
      if (close == std::string_view::npos) {
        file.problems.push_back({number, "section header without a closing ']'"});
        parent_key.clear();
        return;
      }
      std::string_view rest = TrimWhitespace(line.substr(close + 1));
      if (!rest.empty() && rest.front() != '#' && rest.front() != ';') {
        file.problems.push_back({number, "text after a section header"});
      }
      file.sections.push_back({std::string(TrimWhitespace(line.substr(1, close - 1))), number, {}});
      parent_key.clear();
      return;
    }
    size_t sep = line.find_first_of("=:");
    if (sep == std::string_view::npos) {
      file.problems.push_back({number, "line is neither a section header nor key = value"});
      return;
    }
    std::string key(TrimWhitespace(line.substr(0, sep)));
    std::string value(TrimWhitespace(line.substr(sep + 1)));
    if (key.empty()) {
      file.problems.push_back({number, "empty key"});
      return;
    }
    if (indented && !parent_key.empty()) {
      current().entries.push_back({parent_key + "." + key, std::move(value), number});
      return;
    }
    parent_key = value.empty() ? key : std::string();
    current().entries.push_back({std::move(key), std::move(value), number});
  });
  return file;
}

std::optional<std::string> UnquoteIniValue(std::string_view value) {
  value = TrimWhitespace(value);
  if (value.empty()) return std::string();
  char quote = value.front();
  if (quote != '"' && quote != '\'') {
    // A bare TOML value may carry a trailing comment; INI values never start with a quote.
    size_t hash = value.find(" #");
    return std::string(TrimWhitespace(value.substr(0, hash)));
  }
  std::string out;
  for (size_t i = 1; i < value.size(); ++i) {
    char c = value[i];
    if (c == quote) return out;
    if (quote == '"' && c == '\\' && i + 1 < value.size()) {
      char next = value[++i];
      switch (next) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        default:
          out += next;
          break;  // \" \\ and anything else: the character itself
      }
      continue;
    }
    out += c;
  }
  return std::nullopt;
}

}  // namespace imageprobe::parse
