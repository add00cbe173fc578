// SPDX-License-Identifier: Apache-2.0
// imageprobe: wires the real image opener, the probe registry and the terminal into the CLI.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "images/host_report.h"
#include "images/open.h"
#include "probes/all_probes.h"
#include "scanner/cli/cli.h"
#include "scanner/cli/interrupt.h"
#include "scanner/cli/private_tmpdir.h"
#include "scanner/core/trace.h"

int main(int argc, char** argv) {
  const imageprobe::cli::PrivateTmpdir tmpdir;  // before any thread: it sets TMPDIR
  imageprobe::cli::InstallInterruptHandlers();
  const char* no_color = std::getenv("NO_COLOR");
  imageprobe::cli::CliEnvironment env{
      .open_image = imageprobe::images::OpenImage,
      .probes = imageprobe::probes::AllProbes(),
      .out = std::cout,
      .err = std::cerr,
      .stdout_is_terminal = isatty(STDOUT_FILENO) == 1,
      .stderr_is_terminal = isatty(STDERR_FILENO) == 1,
      .no_color = no_color != nullptr && *no_color != '\0',
      .describe_host = imageprobe::images::DescribeHost,
  };
  int code = imageprobe::cli::RunCli(argc, argv, env);
  if (imageprobe::TraceEnabled()) {
    if (auto kib = imageprobe::PeakResidentKiB()) {
      std::cerr << "imageprobe: peak resident memory of this process (VmHWM): " << *kib << " KiB\n";
    }
  }
  // Everything the scan created was removed while unwinding (see interrupt.h).
  if (int interrupted = imageprobe::cli::InterruptExitCode()) {
    std::cerr << "imageprobe: interrupted by signal " << interrupted - 128
              << "; no report written, temporary files removed\n";
    return interrupted;
  }
  return code;
}
