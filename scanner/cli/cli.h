// SPDX-License-Identifier: Apache-2.0
// The imageprobe command line: `scan`, `diff`, `rules`, `schema`, `version`. main.cc only fills a
// CliEnvironment with the real things (images::OpenImage, the probe registry, std::cout/cerr,
// isatty) and calls RunCli; tests pass fakes.
//
// Exit codes (documented in --help and the README):
//   0  ok (the scan ran; findings below the --fail-on threshold, if any)
//   1  gate failed: a finding at or above --fail-on (scan); a regression or a new finding at
//      or above --fail-on (diff)
//   2  usage error, or an input that cannot be read or opened
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <span>
#include <string>

namespace CLI {
class App;
}

#include "images/host_report.h"
#include "images/open.h"
#include "scanner/core/image.h"
#include "scanner/core/probe.h"

namespace imageprobe::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitGateFailed = 1;
inline constexpr int kExitUsage = 2;

using OpenImageFn =
    std::function<std::unique_ptr<Image>(const std::string&, const images::OpenOptions&)>;

struct CliEnvironment {
  OpenImageFn open_image;
  std::span<const Probe* const> probes;  // registry order
  std::ostream& out;
  std::ostream& err;
  bool stdout_is_terminal = false;
  bool stderr_is_terminal = false;
  bool no_color = false;  // NO_COLOR is set to a non-empty value (https://no-color.org)
  // Today's date (UTC), for ignore-file expiry; empty: the system clock. Tests pin it.
  std::function<std::chrono::year_month_day()> today;
  // What this machine offers, for `imageprobe version`; empty: version and commit only.
  std::function<images::HostReport()> describe_host;
};

// One value per command; DefineCli binds their options. Shared by RunCli and the generator of
// the man pages and shell completions (scanner/cli/manual.h), so both describe the same CLI.
struct CliCommands;
struct CliApps {
  CLI::App* scan;
  CLI::App* diff;
  CLI::App* rules;
  CLI::App* schema;
  CLI::App* version;
};
// Adds every command and option to `app` (named "imageprobe"), bound to `commands`.
CliApps DefineCli(CLI::App& app, CliCommands& commands);

// env.today(), or today's UTC date from the system clock.
std::chrono::year_month_day Today(const CliEnvironment& env);

// Parses argv, runs the command, and returns the exit code. Never throws.
int RunCli(int argc, const char* const* argv, const CliEnvironment& env);

}  // namespace imageprobe::cli
