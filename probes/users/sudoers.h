// SPDX-License-Identifier: Apache-2.0
// sudoers files parsed into what decides "who may run what as root, with or without a
// password": include directives, aliases and user specifications. Pure: text in, structs out.
// Defaults lines are recognised and skipped; anything unparsable is a problem with its line.
//
// References: sudoers(5) "Including other files from within sudoers", "User specification",
// "Tag_Spec", "Aliases", "Other special characters and reserved words" (line continuation,
// '#' comments vs. #include and #uid).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/user_db.h"

namespace imageprobe::probes::users {

struct SudoersInclude {
  uint32_t line = 0;
  std::string path;  // as written (quotes removed)
  bool directory = false;
};

struct SudoersAlias {
  uint32_t line = 0;
  std::string kind;  // "User_Alias", "Runas_Alias", "Host_Alias", "Cmnd_Alias"
  std::string name;
  std::vector<std::string> members;
};

struct SudoCommand {
  std::string runas;              // "(ALL : ALL)" contents, empty when not given (root)
  std::vector<std::string> tags;  // "NOPASSWD", "SETENV", … in force for this command
  bool nopasswd = false;
  std::string command;  // "ALL", "/usr/bin/apt", a Cmnd_Alias name, possibly "!…"
};

struct SudoersRule {
  uint32_t line = 0;
  std::vector<std::string> users;  // "alice", "%sudo", "#1000", "ADMINS", "!bob", "ALL"
  std::vector<std::string> hosts;
  std::vector<SudoCommand> commands;
  std::string text;  // the whole specification, continuation lines joined
};

struct SudoersParse {
  std::vector<SudoersInclude> includes;
  std::vector<SudoersAlias> aliases;
  std::vector<SudoersRule> rules;
  std::vector<parse::ParseProblem> problems;
};

SudoersParse ParseSudoers(std::string_view text);

// sudoers(5): files in an includedir are skipped when their name ends in '~' or contains '.'
// (editor backups and package manager leftovers such as .dpkg-old, .rpmnew).
bool SudoersIncludedirSkips(std::string_view file_name);

}  // namespace imageprobe::probes::users
