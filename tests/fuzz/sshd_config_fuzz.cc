// SPDX-License-Identifier: Apache-2.0
// sshd_config as the scanner reads it from an image: the input is a tree of files (see
// fuzz_files.h; the first is /etc/ssh/sshd_config, markers add included files, systemd units and
// drop-ins), read through an in-memory Filesystem. Covers the tokenizer, the Include/Match
// parser, glob expansion, the effective configuration per user and the sshd.config probe's
// findings.
#include <cstddef>
#include <cstdint>

#include "probes/sshd/sshd_config.h"
#include "probes/sshd/sshd_config_probe.h"
#include "scanner/probe.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe;
  testing::MemoryFs fs;
  fs.File("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
  fs.File("/etc/group", "root:x:0:\nalice:x:1000:\nsudo:x:27:alice\n");
  fuzz::AddFuzzFiles(fs, fuzz::SplitFuzzFiles(fuzz::AsText(data, size), "/etc/ssh/sshd_config"));

  ScanLimits limits;
  limits.max_file_bytes = 1 << 20;
  probes::SshdConfig config = probes::CollectSshdConfig(fs, limits);
  for (const char* user : {"root", "alice", "nobody"}) {
    std::vector<std::string> groups = {user, "sudo"};
    probes::SshdUserSettings effective = config.EffectiveFor(user, groups);
    for (const std::string& pattern : config.AuthorizedKeysFiles(user, groups).patterns) {
      probes::ExpandAuthorizedKeysPath(pattern, user, 1000, "/home/x");
    }
    config.AuthorizedKeysCommand(user, groups);
    (void)effective;
  }
  config.StrictModes();

  // The whole probe: the same parse through the Context, then facts and findings.
  OsInfo os;
  Context context;
  Target target{fs, os, limits, context};
  Output out;
  probes::SshdConfigProbe().Run(target, out);
  return 0;
}
