// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <tuple>

#include "scanner/core/budgeted_filesystem.h"
#include "scanner/core/exception_text.h"
#include "scanner/core/iso_date.h"
#include "scanner/core/read_log.h"
#include "scanner/core/trace.h"

namespace imageprobe {

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string_view ProbeStatusName(ProbeStatus status) {
  switch (status) {
    case ProbeStatus::kRan:
      return "ran";
    case ProbeStatus::kNotApplicable:
      return "not_applicable";
    case ProbeStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::array<size_t, 5> Report::CountBySeverity() const {
  std::array<size_t, 5> counts{};
  for (const auto& root : roots) {
    for (const auto& f : root.findings) {
      if (!f.suppressed) ++counts[static_cast<size_t>(f.severity)];
    }
  }
  return counts;
}

size_t Report::SuppressedCount() const {
  size_t count = 0;
  for (const auto& root : roots) {
    count += std::ranges::count_if(root.findings,
                                   [](const Finding& f) { return f.suppressed.has_value(); });
  }
  return count;
}

std::optional<Severity> Report::MaxSeverity() const {
  std::optional<Severity> max;
  for (const auto& root : roots) {
    for (const auto& f : root.findings) {
      if (f.suppressed) continue;
      if (!max || f.severity > *max) max = f.severity;
    }
  }
  return max;
}

void Canonicalize(RootReport& root) {
  std::ranges::sort(root.facts, [](const Fact& a, const Fact& b) {
    return std::tie(a.kind, a.key) < std::tie(b.kind, b.key);
  });
  std::ranges::sort(root.findings, [](const Finding& a, const Finding& b) {
    return std::tie(a.rule_id, a.path, a.user, a.identity) <
           std::tie(b.rule_id, b.path, b.user, b.identity);
  });
}

RootReport RunProbes(const Filesystem& fs, const RootInfo& root,
                     std::span<const Probe* const> probes, const ScanLimits& limits,
                     std::optional<std::chrono::year_month_day> as_of) {
  BudgetedFilesystem budgeted(fs, limits.max_total_bytes, limits.max_dir_entries,
                              limits.max_symlink_hops);
  ReadLog files_read;
  RecordingFilesystem recording(budgeted, files_read);
  RootReport report;
  report.root = root;
  Context context;
  context.Memo<FilesRead>([&] { return FilesRead{&files_read}; });
  // IMAGEPROBE_TRACE: which probe a backend's traced calls (guestfs) belong to.
  const bool trace = TraceEnabled();
  for (const Probe* probe : probes) {
    Output out;
    ProbeRun run{std::string(probe->name())};
    if (trace) std::fprintf(stderr, "probe %s: start\n", run.name.c_str());
    auto start = Clock::now();
    budgeted.SetDeadline(start + limits.probe_time_budget, limits.probe_time_budget);
    try {
      probe->Run(Target{recording, report.os, limits, context, as_of}, out);
      if (!out.applicable()) {
        run.status = ProbeStatus::kNotApplicable;
        run.reason = out.not_applicable_reason();
      }
    } catch (const std::exception& e) {
      run.status = ProbeStatus::kFailed;
      run.reason = ExceptionInOurWords(e);
      out.Error("", "probe failed: " + run.reason);
    }
    run.seconds = SecondsSince(start);
    if (trace) std::fprintf(stderr, "probe %s: %.3f s\n", run.name.c_str(), run.seconds);
    // Past the deadline the filesystem refused every call (see BudgetedFilesystem), so the
    // probe came back soon after it; what it had not read yet is missing from its results.
    if (budgeted.deadline_hit() ||
        run.seconds * 1000 > static_cast<double>(limits.probe_time_budget.count())) {
      char message[128];
      std::snprintf(message, sizeof message,
                    "probe stopped at its time budget of %.3g s (ran %.3f s); results incomplete",
                    limits.probe_time_budget.count() / 1000.0, run.seconds);
      out.Error("", message);
    }
    if (out.os()) report.os = *out.os();
    for (auto& e : out.errors()) {
      e.source = run.name;
      report.errors.push_back(std::move(e));
    }
    std::ranges::move(out.facts(), std::back_inserter(report.facts));
    std::ranges::move(out.findings(), std::back_inserter(report.findings));
    report.probes.push_back(std::move(run));
  }
  report.partial = !report.errors.empty();
  Canonicalize(report);
  return report;
}

Report Scan(Image& image, std::span<const Probe* const> probes, const ScanOptions& options) {
  Report report;
  report.tool_version = options.tool_version;
  report.generated_at = UtcNow();
  if (options.as_of) report.as_of = FormatIsoDate(*options.as_of);
  const ImageInfo& info = image.info();
  report.input = {info.path, info.format, info.format_detail, info.size, std::nullopt};
  report.backend = info.backend;
  report.errors = image.diagnostics();

  std::vector<std::string> prefetch;
  for (const Probe* probe : probes)
    std::ranges::move(probe->prefetch(), std::back_inserter(prefetch));

  double mount_seconds = 0, probe_seconds = 0;
  for (size_t i = 0; i < image.roots().size(); ++i) {
    const RootInfo& root = image.roots()[i];
    if (options.progress) options.progress("mounting " + root.name + " read-only");
    auto start = Clock::now();
    auto mounted = image.Mount(i, prefetch);
    mount_seconds += SecondsSince(start);
    if (!mounted) {
      RootReport failed;
      failed.root = root;
      failed.partial = true;
      failed.errors.push_back({"image", root.name, "could not mount: " + mounted.error()});
      report.roots.push_back(std::move(failed));
      continue;
    }
    if (options.progress) options.progress("running probes on " + root.name);
    start = Clock::now();
    RootReport root_report = RunProbes(*mounted->fs, root, probes, options.limits, options.as_of);
    probe_seconds += SecondsSince(start);
    for (auto& d : mounted->diagnostics) root_report.errors.insert(root_report.errors.begin(), d);
    root_report.partial = !root_report.errors.empty();
    report.roots.push_back(std::move(root_report));
  }

  report.timings = image.timings();
  // Backends that time their own mounting (guestfs: mount, prefetch) are not counted twice.
  if (std::ranges::none_of(report.timings,
                           [](const StageTiming& t) { return t.stage == "mount"; })) {
    report.timings.push_back({"mount", mount_seconds});
  }
  report.timings.push_back({"probes", probe_seconds});
  report.partial = !report.errors.empty() ||
                   std::ranges::any_of(report.roots, [](const RootReport& r) { return r.partial; });
  return report;
}

}  // namespace imageprobe
