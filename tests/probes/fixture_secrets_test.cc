// SPDX-License-Identifier: Apache-2.0
// Nothing secret from a fixture may reach a fact, a finding or an error unredacted: every
// registered probe runs on every fixture tree (one shared Context per tree, as in a scan) and
// the serialised output is searched for each line of tests/fixtures/secrets.txt, and for its
// middle, which RedactSecret never shows. The renderers are covered end to end by
// tests/e2e/scenarios_e2e.py (SecretsInEveryFormat).
#include <gtest/gtest.h>

#include <filesystem>

#include "probes/all_probes.h"
#include "tests/support/fixture_tree.h"

namespace imageprobe::probes {
namespace {

namespace fs = std::filesystem;

std::string Serialise(Output& out) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& fact : out.facts()) {
    all.push_back({{"kind", fact.kind}, {"key", fact.key}, {"data", fact.data}});
  }
  for (const auto& finding : out.findings()) {
    all.push_back({{"rule", finding.rule_id},
                   {"title", finding.title},
                   {"path", finding.path},
                   {"user", finding.user},
                   {"evidence", finding.evidence},
                   {"remediation", finding.remediation},
                   {"identity", finding.identity}});
  }
  for (const auto& error : out.errors()) {
    all.push_back({{"path", error.path}, {"message", error.message}});
  }
  return all.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(FixtureSecrets, NoRegisteredProbeOutputsOne) {
  const auto secrets = testing::ReadLines(testing::FixturesDir() / "secrets.txt");
  ASSERT_GE(secrets.size(), 30u);
  size_t trees = 0;
  bool saw_redacted_hint = false;
  for (const auto& entry : fs::directory_iterator(testing::FixturesDir())) {
    if (!fs::is_directory(entry.path() / "root")) continue;
    ++trees;
    testing::MemoryFs memory;
    testing::LoadFixtureTree(entry.path() / "root", memory);
    OsInfo os;
    ScanLimits limits;
    Context context;
    for (const Probe* probe : AllProbes()) {
      Output out;
      probe->Run(Target{memory, os, limits, context}, out);
      if (out.os()) os = *out.os();  // as the runner does: later probes see the OS
      std::string json = Serialise(out);
      for (const auto& secret : secrets) {
        EXPECT_EQ(json.find(secret), std::string::npos)
            << entry.path().filename() << " / " << probe->name() << " leaks " << secret;
        if (secret.size() >= 16) {
          EXPECT_EQ(json.find(secret.substr(4, secret.size() - 8)), std::string::npos)
              << entry.path().filename() << " / " << probe->name() << " leaks the middle of "
              << secret;
        }
      }
      // The test can fail: cloud-init's secret hints name the key they saw, redacted.
      saw_redacted_hint |= json.find("AKIA…2345") != std::string::npos;
    }
  }
  EXPECT_GE(trees, 9u);
  EXPECT_TRUE(saw_redacted_hint);
}

}  // namespace
}  // namespace imageprobe::probes
