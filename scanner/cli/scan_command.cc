// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/scan_command.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "probes/all_probes.h"
#include "probes/fs/path_presence_probe.h"
#include "scanner/cancel.h"
#include "scanner/cli/engine_flag.h"
#include "scanner/cli/input_checks.h"
#include "scanner/cli/rules_command.h"
#include "scanner/cli/scan_input.h"
#include "scanner/iso_date.h"
#include "scanner/report/html_renderer.h"
#include "scanner/report/json_renderer.h"
#include "scanner/report/markdown_renderer.h"
#include "scanner/report/sarif_renderer.h"
#include "scanner/report/text_renderer.h"
#include "scanner/runner.h"

namespace imageprobe::cli {

namespace {

std::string ProbeNames(std::span<const Probe* const> probes) {
  std::string names;
  for (const Probe* p : probes) names += (names.empty() ? "" : ", ") + std::string(p->name());
  return names;
}

// The probes to run, in registry order. The os probe always runs: every other probe reads
// the OS it found (Target::os), so leaving it out would make their results wrong, not smaller.
// So does files.config: it inventories the config files the selected probes read.
std::optional<std::vector<const Probe*>> SelectProbes(const ScanCommand& command,
                                                      const CliEnvironment& env) {
  for (const std::string& name : command.probes) {
    bool known = std::ranges::any_of(env.probes, [&](const Probe* p) { return p->name() == name; });
    if (!known) {
      env.err << "imageprobe: unknown probe \"" << EscapeForTerminal(name)
              << "\"; valid probes: " << ProbeNames(env.probes) << "\n";
      return std::nullopt;
    }
  }
  std::vector<const Probe*> selected;
  for (const Probe* p : env.probes) {
    if (command.probes.empty() || p->name() == "os" || p->name() == "files.config" ||
        std::ranges::find(command.probes, p->name()) != command.probes.end()) {
      selected.push_back(p);
    }
  }
  return selected;
}

bool IsRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

CLI::App* AddScanCommand(CLI::App& app, ScanCommand& c) {
  CLI::App* scan =
      app.add_subcommand("scan", "Scan one or more images read-only and report what they contain.");
  scan->add_option("IMAGE", c.images,
                   "Disk image (raw, VMDK, qcow2, VHD/VHDX, VDI, OVA, ext4/XFS), tar archive "
                   "of a root tree, or a directory. The format is detected from content.")
      ->required();
  scan->add_option("-f,--format", c.format,
                   "Output format. text: for a terminal; json: one report object for one "
                   "image, an array of report objects (command-line order) for several "
                   "(schema docs/report.schema.json); sarif: SARIF 2.1.0, one run per image, "
                   "for code-scanning dashboards; markdown: for a pull-request comment (cut to "
                   "fit one); html: one self-contained page.")
      ->check(CLI::IsMember({"text", "json", "sarif", "markdown", "html"}))
      ->capture_default_str();
  scan->add_option("-o,--output", c.output,
                   "Write the report to FILE instead of stdout. Refused when FILE is an input "
                   "or lies inside an input directory.");
  scan->add_flag("-q,--quiet", c.quiet, "No progress messages on stderr.");
  AddEngineOption(*scan, c.engine);
  scan->add_flag("--hash", c.hash,
                 "Record the SHA-256 of each input file in the report (reads the whole file; "
                 "directories are not hashed).");
  // The flag's first name, kept so that existing scripts keep working; not in --help.
  scan->add_flag("--sha256", c.hash, "Deprecated name of --hash.")->group("");
  scan->add_option("-p,--probe", c.probes,
                   "Run only this probe (repeatable; see `imageprobe rules`). The os probe "
                   "always runs, since the others depend on what it finds.");
  scan->add_option("--fail-on", c.fail_on,
                   "Exit with 1 when any finding that is not suppressed is at least this severe "
                   "(after --profile; never with --profile forensic).")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}));
  AddGateFlags(*scan, c.gate);
  scan->add_option("--as-of", c.as_of,
                   "Judge dates as of this day (YYYY-MM-DD, UTC) instead of today: vendor end of "
                   "life and ignore-file expiry. Makes a report reproducible, or judges an image "
                   "as of its release. Recorded in the report as \"as_of\".");
  scan->add_option("--max-file-bytes", c.limits.max_file_bytes,
                   "Largest single file a probe reads.")
      ->capture_default_str();
  scan->add_option("--max-total-bytes", c.limits.max_total_bytes,
                   "Most bytes read from one root by all probes together.")
      ->capture_default_str();
  scan->add_option("--max-dir-entries", c.limits.max_dir_entries,
                   "Most entries read from one directory.")
      ->capture_default_str();
  scan->add_option("--max-symlink-hops", c.limits.max_symlink_hops,
                   "Most symlinks followed while resolving one path inside the image.")
      ->capture_default_str();
  scan->add_option("--max-include-depth", c.limits.max_include_depth,
                   "Deepest nesting of Include directives followed in configuration files.")
      ->capture_default_str();
  scan->add_option("--probe-time-budget", c.probe_time_budget_seconds,
                   "Seconds a probe may take on one root before the root is marked partial.")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  return scan;
}

