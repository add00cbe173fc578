// SPDX-License-Identifier: Apache-2.0
// The files that name the OS: os-release and lsb-release (KEY=value with shell quoting),
// redhat-release/system-release, debian_version, hostname, and an ELF header for the
// architecture.
#include <cstddef>
#include <cstdint>

#include "probes/os/os_release.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes::os;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  EnvFile env = ParseEnvFile(text);
  ReleaseFromOsRelease(env);
  ReleaseFromLsbRelease(env);
  ParseRedhatRelease(text);
  ParseDebianVersion(text);
  ParseHostnameFile(text);
  ElfArchitecture(text);
  return 0;
}
