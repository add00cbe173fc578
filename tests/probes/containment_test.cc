// SPDX-License-Identifier: Apache-2.0
// Containment per file, for every probe (issue 13): on every fixture root, each file a probe
// reads whole is replaced in turn by junk, by a truncated copy, and by odd but valid text (a
// UTF-8 byte order mark, CRLF line ends, no final newline). Then:
//   - the probe still runs to its end (an exception out of Run is a bug in the probe: the runner
//     would mark the whole probe failed and the report would lose all its evidence);
//   - every error it adds names the file that was replaced, in our words (no library text);
//   - what it reported from each other file it read is still there: every fact whose `path` is
//     another file keeps its kind and key, unless the replaced file is one that decides which
//     other files are read at all (passwd lists the homes, sshd_config the key files, …).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "probes/all_probes.h"
#include "scanner/core/read_log.h"
#include "tests/support/fixture_tree.h"
#include "tests/support/probe_run.h"

namespace imageprobe {
namespace {

using testing::MemoryFs;

// Files whose content decides which other files a probe reads or how it judges them: replacing
// them may rightly change the facts of other files.
bool DecidesOtherReads(std::string_view path) {
  static const std::vector<std::string_view> kDeciders = {
      "/etc/passwd",     "/etc/group",          "/etc/shadow",       "/etc/ssh/sshd_config",
      "/etc/os-release", "/usr/lib/os-release", "/etc/login.defs",   "/var/lib/dpkg/status",
      "/etc/fstab",      "/etc/sudoers",        "/etc/nsswitch.conf"};
  return std::ranges::find(kDeciders, path) != kDeciders.end() ||
         // sshd's configuration files: each may Include others
         path.find("sshd_config") != std::string_view::npos ||
         (path.starts_with("/etc/ssh/") && path.ends_with(".conf")) ||
         path.starts_with("/etc/pam.d/") || path.starts_with("/etc/sudoers.d/") ||
         path.starts_with("/etc/systemd/") || path.starts_with("/lib/systemd/") ||
         path.starts_with("/usr/lib/systemd/") || path.starts_with("/etc/cloud/") ||
         path.starts_with("/etc/amazon/") || path.starts_with("/var/lib/rpm/") ||
         // an ssh client config names the keys it uses; the CloudWatch agent's common config
         // names its credentials file
         path.ends_with("/.ssh/config") || path == "/etc/ssh/ssh_config" ||
         path.ends_with("/amazon-cloudwatch-agent/etc/common-config.toml");
}

bool LooksLikeLibraryText(std::string_view message) {
  for (std::string_view marker : {"json.exception", "yaml-cpp", "what()", "basic_string",
                                  "std::", "bad_alloc", "terminate called", "vector::"}) {
    if (message.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

struct ProbeRead {
  std::vector<Fact> facts;
  std::vector<Diagnostic> errors;
  std::vector<std::string> read;  // files read whole
};

ProbeRead RunOn(const Probe& probe, const Filesystem& fs) {
  ReadLog log;
  RecordingFilesystem recording(fs, log);
  testing::ProbeResult outcome = testing::RunProbe(probe, recording);
  return {outcome.out.facts(), outcome.out.errors(), log.Paths()};
}

// Every fixture root tree, relative to tests/fixtures: a case's root/ (ssm_cleared/root), a
// tree that is a root itself (debian12, demo/v1), and each sshd configuration case.
MemoryFs LoadRoot(const std::string& relative) {
  MemoryFs fs;
  testing::LoadFixtureTree(testing::FixturesDir() / relative, fs);
  return fs;
}

class Containment : public ::testing::TestWithParam<std::string> {};

TEST_P(Containment, OneBadFileCostsAProbeOnlyWhatThatFileHeld) {
  const MemoryFs original = LoadRoot(GetParam());
  size_t replaced = 0;
  for (const Probe* probe : probes::AllProbes()) {
    ProbeRead baseline;
    ASSERT_NO_THROW(baseline = RunOn(*probe, original)) << probe->name();
    // A probe that reads hundreds of files (the secrets scan) is held to its first 25.
    const size_t count = std::min<size_t>(baseline.read.size(), 25);
    for (size_t i = 0; i < count; ++i) {
      const std::string& path = baseline.read[i];
      auto text = original.ReadFile(path, 1 << 20);
      if (!text) continue;
      std::string odd = "\xEF\xBB\xBF";
      for (char c : *text) odd += c == '\n' ? std::string("\r\n") : std::string(1, c);
      while (odd.ends_with("\r\n")) odd.resize(odd.size() - 2);
      const std::pair<std::string_view, std::string> variants[] = {
          {"junk", std::string("\x01\xff\xfe junk ]]] \0 {=:\"", 20)},
          {"truncated", text->substr(0, text->size() / 2)},
          {"odd", odd},
      };
      for (const auto& [variant, content] : variants) {
        SCOPED_TRACE(std::string(probe->name()) + ": " + path + " as " + std::string(variant));
        MemoryFs fs = LoadRoot(GetParam());
        fs.File(path, content);
        ProbeRead run;
        ASSERT_NO_THROW(run = RunOn(*probe, fs));
        ++replaced;
        for (const Diagnostic& d : run.errors) {
          EXPECT_FALSE(LooksLikeLibraryText(d.message)) << d.path << ": " << d.message;
          bool known = std::ranges::any_of(baseline.errors, [&](const Diagnostic& b) {
            return b.path == d.path && b.message == d.message;
          });
          bool names_it = d.path == path || d.message.find(path) != std::string::npos;
          EXPECT_TRUE(known || names_it || DecidesOtherReads(path))
              << "a new error about another file: " << d.path << ": " << d.message;
        }
        if (DecidesOtherReads(path)) continue;
        std::set<std::pair<std::string, std::string>> kept;
        for (const Fact& f : run.facts) kept.emplace(f.kind, f.key);
        for (const Fact& f : baseline.facts) {
          auto from = f.data.find("path");
          if (from == f.data.end() || !from->is_string()) continue;
          const std::string other = from->get<std::string>();
          if (other == path) continue;
          EXPECT_TRUE(kept.contains({f.kind, f.key}))
              << "lost " << f.kind << " " << f.key << " (from " << other << ")";
        }
      }
    }
  }
  RecordProperty("files_replaced", static_cast<int>(replaced));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Containment, ::testing::ValuesIn(testing::FixtureRoots()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace imageprobe
