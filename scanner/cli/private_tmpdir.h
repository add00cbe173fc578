// SPDX-License-Identifier: Apache-2.0
// One private temporary directory per imageprobe process, exported as TMPDIR to everything the
// scan starts. QEMU puts the appliance's snapshot overlay (`vl.XXXXXX`) in TMPDIR and deletes it
// only when it exits cleanly; a QEMU that aborts (the KVM MSR failure) or that we kill on
// SIGINT/SIGTERM would leave it in the user's TMPDIR. Inside our own directory, removed
// recursively on every exit (the interrupt watcher included), nothing can be left behind, and two
// scans at once never share a temporary name.
#pragma once

#include <string>

namespace imageprobe::cli {

class PrivateTmpdir {
 public:
  // Call first in main(): it changes the environment, which is only safe before any thread or
  // child process starts. Pins libguestfs' appliance cache to where TMPDIR would have put it, so
  // the cached appliance is still shared between runs. When the directory cannot be created the
  // environment is left alone (the scan still works; only the cleanup guarantee is weaker).
  PrivateTmpdir();
  ~PrivateTmpdir();
  PrivateTmpdir(const PrivateTmpdir&) = delete;
  PrivateTmpdir& operator=(const PrivateTmpdir&) = delete;

  // Empty when the directory could not be created.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace imageprobe::cli
