// SPDX-License-Identifier: Apache-2.0
// A forgiving INI reader for the AWS shared files (~/.aws/credentials, ~/.aws/config, the SSM
// agent's credentials file) and the flat TOML the CloudWatch agent writes (common-config.toml).
// Pure: text in, sections out; a line it cannot read becomes a problem with its number. A leading
// UTF-8 byte order mark is skipped; CRLF line ends are read as LF.
//
// References: AWS CLI user guide, cli-configure-files ("[profile name]", "#" comments, nested
// "s3 =" sub-keys indented below a key); Python configparser (what the CLI uses: "=" or ":",
// ";" comments, no inline comments); TOML v1.0 basic and literal strings (Unquote).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::parse {

struct IniEntry {
  std::string key;    // as written, trimmed; nested sub-keys are "parent.child"
  std::string value;  // trimmed, quotes kept (see Unquote)
  uint32_t line = 0;
};

struct IniSection {
  std::string name;  // "default", "profile prod", "credentials"; "" for keys before any header
  uint32_t line = 0;
  std::vector<IniEntry> entries;

  // The last entry whose key equals `key` ignoring ASCII case (a key given twice: the AWS SDK
  // for Go and go-ini keep the last value), or nullptr.
  const IniEntry* Find(std::string_view key) const;
};

struct IniProblem {
  uint32_t line = 0;
  std::string message;
};

struct IniFile {
  // In file order; a repeated header opens a new section (each is reported: a secret in either
  // is exposed, though the AWS SDK for Go keeps only the last).
  std::vector<IniSection> sections;
  std::vector<IniProblem> problems;
};

IniFile ParseIni(std::string_view text);

// TOML/INI value without its quotes: "\"a b\" # c" -> "a b", "'x'" -> "x", "bare" -> "bare".
// Basic-string escapes \" and \\ are undone; an unterminated quote returns nullopt.
std::optional<std::string> UnquoteIniValue(std::string_view value);

}  // namespace imageprobe::parse
