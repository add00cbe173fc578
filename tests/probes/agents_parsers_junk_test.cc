// SPDX-License-Identifier: Apache-2.0
// Every pure parser of the agents/secrets area on deterministic junk: random bytes, and valid
// inputs with bytes flipped, cut short or repeated. Nothing may crash or hang, and no error
// string may quote the planted private key.
#include <gtest/gtest.h>

#include <random>

#include "probes/aws/cloudwatch_agent_probe.h"
#include "probes/aws/ssm_parsers.h"
#include "probes/common/dpkg_status.h"
#include "probes/secrets/aws_credentials.h"
#include "probes/secrets/shell_history.h"
#include "scanner/parse/ini.h"

namespace imageprobe::probes {
namespace {

const std::vector<std::string>& Seeds() {
  static const std::vector<std::string> seeds = {
      R"({"ManagedInstanceID":"mi-0123456789abcdef0","Region":"eu-west-1"})",
      R"({"instanceID":"mi-1","region":"r","privateKey":"JUNKTESTPRIVATEKEYMATERIAL","privateKeyType":"Rsa"})",
      R"({"fingerprint":"f","hardwareHash":{"machine-id":"abc"},"similarityThreshold":40})",
      R"({"Profile":{"ShareCreds":true},"Ssm":{"Endpoint":"x"},"Identity":{"ConsumptionOrder":["EC2"],"CustomIdentities":[{"InstanceID":"i"}]}})",
      "<!-- c --><seelog minlevel='debug' levels=\"info\"><outputs/></seelog>",
      "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = "
      "JUNKTESTPRIVATEKEYMATERIAL\n",
      "[credentials]\nshared_credential_file = \"/x\"\n[proxy]\nhttp_proxy = "
      "\"http://u:JUNKTESTPRIVATEKEYMATERIAL@p\"\n",
      "Package: amazon-ssm-agent\nStatus: install ok installed\nVersion: 1\n",
      "export AWS_SECRET_ACCESS_KEY=JUNKTESTPRIVATEKEYMATERIAL; mysql "
      "-pJUNKTESTPRIVATEKEYMATERIAL\n",
  };
  return seeds;
}

void FeedEverything(const std::string& input) {
  auto no_key = [](const std::string& s) {
    EXPECT_EQ(s.find("JUNKTESTPRIVATEKEY"), std::string::npos) << s;
  };
  if (auto r = ParseSsmRegistration(input); !r) no_key(r.error());
  if (auto r = ParseSsmVaultManifest(input); !r) no_key(r.error());
  if (auto r = ParseSsmInstanceInfo(input); r) {
    no_key(nlohmann::json(*r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    no_key(r.error());
  }
  if (auto r = ParseSsmFingerprint(input); !r) no_key(r.error());
  if (auto r = ParseSsmAgentConfig(input); r) {
    for (const auto& p : r->problems) no_key(p);
  } else {
    no_key(r.error());
  }
  (void)ParseSeelogLevels(input);
  (void)InstalledDpkgVersion(input, "amazon-ssm-agent");
  parse::IniFile ini = parse::ParseIni(input);
  for (const auto& p : ini.problems) no_key(p.message);
  for (const auto& p : ExtractAwsCredentials(ini))
    no_key(nlohmann::json(p).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  (void)parse::UnquoteIniValue(input);
  // (A mutated proxy URL without "user:pass@" legitimately keeps its text: not checked.)
  (void)ParseCloudWatchCommonConfig(input);
  for (const auto& hit : ScanShellHistory(input).hits) no_key(hit.excerpt);
}

TEST(AgentsParsersJunk, RandomBytes) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    std::string input(rng() % 2048, '\0');
    for (auto& c : input) c = static_cast<char>(rng());
    FeedEverything(input);
  }
}

TEST(AgentsParsersJunk, MutatedValidInputs) {
  std::mt19937 rng(67890);
  for (const auto& seed : Seeds()) {
    FeedEverything(seed);
    for (int round = 0; round < 200; ++round) {
      std::string input = seed;
      switch (round % 4) {
        case 0:  // flip a few bytes
          for (int k = 0; k < 3; ++k) input[rng() % input.size()] = static_cast<char>(rng());
          break;
        case 1:  // cut short
          input.resize(rng() % input.size());
          break;
        case 2:  // CRLF and NUL sprinkled in
          input.insert(rng() % input.size(), (round & 8) ? "\r\n" : std::string(1, '\0'));
          break;
        case 3:  // repeated into a long input
          for (int k = 0; k < 6; ++k) input += input;
          break;
      }
      FeedEverything(input);
    }
  }
}

}  // namespace
}  // namespace imageprobe::probes
