// SPDX-License-Identifier: Apache-2.0
#include "probes/secrets/shell_history.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace imageprobe::probes {
namespace {

using namespace std::string_literals;

std::map<std::string, std::vector<HistoryHit>> ByRule(const HistoryScan& scan) {
  std::map<std::string, std::vector<HistoryHit>> by;
  for (const auto& hit : scan.hits) by[std::string(hit.rule_name)].push_back(hit);
  return by;
}

TEST(HistoryRules, NamesAndIdsAreUniqueAndStable) {
  std::set<std::string_view> names, ids;
  for (const auto& rule : HistoryRules()) {
    EXPECT_TRUE(names.insert(rule.name).second) << rule.name;
    EXPECT_TRUE(ids.insert(rule.rule.id).second);
    EXPECT_EQ(rule.rule.id, "secrets.history." + std::string(rule.name));
  }
  EXPECT_EQ(names.size(), 11u);
}

TEST(ScanShellHistory, EachRuleFindsItsPatternWithLineAndRedaction) {
  HistoryScan scan = ScanShellHistory(
      "aws configure\n"                                                            // 1
      "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n"  // 2
      "mysql -u root -pS3cretPassw0rd appdb\n"                                     // 3
      "sshpass -p 'SshPassw0rd!' ssh admin@h\n"                                    // 4
      "PGPASSWORD=PgPassw0rd99 psql -h db\n"                                       // 5
      "docker login --password DockerPassw0rd registry\n"                          // 6
      "git clone https://u:UrlPassw0rd12@git.example/r.git\n"                      // 7
      "aws configure set default.aws_secret_access_key CfgSecret0123456789\n"      // 8
      "set -gx AWS_SESSION_TOKEN FishToken0123456789\n"                            // 9
      "echo AKIAIOSFODNN7EXAMPLE\n"                                                // 10
      "CREATE\\040USER\\040x\\040IDENTIFIED\\040BY\\040'SqlPassw0rd77';\n");       // 11
  auto by = ByRule(scan);
  for (const auto& rule : HistoryRules()) {
    ASSERT_FALSE(by[std::string(rule.name)].empty()) << rule.name;
  }
  EXPECT_EQ(scan.lines, 11u);
  EXPECT_EQ(by["aws_configure"].size(), 1u);
  EXPECT_EQ(by["aws_configure"][0].line, 1u);
  ASSERT_EQ(by["aws_secret_env"].size(), 1u);
  EXPECT_EQ(by["aws_secret_env"][0].line, 2u);
  EXPECT_EQ(by["aws_secret_env"][0].redacted_secret, "wJal…EKEY");
  EXPECT_EQ(by["aws_secret_env"][0].excerpt, "AWS_SECRET_ACCESS_KEY=wJal…EKEY");
  EXPECT_EQ(by["mysql_password"][0].line, 3u);
  EXPECT_EQ(by["mysql_password"][0].secret_length, 14u);
  EXPECT_EQ(by["sshpass"][0].line, 4u);
  EXPECT_EQ(by["pgpassword"][0].line, 5u);
  EXPECT_EQ(by["password_option"][0].line, 6u);
  EXPECT_EQ(by["url_credentials"][0].line, 7u);
  EXPECT_EQ(by["aws_configure_set"][0].line, 8u);
  EXPECT_EQ(by["aws_secret_set"][0].line, 9u);
  EXPECT_EQ(by["aws_access_key_id"][0].line, 10u);
  EXPECT_EQ(by["sql_identified_by"][0].line, 11u);
  for (const auto& hit : scan.hits) {
    for (std::string secret :
         {"XUtnFEMI", "retPassw0", "Passw0rd!", "Passw0rd99", "rPassw0rd", "lPassw0rd1",
          "Secret01234", "Token01234", "IOSFODNN7", "lPassw0rd7"}) {
      EXPECT_EQ(hit.excerpt.find(secret), std::string::npos) << hit.excerpt;
    }
  }
}

TEST(ScanShellHistory, NoFalseHitsOnHarmlessCommands) {
  HistoryScan scan = ScanShellHistory(
      "mysql -u app -p appdb\n"              // -p alone prompts
      "mysql -h db -P3306 -u app\n"          // -P is the port
      "docker login --password-stdin reg\n"  // read from stdin
      "export AWS_SECRET_ACCESS_KEY=$(pass show aws)\n"
      "PGPASSWORD=$PGPASS psql\n"
      "aws configure list\n"
      "curl https://example.com/path\n");
  for (const auto& hit : scan.hits) ADD_FAILURE() << hit.rule_name << " line " << hit.line;
}

TEST(ScanShellHistory, OneLineWithTwoSecretsRedactsBothInEveryExcerpt) {
  HistoryScan scan =
      ScanShellHistory("mysql -u root -pFirstPassw0rd --password=SecondPassw0rd db\n");
  ASSERT_EQ(scan.hits.size(), 2u);
  for (const auto& hit : scan.hits) {
    EXPECT_EQ(hit.excerpt.find("stPassw0"), std::string::npos) << hit.excerpt;
    EXPECT_EQ(hit.excerpt.find("ndPassw0"), std::string::npos) << hit.excerpt;
  }
}

TEST(ScanShellHistory, ZshExtendedAndFishFormats) {
  auto by = ByRule(ScanShellHistory(
      ": 1700000000:0;export AWS_SESSION_TOKEN='ZshToken0123456789'\n"
      "- cmd: set -x AWS_SECRET_ACCESS_KEY FishSecret0123456789\n  when: 1700000000\n"));
  EXPECT_EQ(by["aws_secret_env"].size(), 1u);
  EXPECT_EQ(by["aws_secret_set"].size(), 1u);
}

TEST(ScanShellHistory, HostileInputIsBoundedAndHarmless) {
  std::string text = "\0\xff\xfe export AWS_SECRET_ACCESS_KEY=Nul\0Secret0123456789\n"s;
  text += std::string(8 << 20, 'a') + " PGPASSWORD=LongLinePassw0rd\n";
  for (int i = 0; i < 1000; ++i) text += "PGPASSWORD=Repeated" + std::to_string(i) + "xxxxxxxx\n";
  HistoryScan scan = ScanShellHistory(text, 100);
  EXPECT_EQ(scan.lines, 1002u);
  EXPECT_EQ(scan.hits.size(), 100u);
  EXPECT_EQ(scan.hits_dropped, 902u);
  EXPECT_EQ(scan.hits[0].rule_name, "aws_secret_env");  // NUL and junk bytes do not stop it
  EXPECT_EQ(scan.hits[1].line, 2u);
  EXPECT_LE(scan.hits[1].excerpt.size(), 170u);
}

}  // namespace
}  // namespace imageprobe::probes
