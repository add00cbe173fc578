// SPDX-License-Identifier: Apache-2.0
// The ExecStart of a systemd service drop-in and the sshd `-o` options on it. EC2 Instance
// Connect installs such a drop-in to run sshd with its own AuthorizedKeysCommand; sshd
// processes `-o` before sshd_config, so these options win (formats.md §3, §6a). Pure parsers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

struct UnitProblem {
  uint32_t line = 0;
  std::string message;
};

// One command line split like systemd does (systemd.service "Command lines"): whitespace
// separates words, single and double quotes group, C escapes inside, "%%" -> "%", "$$" -> "$".
// Other specifiers (%i, %n…) and $VARIABLES stay as written (we cannot know their values).
struct CommandLine {
  std::vector<std::string> argv;
  std::string prefixes;                 // "@-:+!" flags before the program, as written
  std::vector<std::string> unexpanded;  // "$SSHD_OPTS", "%i": kept literally
  std::vector<std::string> problems;    // unterminated quote, bad escape
};
CommandLine SplitSystemdCommandLine(std::string_view text);

struct SshdOption {
  std::string keyword;  // as written ("AuthorizedKeysCommand")
  std::string value;    // the rest, trimmed
};
void to_json(nlohmann::json& j, const SshdOption& option);

// sshd's own command line: the `-o` options in order (getopt with sshd's option string, so
// "-o X", "-oX" and "-Do X" all count). A `-o` without its argument is a problem.
struct SshdCommandLine {
  std::vector<SshdOption> options;
  std::vector<std::string> problems;
};
SshdCommandLine ParseSshdArguments(const std::vector<std::string>& argv);

// "Keyword value" or "Keyword=value" -> {Keyword, value}; nullopt for an empty option.
std::optional<SshdOption> SplitSshdOption(std::string_view option);

struct ServiceExecStart {
  bool resets_exec_start = false;  // an empty "ExecStart=" (clears what the unit had)
  bool has_exec_start = false;     // a non-empty ExecStart after the last reset
  uint32_t line = 0;               // of that ExecStart
  std::string raw;                 // its value with continuations joined
  CommandLine command;
  SshdCommandLine sshd;
  std::vector<UnitProblem> problems;
};

// Reads the [Service] ExecStart= lines of a unit or drop-in: "\" continuations, "#"/";"
// comments, sections, an empty assignment resetting the list. With several non-empty
// ExecStart lines (only legal for Type=oneshot) the last one is described.
ServiceExecStart ParseServiceExecStart(std::string_view text);

}  // namespace imageprobe::probes
