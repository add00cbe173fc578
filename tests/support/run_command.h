// SPDX-License-Identifier: Apache-2.0
// Test-only helpers to drive oracle tools (ssh-keygen) and to make scratch directories.
#pragma once

#include <filesystem>
#include <string>

namespace imageprobe::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout only
};

// Runs `command` through /bin/sh and captures its stdout.
CommandResult RunCommand(const std::string& command);

// Quotes one argument for /bin/sh.
std::string ShellQuote(const std::string& arg);

// A fresh directory under $TMPDIR (or /tmp), removed when the object goes out of scope.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace imageprobe::testing
