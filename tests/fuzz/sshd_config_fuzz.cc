// SPDX-License-Identifier: Apache-2.0
// sshd_config as the scanner reads it from an image: the input is a tree of files (see
// fuzz_files.h; the first is /etc/ssh/sshd_config, markers add included files, systemd units and
// drop-ins), read through an in-memory Filesystem. Covers the tokenizer, the Include/Match
// parser, glob expansion, the effective configuration per user and the sshd.config probe's
// findings.
//
// Not the probe's facts: one fact per keyword (about a hundred, defaults included) cost more
// than half of each execution here and are the same for most inputs; probe_tree runs the whole
// probe, facts included. Without them this target runs about twice as many inputs per second
// (146 -> 309 exec/s, 20 s from the seeds, side by side).
#include <cstddef>
#include <cstdint>

#include "probes/common/user_db.h"
#include "probes/sshd/sshd_config.h"
#include "probes/sshd/sshd_findings.h"
#include "scanner/core/probe.h"
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
  OsInfo os;
  Context context;
  Target target{fs, os, limits, context};
  // As the probe does: the configuration collected once through the Context, the users with
  // Match overrides, then the findings.
  const probes::SshdConfig& config = probes::SshdConfigOf(target);
  Output out;
  probes::EvaluateSshdFindings(
      config, probes::UsersWithMatchOverrides(config, probes::UsersOf(target)), fs, out);

  // The questions other probes ask of the same configuration, one evaluation per user (each
  // *For/*Of helper below is a one-line wrapper over the evaluation plus these).
  for (const char* user : {"root", "alice", "nobody"}) {
    std::vector<std::string> groups = {user, "sudo"};
    probes::SshdUserSettings effective = config.EffectiveFor(user, groups);
    for (const std::string& pattern : probes::AuthorizedKeysFilesIn(effective.settings).patterns) {
      probes::ExpandAuthorizedKeysPath(pattern, user, 1000, "/home/x");
    }
    probes::AuthorizedKeysCommandIn(effective.settings);
  }
  config.AuthorizedKeysFiles("alice", {"alice", "sudo"});
  config.AuthorizedKeysCommand("alice", {"alice", "sudo"});
  config.StrictModes();
  return 0;
}
