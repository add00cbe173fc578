// SPDX-License-Identifier: Apache-2.0
// The diff for a person at a terminal: the two inputs, the headlines (regressions first and
// marked "! REGRESSION"), then fact changes grouped by kind (+ added, - removed, ~ changed with
// each changed field as old -> new), then finding changes (new, resolved, severity or evidence
// changed), and a summary line. "no changes" when the two sides match.
//
// Every string that may come from an image (keys, values, users, paths, evidence, headline
// text naming users) passes through EscapeForTerminal here.
#pragma once

#include <ostream>

#include "scanner/core/diff.h"
#include "scanner/report/text_renderer.h"

namespace imageprobe::report {

void RenderDiffText(const DiffReport& diff, std::ostream& out, const TextOptions& options = {});

}  // namespace imageprobe::report
