// SPDX-License-Identifier: Apache-2.0
// The diff as a self-contained HTML page (same frame as the report: inline CSS, no script,
// nothing fetched): the headlines first (regressions in a banner), the two inputs, a summary,
// the finding changes, then the inventory changes per kind with each changed field old -> new.
// Like the Markdown diff it walks DiffJson, so fields the diff gains later are shown
// generically (multi-line strings such as unified diffs as <pre>, other values as JSON).
// Every string passes through EscapeHtml.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "scanner/core/diff.h"

namespace imageprobe::report {

void RenderDiffHtml(const DiffReport& diff, std::ostream& out);

// The same from an imageprobe/diff/v1 document (what RenderDiffHtml renders DiffJson of).
void RenderDiffHtmlJson(const nlohmann::json& diff, std::ostream& out);

}  // namespace imageprobe::report
