// SPDX-License-Identifier: Apache-2.0
// The text renderer, for a person at a terminal: a header about the input, then per root the
// OS, an inventory line (facts counted per kind), probe coverage, findings grouped by
// severity (most severe first) with path, user, evidence and remediation, errors, and a
// one-line summary.
//
// Every string that may come from an image (paths, users, evidence, OS fields, error
// messages…) passes through EscapeForTerminal here, so an image cannot move the cursor,
// retitle the window or hide text. Nothing upstream pre-escapes.
#pragma once

#include <ostream>

#include "scanner/core/report.h"

namespace imageprobe::report {

struct TextOptions {
  bool color = false;  // ANSI colours; the CLI enables them only for a terminal without NO_COLOR
};

void RenderText(const Report& report, std::ostream& out, const TextOptions& options = {});

// "1.2 GiB", "512 B"
std::string HumanSize(uint64_t bytes);

}  // namespace imageprobe::report
