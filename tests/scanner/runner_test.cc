// SPDX-License-Identifier: Apache-2.0
#include "scanner/runner.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/support/memory_fs.h"

namespace imageprobe {
namespace {

constexpr RuleInfo kRule{"test.rule", Severity::kHigh, "a test finding", "why", "fix it"};

class ThrowingProbe final : public Probe {
 public:
  std::string_view name() const override { return "test.throws"; }
  std::string_view description() const override { return "always throws"; }
  std::span<const RuleInfo> rules() const override { return {}; }
  void Run(const Target&, Output&) const override { throw std::runtime_error("boom"); }
};

class FindingProbe final : public Probe {
 public:
  std::string_view name() const override { return "test.finds"; }
  std::string_view description() const override { return "raises and records"; }
  std::span<const RuleInfo> rules() const override { return {&kRule, 1}; }
  void Run(const Target& target, Output& out) const override {
    auto data = target.fs.ReadFile("/etc/hostname", target.limits.max_file_bytes);
    out.AddFact("test/hostname", "hostname", data ? *data : "");
    out.Raise(kRule, {.path = "/b"}, "two");
    out.Raise(kRule, {.path = "/a"}, "one");
  }
};

class AbsentProbe final : public Probe {
 public:
  std::string_view name() const override { return "test.absent"; }
  std::string_view description() const override { return "never applies"; }
  std::span<const RuleInfo> rules() const override { return {}; }
  void Run(const Target&, Output& out) const override { out.NotApplicable("nothing here"); }
};

TEST(RunProbes, AThrowingProbeFailsAloneAndMarksPartial) {
  testing::MemoryFs fs;
  fs.File("/etc/hostname", "web1");
  ThrowingProbe throws;
  FindingProbe finds;
  AbsentProbe absent;
  const Probe* probes[] = {&throws, &finds, &absent};
  RootReport report = RunProbes(fs, {"/", "test"}, probes, ScanLimits{});

  ASSERT_EQ(report.probes.size(), 3u);
  EXPECT_EQ(report.probes[0].status, ProbeStatus::kFailed);
  EXPECT_EQ(report.probes[0].reason, "boom");
  EXPECT_EQ(report.probes[1].status, ProbeStatus::kRan);
  EXPECT_EQ(report.probes[2].status, ProbeStatus::kNotApplicable);
  EXPECT_TRUE(report.partial);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].source, "test.throws");

  ASSERT_EQ(report.findings.size(), 2u);  // sorted by path, identity from the rule
  EXPECT_EQ(report.findings[0].path, "/a");
  EXPECT_EQ(report.findings[0].severity, Severity::kHigh);
  EXPECT_EQ(report.findings[0].title, "a test finding");
  EXPECT_EQ(report.findings[0].identity, "test.rule|/a||one");
  ASSERT_EQ(report.facts.size(), 1u);
  EXPECT_EQ(report.facts[0].data, "web1");
}

TEST(RunProbes, TotalReadBudgetIsEnforced) {
  testing::MemoryFs fs;
  fs.File("/etc/hostname", std::string(100, 'x'));
  FindingProbe finds;
  const Probe* probes[] = {&finds};
  ScanLimits limits;
  limits.max_total_bytes = 10;
  RootReport report = RunProbes(fs, {"/", "test"}, probes, limits);
  // The read is refused, never silently shortened into something that parses as whole.
  EXPECT_EQ(report.facts[0].data, "");
}

}  // namespace
}  // namespace imageprobe
