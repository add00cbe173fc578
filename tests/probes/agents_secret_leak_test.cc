// SPDX-License-Identifier: Apache-2.0
// Runs every probe of the agents/secrets area on every fixture tree (each full of fake secrets
// listed in tests/fixtures/secrets.txt) and checks that no fact, finding or diagnostic, once
// serialised to JSON, contains any of those secrets, or the middle of one (RedactSecret shows
// at most the first and last four characters).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "probes/all_probes.h"
#include "probes/aws/cloudwatch_agent_probe.h"
#include "probes/aws/imagebuilder_cleanup_probe.h"
#include "probes/aws/ssm_agent_probe.h"
#include "probes/secrets/secrets_probe.h"
#include "scanner/core/runner.h"
#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& Secrets() {
  static const auto secrets = testing::ReadLines(testing::FixturesDir() / "secrets.txt");
  return secrets;
}

std::vector<fs::path> FixtureTrees() {
  std::vector<fs::path> trees;
  for (const auto& entry : fs::directory_iterator(testing::FixturesDir())) {
    if (fs::is_directory(entry.path() / "root")) trees.push_back(entry.path() / "root");
  }
  std::ranges::sort(trees);
  return trees;
}

nlohmann::json Serialise(testing::ProbeResult& r) {
  nlohmann::json j = {{"facts", nlohmann::json::array()},
                      {"findings", nlohmann::json::array()},
                      {"errors", nlohmann::json::array()}};
  for (const auto& f : r.out.facts()) {
    j["facts"].push_back({{"kind", f.kind}, {"key", f.key}, {"data", f.data}});
  }
  for (const auto& f : r.out.findings()) {
    j["findings"].push_back({{"rule_id", f.rule_id},
                             {"title", f.title},
                             {"path", f.path},
                             {"user", f.user},
                             {"evidence", f.evidence},
                             {"remediation", f.remediation},
                             {"identity", f.identity}});
  }
  for (const auto& e : r.out.errors()) {
    j["errors"].push_back({{"path", e.path}, {"message", e.message}});
  }
  return j;
}

// The secrets (whole, or their never-shown middle) that occur in `text`.
std::vector<std::string> Leaks(const std::string& text) {
  std::vector<std::string> leaks;
  for (const auto& secret : Secrets()) {
    if (text.find(secret) != std::string::npos) leaks.push_back(secret);
    if (secret.size() >= 16) {
      std::string middle = secret.substr(4, secret.size() - 8);
      if (text.find(middle) != std::string::npos) leaks.push_back("middle of " + secret);
    }
  }
  return leaks;
}

TEST(AgentsSecretLeak, EverySecretInTheListIsPlantedInSomeFixture) {
  std::string all;
  for (const auto& tree : FixtureTrees()) {
    for (const auto& entry : fs::recursive_directory_iterator(tree)) {
      if (!entry.is_regular_file() || entry.is_symlink()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      all += content.str();
    }
  }
  ASSERT_GE(Secrets().size(), 25u);
  // The same check the leak test applies, run against the raw fixtures: it must see them all.
  EXPECT_EQ(Leaks(all).size(), Secrets().size() + std::ranges::count_if(Secrets(), [](auto& s) {
                                 return s.size() >= 16;
                               }));
}

TEST(AgentsSecretLeak, NoProbeOutputContainsAFixtureSecret) {
  const SsmAgentProbe ssm;
  const CloudWatchAgentProbe cloudwatch;
  const ImageBuilderCleanupProbe imagebuilder;
  const SecretsProbe secrets;
  size_t findings = 0;
  for (const auto& tree : FixtureTrees()) {
    testing::MemoryFs memory;
    testing::LoadFixtureTree(tree, memory);
    for (const Probe* probe :
         std::initializer_list<const Probe*>{&ssm, &cloudwatch, &imagebuilder, &secrets}) {
      auto r = testing::RunProbe(*probe, memory);
      findings += r.out.findings().size();
      std::string json = Serialise(r).dump(2, ' ', false, nlohmann::json::error_handler_t::strict);
      for (const auto& leak : Leaks(json)) {
        ADD_FAILURE() << probe->name() << " on " << tree.parent_path().filename() << " leaks "
                      << leak;
      }
    }
  }
  // The fixtures are meant to trigger plenty of findings; a silent run would prove nothing.
  EXPECT_GE(findings, 40u);
}

// The whole registry through the runner, which adds the config-file inventory (files.config):
// the redacted text of every config file any probe read must not leak a secret either.
TEST(AgentsSecretLeak, NoConfigFileInventoryContainsAFixtureSecret) {
  size_t config_files = 0, with_text = 0;
  for (const auto& tree : FixtureTrees()) {
    testing::MemoryFs memory;
    testing::LoadFixtureTree(tree, memory);
    RootReport report = RunProbes(memory, RootInfo{.name = "/"}, AllProbes(), ScanLimits{});
    nlohmann::json facts = nlohmann::json::array();
    for (const Fact& f : report.facts) {
      if (f.kind != "file/config") continue;
      ++config_files;
      if (f.data.contains("text")) ++with_text;
      facts.push_back({{"key", f.key}, {"data", f.data}});
    }
    for (const auto& leak :
         Leaks(facts.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))) {
      ADD_FAILURE() << "files.config on " << tree.parent_path().filename() << " leaks " << leak;
    }
  }
  EXPECT_GE(config_files, 30u);
  EXPECT_GE(with_text, 20u);
}

}  // namespace
}  // namespace imageprobe::probes
