// SPDX-License-Identifier: Apache-2.0
#include "scanner/gate/profiles.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "probes/all_probes.h"
#include "scanner/gate/expectations.h"
#include "scanner/gate/suppressions.h"

namespace imageprobe::gate {
namespace {

// Every rule any part of imageprobe can raise, by id.
std::map<std::string, const RuleInfo*, std::less<>> Registry() {
  std::map<std::string, const RuleInfo*, std::less<>> rules;
  for (const Probe* p : probes::AllProbes()) {
    for (const RuleInfo& r : p->rules()) rules.emplace(std::string(r.id), &r);
  }
  for (const RuleInfo& r : ExpectationRules()) rules.emplace(std::string(r.id), &r);
  for (const RuleInfo& r : SuppressionRules()) rules.emplace(std::string(r.id), &r);
  return rules;
}

TEST(ProfileTable, EveryRuleIdExistsInTheRegistry) {
  auto registry = Registry();
  ASSERT_GT(registry.size(), 50u);
  for (const SeverityOverride& o : SeverityOverrides()) {
    EXPECT_TRUE(registry.contains(o.rule_id))
        << o.rule_id << " (profile " << ProfileName(o.profile) << ") names no rule: renamed?";
  }
}

TEST(ProfileTable, EachEntryRaisesItsRuleAndSaysWhy) {
  auto registry = Registry();
  std::set<std::pair<Profile, std::string_view>> seen;
  for (const SeverityOverride& o : SeverityOverrides()) {
    EXPECT_TRUE(seen.insert({o.profile, o.rule_id}).second) << "duplicate " << o.rule_id;
    EXPECT_FALSE(o.why.empty()) << o.rule_id;
    auto rule = registry.find(o.rule_id);
    if (rule == registry.end()) continue;
    EXPECT_GT(o.severity, rule->second->severity)
        << o.rule_id << ": an entry that does not raise the rule's severity does nothing";
  }
}

TEST(ProfileTable, ReleaseCoversWhatOneBuildLeavesForEveryInstance) {
  for (std::string_view rule : {"ssh.host_keys.present", "ssh.authorized_keys.packer_key",
                                "cloudinit.state.instance_left", "secrets.history.aws_configure",
                                "imagebuilder.toe_logs.present", "ssm.instance_folder.leftover"}) {
    auto severity = ProfileSeverity(Profile::kRelease, rule);
    ASSERT_TRUE(severity) << rule;
    EXPECT_GE(*severity, Severity::kHigh) << rule;
  }
  // Already critical by default: the registry keeps them critical in every profile.
  auto registry = Registry();
  for (std::string_view rule :
       {"ssm.registration.present", "ssm.vault.registration_key", "secrets.aws.long_term_key"}) {
    EXPECT_EQ(registry.at(std::string(rule))->severity, Severity::kCritical) << rule;
  }
}

TEST(Profiles, NamesRoundTripAndForensicAloneDoesNotGate) {
  for (Profile p : {Profile::kDefault, Profile::kRelease, Profile::kForensic}) {
    EXPECT_EQ(ParseProfile(ProfileName(p)), p);
  }
  EXPECT_FALSE(ParseProfile("Release"));
  EXPECT_FALSE(ParseProfile(""));
  EXPECT_TRUE(ProfileGates(Profile::kDefault));
  EXPECT_TRUE(ProfileGates(Profile::kRelease));
  EXPECT_FALSE(ProfileGates(Profile::kForensic));
}

Report WithFindings(std::vector<Finding> findings) {
  Report report;
  report.roots.emplace_back();
  report.roots[0].findings = std::move(findings);
  return report;
}

TEST(ApplyProfile, ReleaseRaisesListedRulesAndKeepsTheDefault) {
  Report report = WithFindings({
      {.rule_id = "ssh.host_keys.present", .severity = Severity::kMedium},
      {.rule_id = "sshd.permit_root_login", .severity = Severity::kHigh},
      {.rule_id = "ssh.authorized_keys.packer_key", .severity = Severity::kHigh},
  });
  ApplyProfile(Profile::kRelease, report);
  EXPECT_EQ(report.profile, "release");
  const auto& f = report.roots[0].findings;
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].default_severity, Severity::kMedium);
  EXPECT_EQ(f[1].severity, Severity::kHigh);
  EXPECT_FALSE(f[1].default_severity);
  EXPECT_EQ(f[2].severity, Severity::kCritical);
  EXPECT_EQ(report.MaxSeverity(), Severity::kCritical);

  ApplyProfile(Profile::kRelease, report);  // idempotent: the default is not overwritten
  EXPECT_EQ(report.roots[0].findings[0].default_severity, Severity::kMedium);
}

TEST(ApplyProfile, NeverLowersAFindingAProbeRatedAboveTheTable) {
  // A probe may raise one finding above its rule's default (an EOL date long past).
  Report report =
      WithFindings({{.rule_id = "ssh.host_keys.present", .severity = Severity::kCritical}});
  ApplyProfile(Profile::kRelease, report);
  EXPECT_EQ(report.roots[0].findings[0].severity, Severity::kCritical);
  EXPECT_FALSE(report.roots[0].findings[0].default_severity);
}

TEST(ApplyProfile, DefaultAndForensicChangeNoSeverity) {
  for (Profile p : {Profile::kDefault, Profile::kForensic}) {
    Report report =
        WithFindings({{.rule_id = "ssh.host_keys.present", .severity = Severity::kMedium}});
    ApplyProfile(p, report);
    EXPECT_EQ(report.profile, ProfileName(p));
    EXPECT_EQ(report.roots[0].findings[0].severity, Severity::kMedium);
    EXPECT_FALSE(report.roots[0].findings[0].default_severity);
  }
}

}  // namespace
}  // namespace imageprobe::gate
