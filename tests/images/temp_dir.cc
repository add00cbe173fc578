// SPDX-License-Identifier: Apache-2.0
#include "tests/images/temp_dir.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace imageprobe::testing {

TempDir::TempDir() {
  std::filesystem::create_directories(IMAGEPROBE_TEST_TMPDIR);
  std::string templ = std::string(IMAGEPROBE_TEST_TMPDIR) + "/t.XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp " << templ;
  }
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Make everything removable again (tests chmod 000 some entries).
  RunShell("chmod -R u+rwX '" + path_ + "' 2>/dev/null");
  std::filesystem::remove_all(path_, ec);  // never follows symlinks
}

void TempDir::WriteFile(std::string_view rel, std::string_view content) const {
  std::filesystem::path p = *this / rel;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) ADD_FAILURE() << "write " << p;
}

void TempDir::MakeDirs(std::string_view rel) const {
  std::filesystem::create_directories(*this / rel);
}

void TempDir::Symlink(std::string_view rel, std::string_view target) const {
  std::filesystem::path p = *this / rel;
  std::filesystem::create_directories(p.parent_path());
  std::error_code ec;
  std::filesystem::create_symlink(std::string(target), p, ec);
  if (ec) ADD_FAILURE() << "symlink " << p << ": " << ec.message();
}

std::string SharedFixtureDir(std::string_view name, const std::string& script) {
  std::filesystem::create_directories(IMAGEPROBE_TEST_TMPDIR);
  std::string dir = std::string(IMAGEPROBE_TEST_TMPDIR) + "/" + std::string(name) + "-" +
                    std::to_string(std::hash<std::string>{}(script));
  int lock = ::open((dir + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
    ADD_FAILURE() << "lock " << dir;
    return "";
  }
  std::string result = dir;
  if (!std::filesystem::exists(dir + "/.complete")) {
    std::error_code ec;
    // Fixtures of an older version of the script are stale: drop them.
    for (const auto& entry : std::filesystem::directory_iterator(IMAGEPROBE_TEST_TMPDIR)) {
      std::string other = entry.path().filename().string();
      if (other.starts_with(std::string(name) + "-") && entry.path() != dir &&
          entry.path() != dir + ".lock" && entry.is_directory()) {
        std::filesystem::remove_all(entry.path(), ec);
      }
    }
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir);
    if (RunShell("cd '" + dir + "' && (" + script + ") && touch .complete") != 0) {
      ADD_FAILURE() << "fixture script failed in " << dir;
      result = "";
    }
  }
  ::close(lock);
  return result;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

int RunShell(const std::string& command) {
  int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

std::string ShellOutput(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace imageprobe::testing
