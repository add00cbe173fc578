// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/cli.h"

#include <CLI/CLI.hpp>

#include "scanner/cli/commands.h"
#include "scanner/cli/schema_command.h"

namespace imageprobe::cli {

namespace {

constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  ok: every input was scanned or compared, and no gate failed\n"
    "  1  gate failed: scan: a finding at or above --fail-on that is not suppressed;\n"
    "     diff: a regression (with --fail-on-regression) or a new or raised finding at\n"
    "     or above --fail-on. Never with --profile forensic, which reports without gating.\n"
    "  2  usage error, or an input that is missing, unreadable, or neither a supported\n"
    "     image nor a saved imageprobe report\n"
    "  128+N  interrupted by signal N (130 SIGINT, 143 SIGTERM); temporary files removed\n"
    "\n"
    "Inputs are opened read-only; nothing is written to them or next to them.";

}  // namespace

CliApps DefineCli(CLI::App& app, CliCommands& commands) {
  app.description("imageprobe: offline forensic scanner for cloud and VM disk images.");
  app.footer(kExitCodesHelp);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::help);
  CliApps apps{
      .scan = AddScanCommand(app, commands.scan),
      .diff = AddDiffCommand(app, commands.diff),
      .rules = AddRulesCommand(app, commands.rules),
      .schema = AddSchemaCommand(app),
      .version = AddVersionCommand(app, commands.version),
  };
  for (CLI::App* sub : {apps.scan, apps.diff, apps.rules, apps.schema, apps.version}) {
    sub->footer(kExitCodesHelp);
  }
  return apps;
}

std::chrono::year_month_day Today(const CliEnvironment& env) {
  if (env.today) return env.today();
  return std::chrono::year_month_day{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

int RunCli(int argc, const char* const* argv, const CliEnvironment& env) {
  CLI::App app{"", "imageprobe"};
  CliCommands commands;
  const CliApps apps = DefineCli(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e, env.out, env.err);  // --help
    }
    env.err << "imageprobe: " << e.what() << "\n"
            << "Run 'imageprobe --help' (or 'imageprobe scan --help') for usage.\n";
    return kExitUsage;
  }

  try {
    if (*apps.scan) return RunScan(commands.scan, env);
    if (*apps.diff) return RunDiff(commands.diff, env);
    if (*apps.rules) return RunRules(commands.rules, env);
    if (*apps.schema) return RunSchema(env);
    if (*apps.version) return RunVersion(commands.version, env);
  } catch (const std::exception& e) {
    env.err << "imageprobe: " << EscapeForTerminal(e.what()) << "\n";
    return kExitUsage;
  }
  return kExitUsage;
}

}  // namespace imageprobe::cli
