// SPDX-License-Identifier: Apache-2.0
// Nothing secret from a fixture may reach a fact, a finding or an error unredacted: every
// probe of this area runs on every fixture and the serialised output is searched for the
// fixtures' fake secrets.
#include <gtest/gtest.h>

#include "probes/aws/ec2_instance_connect_probe.h"
#include "probes/cloudinit/cloudinit_probe.h"
#include "probes/migration/lift_and_shift_probe.h"
#include "tests/support/fixture_tree.h"

namespace imageprobe::probes {
namespace {

// The fake secrets planted in tests/fixtures/cloud-leftover user-data.txt.
constexpr std::string_view kFixtureSecrets[] = {
    "AKIAFAKEFIXTURE12345",
    "fakeFixtureSecretKey/0123456789abcdefghi",
    "Fixture-Hunter2-Passw0rd",
    "ghp_FAKEfixtureTOKEN0123456789abcdefABCD",
    // Sub-strings longer than what redaction keeps must not leak either.
    "FAKEFIXTURE",
    "SecretKey/0123",
    "Hunter2",
    "fixtureTOKEN",
};

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
                   {"identity", finding.identity}});
  }
  for (const auto& error : out.errors()) {
    all.push_back({{"path", error.path}, {"message", error.message}});
  }
  return all.dump();
}

TEST(FixtureSecrets, NeverAppearUnredacted) {
  for (auto fixture : {"cloud-leftover", "vmware-rhel7", "ubuntu-eic"}) {
    testing::MemoryFs fs;
    testing::LoadFixtureRoot(fixture, fs);
    for (const Probe* probe :
         {&CloudInitProbe(), &Ec2InstanceConnectProbe(), &LiftAndShiftProbe()}) {
      OsInfo os;
      ScanLimits limits;
      Context context;
      Output out;
      probe->Run(Target{fs, os, limits, context}, out);
      std::string json = Serialise(out);
      for (auto secret : kFixtureSecrets) {
        EXPECT_EQ(json.find(secret), std::string::npos)
            << fixture << " / " << probe->name() << " leaks " << secret;
      }
      if (std::string_view(fixture) == "cloud-leftover" && probe == &CloudInitProbe()) {
        // The test can fail: the secrets were found, in redacted form.
        EXPECT_NE(json.find("AKIA…2345"), std::string::npos);
      }
    }
  }
}

}  // namespace
}  // namespace imageprobe::probes
