// SPDX-License-Identifier: Apache-2.0
// A scratch directory under the build tree (IMAGEPROBE_TEST_TMPDIR), removed with everything in
// it when the test ends. Test images and fixture trees are made here, never committed.
#pragma once

#include <string>

namespace imageprobe::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(std::string_view rel) const { return path_ + "/" + std::string(rel); }

  // Helpers that build fixtures; each fails the test (ADD_FAILURE) on error.
  void WriteFile(std::string_view rel, std::string_view content) const;
  void MakeDirs(std::string_view rel) const;
  void Symlink(std::string_view rel, std::string_view target) const;

 private:
  std::string path_;
};

// A directory under IMAGEPROBE_TEST_TMPDIR built once by `script` (run by /bin/sh inside it)
// and then shared by every test process (ctest runs each test alone): the qemu-img fixtures
// take seconds to make. Keyed by the script's hash, guarded by flock(2), never modified by
// tests. Returns "" (and fails the test) when the script fails.
std::string SharedFixtureDir(std::string_view name, const std::string& script);

// Runs `command` through /bin/sh; returns its exit status (-1 when it could not run).
int RunShell(const std::string& command);

// `command`'s standard output ("" when it could not run).
std::string ShellOutput(const std::string& command);

// `s` as one word for /bin/sh.
std::string ShellQuote(const std::string& s);

// The whole content of a host file ("" when it cannot be read).
std::string Slurp(const std::string& path);

}  // namespace imageprobe::testing
