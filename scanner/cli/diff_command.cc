// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/diff_command.h"

#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>

#include "scanner/cli/input_checks.h"
#include "scanner/cli/scan_input.h"
#include "scanner/diff.h"
#include "scanner/report/diff_html.h"
#include "scanner/report/diff_json.h"
#include "scanner/report/diff_markdown.h"
#include "scanner/report/diff_text.h"
#include "scanner/report/json_model.h"

namespace imageprobe::cli {

namespace {

// A saved report larger than this is not something we wrote.
constexpr uintmax_t kMaxReportBytes = uintmax_t{512} << 20;

// True when `path` is a regular file whose first non-blank byte opens a JSON object or array.
// No supported image format starts that way (disk images, tar, ext4/XFS all begin with binary
// headers or a file name), so a JSON-looking file is read as a report and never opened as an
// image.
bool LooksLikeJson(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::ifstream in(path, std::ios::binary);
  std::array<char, 512> head{};
  in.read(head.data(), head.size());
  std::string_view text(head.data(), static_cast<size_t>(in.gcount()));
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

// The saved report in `path`, or a one-line reason why it is not one this tool can read.
std::expected<Report, std::string> LoadSavedReport(const std::string& path) {
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return std::unexpected("cannot read the file: " + ec.message());
  if (size > kMaxReportBytes) {
    return std::unexpected(std::string("JSON file larger than 512 MiB; not an imageprobe report"));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in) return std::unexpected(std::string("cannot read the file"));

  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::unexpected(std::string("not valid JSON"));
  if (!j.is_object()) {
    return std::unexpected(
        std::string("a JSON document that is not an imageprobe report "
                    "(expected one report object)"));
  }
  auto schema = j.find("schema");
  if (schema == j.end() || !schema->is_string()) {
    return std::unexpected(
        std::string("a JSON document without a \"schema\"; not an imageprobe report"));
  }
  const std::string id = schema->get<std::string>();
  if (id != kReportSchema) {
    if (id.starts_with("imageprobe/report/")) {
      return std::unexpected("report schema \"" + id + "\" is not supported (this imageprobe " +
                             "reads " + std::string(kReportSchema) + ")");
    }
    if (id.starts_with("imageprobe/")) {
      return std::unexpected("an " + id + " document, not an imageprobe report");
    }
    return std::unexpected("schema \"" + id + "\" is from another tool, not an imageprobe report");
  }
  auto report = report::ParseReportJson(text);
  if (!report) return std::unexpected("malformed imageprobe report: " + report.error());
  return report;
}

}  // namespace

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
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}))
      ->capture_default_str();
  diff->add_option("-o,--output", c.output,
                   "Write the diff to FILE instead of stdout. Refused when FILE is an input or "
                   "lies inside an input directory.");
  diff->add_flag("-q,--quiet", c.quiet, "No progress messages on stderr.");
  diff->add_flag("--fail-on-regression", c.fail_on_regression,
                 "Exit with 1 when NEW loses access (every key of a user, a user who could log "
                 "in) or adds or raises a finding at or above --fail-on (default high).");
  diff->add_option("--fail-on", c.fail_on,
                   "Exit with 1 when NEW adds or raises a finding at least this severe.")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}));
  return diff;
}

int RunDiff(const DiffCommand& command, const CliEnvironment& env) {
  const std::array<std::string, 2> inputs = {command.old_input, command.new_input};
  if (!command.output.empty()) {
    if (auto problem = OutputProblem(command.output, inputs)) {
      env.err << "imageprobe: " << EscapeForTerminal(*problem) << "\n";
      return kExitUsage;
    }
  }

  // Both sides scan at once; their progress lines share stderr, one whole line at a time.
  std::mutex err_mutex;
  ScanOptions options;
  options.tool_version = IMAGEPROBE_VERSION;
  if (env.stderr_is_terminal && !command.quiet) {
    options.progress = [&env, &err_mutex](std::string_view message) {
      std::lock_guard lock(err_mutex);
      env.err << "imageprobe: " << EscapeForTerminal(message) << "\n" << std::flush;
    };
  }
  images::OpenOptions open_options;
  open_options.progress = options.progress;

  auto load = [&](const std::string& input) -> std::expected<Report, std::string> {
    if (LooksLikeJson(input)) return LoadSavedReport(input);
    return ScanInput(input, env.probes, options, open_options, env.open_image);
  };
  std::future<std::expected<Report, std::string>> old_side =
      std::async(std::launch::async, load, std::cref(inputs[0]));
  std::expected<Report, std::string> new_report = load(inputs[1]);
  std::expected<Report, std::string> old_report = old_side.get();

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

  DiffReport diff = DiffReports(*old_report, *new_report);
  diff.tool_version = IMAGEPROBE_VERSION;  // this run made the diff, whatever made the reports
  std::ostringstream rendered;
  if (command.format == "json") {
    report::RenderDiffJson(diff, rendered);
  } else if (command.format == "markdown") {
    report::RenderDiffMarkdown(diff, rendered);
  } else if (command.format == "html") {
    report::RenderDiffHtml(diff, rendered);
  } else {
    bool to_terminal = command.output.empty() && env.stdout_is_terminal;
    report::RenderDiffText(diff, rendered, {.color = to_terminal && !env.no_color});
  }
  if (command.output.empty()) {
    env.out << rendered.str() << std::flush;
  } else {
    std::ofstream file(command.output, std::ios::binary | std::ios::trunc);
    file << rendered.str();
    file.close();
    if (!file) {
      env.err << "imageprobe: cannot write " << EscapeForTerminal(command.output) << "\n";
      return kExitUsage;
    }
  }

  if (!command.fail_on_regression && command.fail_on.empty()) return kExitOk;
  Severity threshold = *ParseSeverity(command.fail_on.empty() ? "high" : command.fail_on);
  if (command.fail_on_regression && diff.HasRegression()) return kExitGateFailed;
  if (auto added = diff.MaxAddedSeverity(); added && *added >= threshold) return kExitGateFailed;
  return kExitOk;
}

}  // namespace imageprobe::cli
