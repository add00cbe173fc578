// SPDX-License-Identifier: Apache-2.0
// The set of sudoers files sudo would read, following @include/#include and
// @includedir/#includedir inside the image, and the sudo rights each account gets from them.
//
// References: sudoers(5) "Including other files from within sudoers" (relative paths are taken
// from the including file's directory since sudo 1.9.1; includedir files are read in sorted
// order, skipping names that end in '~' or contain '.'), "User specification", "Aliases".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/user_db.h"
#include "probes/users/sudoers.h"
#include "scanner/core/filesystem.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes::users {

struct SudoersFile {
  std::string path;
  SudoersParse parsed;
};

struct SudoersTree {
  bool present = false;                 // the main file exists
  std::vector<SudoersFile> files;       // in the order sudo reads them
  std::vector<Diagnostic> diagnostics;  // unreadable files, include loops, depth, bad lines
};

// Reads `main` and everything it includes, at most `max_depth` levels deep. A file that
// includes itself, directly or not, is reported once and not read again.
SudoersTree CollectSudoers(const Filesystem& fs, uint64_t max_file_bytes, uint32_t max_depth,
                           std::string_view main = "/etc/sudoers");

struct SudoGrant {
  std::string file;
  uint32_t line = 0;
  std::string text;           // the rule as written
  bool nopasswd = false;      // some command runs without a password
  bool nopasswd_all = false;  // ALL commands run without a password
  bool all_commands = false;  // ALL commands (with or without a password)
};

struct SudoRights {
  std::vector<SudoGrant> grants;
  bool nopasswd_all = false;
  bool any_nopasswd = false;
  bool all_commands = false;
};

// The rules whose user list matches `user`: by name, #uid, %group, %#gid, ALL, or a User_Alias
// of those; "!" negates, the last matching item decides (sudoers(5)). Host lists are not
// evaluated: a scanner does not know the host name an instance will get.
SudoRights SudoRightsOf(const SudoersTree& tree, const User& user, const UserDb& db);

}  // namespace imageprobe::probes::users
