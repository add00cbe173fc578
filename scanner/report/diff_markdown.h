// SPDX-License-Identifier: Apache-2.0
// The diff as Markdown for a pull-request comment: the headlines first (regressions marked),
// the two inputs, a summary, the finding changes (new, resolved, raised…) with evidence and
// remediation, then the fact changes folded per kind into <details>. Cut to fit a GitHub
// comment, with a note.
//
// Rendered from DiffJson (the imageprobe/diff/v1 document), not from the C++ structs alone, so
// that a field the diff gains later (on a fact change, or a whole new section) shows up here
// without a change: unknown fields of a fact change are listed by name (multi-line strings,
// such as a unified diff, as a preformatted block), unknown top-level sections as JSON.
// Every string passes through EscapeMarkdown (or EscapeHtml inside <pre>).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "scanner/core/diff.h"
#include "scanner/report/markdown_doc.h"

namespace imageprobe::report {

void RenderDiffMarkdown(const DiffReport& diff, std::ostream& out,
                        size_t limit = kMarkdownCommentLimit);

// The same from an imageprobe/diff/v1 document (what RenderDiffMarkdown renders DiffJson of).
void RenderDiffMarkdownJson(const nlohmann::json& diff, std::ostream& out,
                            size_t limit = kMarkdownCommentLimit);

}  // namespace imageprobe::report
