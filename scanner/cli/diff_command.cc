// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/diff_command.h"

#include <sys/stat.h>

#include <array>
#include <future>
#include <mutex>

#include "probes/all_probes.h"
#include "scanner/cli/engine_flag.h"
#include "scanner/cli/output.h"
#include "scanner/cli/renderers.h"
#include "scanner/cli/saved_report.h"
#include "scanner/cli/scan_input.h"
#include "scanner/core/cancel.h"
#include "scanner/core/diff.h"
#include "scanner/report/json_model.h"

namespace imageprobe::cli {

CLI::App* AddDiffCommand(CLI::App& app, DiffCommand& c) {
  CLI::App* diff = app.add_subcommand(
      "diff", "Compare two versions of an image: what access, exposure and findings changed.");
  diff->add_option("OLD", c.old_input,
                   "The old version: an image (any format `scan` reads) or a saved JSON report "
                   "(`imageprobe scan -f json`).")
      ->required();
  diff->add_option("NEW", c.new_input, "The new version: an image or a saved JSON report.")
      ->required();
  diff->add_option("-f,--format", c.format,
                   "Output format. text: for a terminal; json: schema imageprobe/diff/v1 "
                   "(docs/diff.schema.json); markdown: for a pull-request comment (cut to fit "
                   "one); html: one self-contained page.")
      ->check(CLI::IsMember(FormatNames(DiffRenderers())))
      ->capture_default_str();
  diff->add_option("-o,--output", c.output,
                   "Write the diff to FILE instead of stdout. Refused when FILE is an input or "
                   "lies inside an input directory.");
  diff->add_flag("-q,--quiet", c.quiet, "No progress messages on stderr.");
  AddEngineOption(*diff, c.engine);
  diff->add_flag("--fail-on-regression", c.fail_on_regression,
                 "Exit with 1 when NEW loses access (every key of a user, a user who could log "
                 "in) or adds or raises a finding at or above --fail-on (default high).");
  diff->add_option("--fail-on", c.fail_on,
                   "Exit with 1 when NEW adds or raises a finding at least this severe.")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}));
  AddProfileFlag(*diff, c.gate);
  return diff;
}

namespace {

// Both sides scan at once; their progress lines share stderr, one whole line at a time.
ScanOptions DiffScanOptions(const DiffCommand& command, const CliEnvironment& env,
                            std::mutex& err_mutex) {
  ScanOptions options;
  options.tool_version = IMAGEPROBE_VERSION;
  if (env.today) options.as_of = env.today();  // a pinned clock (tests) pins end-of-life dates
  if (env.stderr_is_terminal && !command.quiet) {
    options.progress = [&env, &err_mutex](std::string_view message) {
      std::lock_guard lock(err_mutex);
      env.err << "imageprobe: " << EscapeForTerminal(message) << "\n" << std::flush;
    };
  }
  return options;
}

struct DiffSides {
  std::expected<Report, std::string> old_report;
  std::expected<Report, std::string> new_report;
};

// Each side read from its saved report, or scanned; the old one on a thread of its own.
DiffSides LoadSides(const DiffCommand& command, std::span<const std::string, 2> inputs,
                    const CliEnvironment& env) {
  std::mutex err_mutex;
  ScanOptions options = DiffScanOptions(command, env, err_mutex);
  images::OpenOptions open_options;
  open_options.progress = options.progress;
  open_options.engine = ParseEngine(command.engine);
  auto load = [&](const std::string& input) -> std::expected<Report, std::string> {
    if (LooksLikeJson(input)) return LoadSavedReport(input);
    return ScanInput(input, env.probes, options, open_options, env.open_image);
  };
  std::future<std::expected<Report, std::string>> old_side =
      std::async(std::launch::async, load, std::cref(inputs[0]));
  std::expected<Report, std::string> new_report = load(inputs[1]);
  return {old_side.get(), std::move(new_report)};
}

// What --fail-on-regression and --fail-on make of the diff.
int DiffGateExitCode(const DiffCommand& command, gate::Profile profile, const DiffReport& diff,
                     const CliEnvironment& env) {
  if (!command.fail_on_regression && command.fail_on.empty()) return kExitOk;
  if (!gate::ProfileGates(profile)) {
    if (!command.quiet) {
      env.err << "imageprobe: --fail-on and --fail-on-regression have no effect with --profile "
              << command.gate.profile << " (it reports without gating)\n";
    }
    return kExitOk;
  }
  Severity threshold = *ParseSeverity(command.fail_on.empty() ? "high" : command.fail_on);
  if (command.fail_on_regression && diff.HasRegression()) return kExitGateFailed;
  if (auto added = diff.MaxAddedSeverity(); added && *added >= threshold) return kExitGateFailed;
  return kExitOk;
}

}  // namespace

int RunDiff(const DiffCommand& command, const CliEnvironment& env) {
  const std::array<std::string, 2> inputs = {command.old_input, command.new_input};
  if (!OutputPathAllowed(command.output, inputs, env)) return kExitUsage;
  auto [old_report, new_report] = LoadSides(command, inputs, env);
  if (CancelRequested()) return kExitUsage;  // interrupted: no diff of half-read images

  bool failed = false;
  if (!old_report) {
    PrintInputError(env, inputs[0], old_report.error());
    failed = true;
  }
  if (!new_report) {
    PrintInputError(env, inputs[1], new_report.error());
    failed = true;
  }
  if (failed) return kExitUsage;

  // Both sides under one profile, so a severity change means the image changed, not the rating.
  gate::Profile profile =
      gate::ParseProfile(command.gate.profile).value_or(gate::Profile::kDefault);
  gate::ApplyProfile(profile, *old_report);
  gate::ApplyProfile(profile, *new_report);
  DiffReport diff = DiffReports(*old_report, *new_report, probes::AllRecordKinds());
  diff.tool_version = IMAGEPROBE_VERSION;  // this run made the diff, whatever made the reports

  std::string rendered = Render(DiffRenderers(), command.format, diff,
                                {.color = UseColor(command.output, env), .probes = env.probes});
  if (!WriteOutput(rendered, command.output, env)) return kExitUsage;
  return DiffGateExitCode(command, profile, diff, env);
}

}  // namespace imageprobe::cli
