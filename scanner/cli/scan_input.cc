// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/scan_input.h"

#include "scanner/cli/input_checks.h"
#include "scanner/core/exception_text.h"

namespace imageprobe::cli {

std::expected<Report, std::string> ScanInput(const std::string& input,
                                             std::span<const Probe* const> probes,
                                             const ScanOptions& options,
                                             const images::OpenOptions& open_options,
                                             const OpenImageFn& open_image) {
  if (auto problem = InputProblem(input)) return std::unexpected(*problem);
  try {
    std::unique_ptr<Image> image = open_image(input, open_options);
    return Scan(*image, probes, options);
  } catch (const ImageError& e) {
    return std::unexpected(std::string(e.what()));
  } catch (const std::exception& e) {
    return std::unexpected(ExceptionInOurWords(e));
  }
}

void PrintInputError(const CliEnvironment& env, const std::string& input,
                     const std::string& reason) {
  env.err << "imageprobe: ";
  if (reason.find(input) == std::string::npos) env.err << EscapeForTerminal(input) << ": ";
  env.err << EscapeForTerminal(reason) << "\n";
}

}  // namespace imageprobe::cli
