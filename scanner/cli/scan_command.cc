// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/scan_command.h"

#include <sys/stat.h>

#include "probes/all_probes.h"
#include "probes/expect/path_presence_probe.h"
#include "scanner/cli/engine_flag.h"
#include "scanner/cli/input_checks.h"
#include "scanner/cli/output.h"
#include "scanner/cli/probe_selection.h"
#include "scanner/cli/renderers.h"
#include "scanner/cli/scan_input.h"
#include "scanner/core/cancel.h"
#include "scanner/core/iso_date.h"
#include "scanner/core/runner.h"

namespace imageprobe::cli {

namespace {

bool IsRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The day the scan judges dates as of (end of life, ignore-file expiry): --as-of, else the
// pinned clock of tests, else nullopt (today, by the system clock). False, having said why on
// env.err, when --as-of is not a date.
bool ReadAsOf(const ScanCommand& command, const CliEnvironment& env,
              std::optional<std::chrono::year_month_day>* as_of) {
  if (command.as_of.empty()) {
    if (env.today) *as_of = env.today();  // a pinned clock pins every date the scan judges
    return true;
  }
  *as_of = ParseIsoDate(command.as_of);
  if (!*as_of) {
    env.err << "imageprobe: --as-of \"" << EscapeForTerminal(command.as_of)
            << "\" is not a date written YYYY-MM-DD\n";
    return false;
  }
  return true;
}

ScanOptions MakeScanOptions(const ScanCommand& command,
                            std::optional<std::chrono::year_month_day> as_of,
                            const CliEnvironment& env) {
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
  return options;
}

struct ScannedInputs {
  std::vector<Report> reports;  // of the inputs that could be read, in command-line order
  bool some_failed = false;     // an input could not be read (said on env.err)
  bool interrupted = false;     // SIGINT/SIGTERM: nothing may be rendered
};

// Each input scanned in turn, its SHA-256 recorded with --hash, and the policy applied.
ScannedInputs ScanInputs(const ScanCommand& command, std::span<const Probe* const> probes,
                         const gate::Policy& policy, const ScanOptions& options,
                         const CliEnvironment& env) {
  images::OpenOptions open_options;
  open_options.progress = options.progress;
  open_options.engine = ParseEngine(command.engine);
  ScannedInputs scanned;
  for (const std::string& input : command.images) {
    auto report = ScanInput(input, probes, options, open_options, env.open_image);
    // Interrupted: no report at all rather than one that looks whole or half; main() says why
    // and exits with 128 + signo.
    if (CancelRequested()) {
      scanned.interrupted = true;
      return scanned;
    }
    if (!report) {
      PrintInputError(env, input, report.error());
      scanned.some_failed = true;
      continue;
    }
    if (command.hash && IsRegularFile(input)) report->input.sha256 = FileSha256(input);
    gate::ApplyPolicy(policy, probes::AllRecordKinds(), *report);
    scanned.reports.push_back(std::move(*report));
  }
  return scanned;
}

// kExitGateFailed when a report holds a finding (not suppressed) at or above --fail-on.
int FailOnExitCode(const ScanCommand& command, const gate::Policy& policy,
                   std::span<const Report> reports, const CliEnvironment& env) {
  if (command.fail_on.empty()) return kExitOk;
  if (!gate::ProfileGates(policy.profile)) {
    if (!command.quiet) {
      env.err << "imageprobe: --fail-on has no effect with --profile " << command.gate.profile
              << " (it reports without gating)\n";
    }
    return kExitOk;
  }
  Severity threshold = *ParseSeverity(command.fail_on);
  for (const Report& r : reports) {
    if (auto max = r.MaxSeverity(); max && *max >= threshold) return kExitGateFailed;
  }
  return kExitOk;
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
      ->check(CLI::IsMember(FormatNames(ScanRenderers())))
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
  auto probes = SelectProbes(command.probes, env);
  if (!probes) return kExitUsage;
  std::optional<std::chrono::year_month_day> as_of;
  if (!ReadAsOf(command, env, &as_of)) return kExitUsage;
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
  if (!OutputPathAllowed(command.output, command.images, env)) return kExitUsage;

  ScannedInputs scanned =
      ScanInputs(command, *probes, *policy, MakeScanOptions(command, as_of, env), env);
  if (scanned.interrupted) return kExitUsage;
  // No --output file when no input could be read: an empty report would look like a scan.
  if (command.output.empty() || !scanned.reports.empty()) {
    std::string rendered = Render(ScanRenderers(), command.format,
                                  ScanResults{scanned.reports, command.images.size() == 1},
                                  {.color = UseColor(command.output, env), .probes = env.probes});
    if (!WriteOutput(rendered, command.output, env)) return kExitUsage;
  }
  int gate = FailOnExitCode(command, *policy, scanned.reports, env);
  return scanned.some_failed ? kExitUsage : gate;
}

}  // namespace imageprobe::cli