int RunScan(const ScanCommand& command, const CliEnvironment& env) {
  auto probes = SelectProbes(command, env);
  if (!probes) return kExitUsage;
  std::optional<std::chrono::year_month_day> as_of;
  if (!command.as_of.empty()) {
    as_of = ParseIsoDate(command.as_of);
    if (!as_of) {
      env.err << "imageprobe: --as-of \"" << EscapeForTerminal(command.as_of)
              << "\" is not a date written YYYY-MM-DD\n";
      return kExitUsage;
    }
  } else if (env.today) {
    as_of = env.today();  // a pinned clock (tests) pins every date the scan judges
  }
  auto policy = LoadPolicy(command.gate, as_of ? *as_of : Today(env));
  if (!policy) {
    env.err << "imageprobe: " << EscapeForTerminal(policy.error()) << "\n";
    return kExitUsage;
  }
  // Paths named in --expect are looked at by a probe built for this scan only.
  std::optional<probes::PathPresenceProbe> path_probe;
  if (policy->expectations && !policy->expectations->Paths().empty()) {
    path_probe.emplace(policy->expectations->Paths());
    probes->push_back(&*path_probe);
  }
  if (!command.output.empty()) {
    if (auto problem = OutputProblem(command.output, command.images)) {
      env.err << "imageprobe: " << EscapeForTerminal(*problem) << "\n";
      return kExitUsage;
    }
  }

  ScanOptions options;
  options.limits = command.limits;
  options.limits.probe_time_budget =
      std::chrono::milliseconds(static_cast<int64_t>(command.probe_time_budget_seconds * 1000));
  options.tool_version = IMAGEPROBE_VERSION;
  options.as_of = as_of;
  if (env.stderr_is_terminal && !command.quiet) {
    options.progress = [&env](std::string_view message) {
      env.err << "imageprobe: " << EscapeForTerminal(message) << "\n" << std::flush;
    };
  }
  images::OpenOptions open_options;
  open_options.progress = options.progress;
  open_options.engine = ParseEngine(command.engine);

  int exit_code = kExitOk;
  std::vector<Report> reports;
  for (const std::string& input : command.images) {
    auto report = ScanInput(input, *probes, options, open_options, env.open_image);
    // Interrupted (SIGINT/SIGTERM): no report at all rather than one that looks whole or
    // half; main() says why and exits with 128 + signo.
    if (CancelRequested()) return kExitUsage;
    if (!report) {
      PrintInputError(env, input, report.error());
      exit_code = kExitUsage;
      continue;
    }
    if (command.hash && IsRegularFile(input)) report->input.sha256 = FileSha256(input);
    gate::ApplyPolicy(*policy, probes::AllRecordKinds(), *report);
    reports.push_back(std::move(*report));
  }

  std::ostringstream rendered;
  bool to_terminal = command.output.empty() && env.stdout_is_terminal;
  if (command.format == "json") {
    if (reports.size() == 1 && command.images.size() == 1) {
      report::RenderJson(reports[0], rendered);
    } else if (!reports.empty()) {
      report::RenderJsonArray(reports, rendered);
    }
  } else if (command.format == "sarif") {
    report::RenderSarif(reports, report::AllRules(RuleGroups(env.probes)), rendered);
  } else if (command.format == "markdown") {
    if (!reports.empty()) report::RenderMarkdown(reports, probes::AllRecordKinds(), rendered);
  } else if (command.format == "html") {
    if (!reports.empty()) report::RenderHtml(reports, probes::AllRecordKinds(), rendered);
  } else {
    for (size_t i = 0; i < reports.size(); ++i) {
      if (i > 0) rendered << '\n';
      report::RenderText(reports[i], rendered, {.color = to_terminal && !env.no_color});
    }
  }

  if (command.output.empty()) {
    env.out << rendered.str() << std::flush;
  } else if (!reports.empty()) {
    std::ofstream file(command.output, std::ios::binary | std::ios::trunc);
    file << rendered.str();
    file.close();
    if (!file) {
      env.err << "imageprobe: cannot write " << EscapeForTerminal(command.output) << "\n";
      return kExitUsage;
    }
  }

  if (!command.fail_on.empty() && !gate::ProfileGates(policy->profile) && !command.quiet) {
    env.err << "imageprobe: --fail-on has no effect with --profile " << command.gate.profile
            << " (it reports without gating)\n";
  }
  if (exit_code == kExitOk && !command.fail_on.empty() && gate::ProfileGates(policy->profile)) {
    Severity threshold = *ParseSeverity(command.fail_on);
    for (const Report& r : reports) {
      if (auto max = r.MaxSeverity(); max && *max >= threshold) exit_code = kExitGateFailed;
    }
  }
  return exit_code;
}

}  // namespace imageprobe::cli
