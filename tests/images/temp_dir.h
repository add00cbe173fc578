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

// Runs `command` through /bin/sh; returns its exit status (-1 when it could not run).
int RunShell(const std::string& command);

}  // namespace imageprobe::testing
