// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/output.h"

#include <fstream>

#include "scanner/cli/input_checks.h"

namespace imageprobe::cli {

bool OutputPathAllowed(const std::string& output_path, std::span<const std::string> inputs,
                       const CliEnvironment& env) {
  if (output_path.empty()) return true;
  if (auto problem = OutputProblem(output_path, inputs)) {
    env.err << "imageprobe: " << EscapeForTerminal(*problem) << "\n";
    return false;
  }
  return true;
}

bool UseColor(const std::string& output_path, const CliEnvironment& env) {
  return output_path.empty() && env.stdout_is_terminal && !env.no_color;
}

bool WriteOutput(std::string_view rendered, const std::string& output_path,
                 const CliEnvironment& env) {
  if (output_path.empty()) {
    env.out << rendered << std::flush;
    return true;
  }
  std::ofstream file(output_path, std::ios::binary | std::ios::trunc);
  file << rendered;
  file.close();
  if (!file) {
    env.err << "imageprobe: cannot write " << EscapeForTerminal(output_path) << "\n";
    return false;
  }
  return true;
}

}  // namespace imageprobe::cli
