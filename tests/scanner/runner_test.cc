// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/runner.h"

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
  std::span<const RecordKind* const> records() const override { return {}; }
  void Run(const Target&, Output&) const override { throw std::runtime_error("boom"); }
};

const RecordKind kHostnameRecord{.name = "test/hostname", .key = "hostname", .description = "x"};
const RecordKind* const kFindingRecords[] = {&kHostnameRecord};

class FindingProbe final : public Probe {
 public:
  std::string_view name() const override { return "test.finds"; }
  std::string_view description() const override { return "raises and records"; }
  std::span<const RuleInfo> rules() const override { return {&kRule, 1}; }
  std::span<const RecordKind* const> records() const override { return kFindingRecords; }
  void Run(const Target& target, Output& out) const override {
    auto data = target.fs.ReadFile("/etc/hostname", target.limits.max_file_bytes);
    out.AddFact(kHostnameRecord, "hostname", data ? *data : "");
    out.Raise(kRule, {.path = "/b"}, "two");
    out.Raise(kRule, {.path = "/a"}, "one");
  }
};

class AbsentProbe final : public Probe {
 public:
  std::string_view name() const override { return "test.absent"; }
  std::string_view description() const override { return "never applies"; }
  std::span<const RuleInfo> rules() const override { return {}; }
  std::span<const RecordKind* const> records() const override { return {}; }
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

// Walks the same tree for ever while the filesystem answers: a stand-in for a probe that would
// hang on a hostile image (a listing it keeps re-reading, a loop the image tricks it into).
class EndlessWalkProbe final : public Probe {
 public:
  std::string_view name() const override { return "test.endless"; }
  std::string_view description() const override { return "reads until refused"; }
  std::span<const RuleInfo> rules() const override { return {}; }
  std::span<const RecordKind* const> records() const override { return {}; }
  void Run(const Target& target, Output& out) const override {
    while (true) {
      auto entries = target.fs.ListDir("/etc");
      if (!entries) {
        out.Error(entries.error().path, entries.error().Message());
        return;
      }
    }
  }
};

TEST(RunProbes, AProbeOverItsTimeBudgetIsStoppedAndReported) {
  testing::MemoryFs fs;
  fs.File("/etc/hostname", "web1");
  EndlessWalkProbe endless;
  FindingProbe finds;
  const Probe* probes[] = {&endless, &finds};
  ScanLimits limits;
  limits.probe_time_budget = std::chrono::milliseconds(50);
  auto start = std::chrono::steady_clock::now();
  RootReport report = RunProbes(fs, {"/", "test"}, probes, limits);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));

  EXPECT_TRUE(report.partial);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].source, "test.endless");
  EXPECT_EQ(report.errors[0].path, "/etc");
  EXPECT_NE(report.errors[0].message.find("probe time budget of 0.05 s used up"), std::string::npos)
      << report.errors[0].message;
  EXPECT_NE(report.errors[1].message.find("stopped at its time budget"), std::string::npos)
      << report.errors[1].message;
  // The next probe gets a fresh budget and reads normally.
  ASSERT_EQ(report.facts.size(), 1u);
  EXPECT_EQ(report.facts[0].data, "web1");
  EXPECT_EQ(report.probes[1].status, ProbeStatus::kRan);
}

// One root over a MemoryFs; the stage timings it reports are the test's to choose.
class FakeImage final : public Image {
 public:
  explicit FakeImage(std::vector<StageTiming> timings) : timings_(std::move(timings)) {
    fs_.File("/etc/hostname", "web1");
  }
  const ImageInfo& info() const override { return info_; }
  const std::vector<RootInfo>& roots() const override { return roots_; }
  const std::vector<Diagnostic>& diagnostics() const override { return diagnostics_; }
  const std::vector<StageTiming>& timings() const override { return timings_; }
  std::expected<MountedRoot, std::string> Mount(size_t, std::span<const std::string>) override {
    struct View final : Filesystem {
      explicit View(const Filesystem& fs) : fs(fs) {}
      FsResult<FileStat> Lstat(std::string_view p) const override { return fs.Lstat(p); }
      FsResult<std::vector<DirEntry>> List(std::string_view p) const override { return fs.List(p); }
      FsResult<std::string> ReadLink(std::string_view p) const override { return fs.ReadLink(p); }
      FsResult<std::string> ReadAt(std::string_view p, uint64_t o, uint64_t n) const override {
        return fs.ReadAt(p, o, n);
      }
      std::string Describe() const override { return "fake"; }
      const Filesystem& fs;
    };
    return MountedRoot{std::make_unique<View>(fs_), {}};
  }

 private:
  testing::MemoryFs fs_;
  ImageInfo info_{"fake.img", "raw", "", 1, "fake"};
  std::vector<RootInfo> roots_{{"/dev/sda1", "ext4"}};
  std::vector<Diagnostic> diagnostics_;
  std::vector<StageTiming> timings_;
};

size_t CountStage(const Report& report, std::string_view stage) {
  return std::ranges::count_if(report.timings,
                               [&](const StageTiming& t) { return t.stage == stage; });
}

TEST(Scan, StagesAreCountedOnce) {
  FindingProbe finds;
  const Probe* probes[] = {&finds};
  FakeImage timed({{"launch", 1}, {"mount", 2}, {"prefetch", 3}});
  Report report = Scan(timed, probes, ScanOptions{});
  EXPECT_EQ(CountStage(report, "mount"), 1u);
  EXPECT_EQ(CountStage(report, "probes"), 1u);
  FakeImage untimed({});
  report = Scan(untimed, probes, ScanOptions{});
  EXPECT_EQ(CountStage(report, "mount"), 1u);  // the runner measures it instead
  ASSERT_EQ(report.roots.size(), 1u);
  EXPECT_EQ(report.roots[0].root.name, "/dev/sda1");
  EXPECT_EQ(report.roots[0].findings.size(), 2u);
}

}  // namespace
}  // namespace imageprobe
