// SPDX-License-Identifier: Apache-2.0
// Saved JSON reports as inputs: `diff` takes one for either side, `scan --baseline` takes one to
// report only what is new.
#pragma once

#include <expected>
#include <string>

#include "scanner/core/report.h"

namespace imageprobe::cli {

// True when `path` is a regular file whose first non-blank byte opens a JSON object or array.
// No supported image format starts that way (disk images, tar, ext4/XFS all begin with binary
// headers or a file name), so a JSON-looking file is read as a report and never opened as an
// image.
bool LooksLikeJson(const std::string& path);

// The saved report in `path`, or a one-line reason why it is not one this tool can read.
std::expected<Report, std::string> LoadSavedReport(const std::string& path);

}  // namespace imageprobe::cli
