// SPDX-License-Identifier: Apache-2.0
// Markdown for a pull-request comment (GitHub Flavored Markdown): per image a title, the
// severity summary, a partial-report warning, then per root the OS, who can log in (table),
// the findings most severe first with evidence and remediation, suppressed findings apart
// (never counted), and errors. Long sections fold into <details>. Cut to fit a GitHub
// comment (kMarkdownCommentLimit) with a note when it does not.
//
// Every string from a report passes through EscapeMarkdown: an image cannot add markup,
// links, images, mentions or HTML to the comment.
#pragma once

#include <ostream>
#include <span>

#include "scanner/core/record_catalog.h"
#include "scanner/core/report.h"
#include "scanner/report/markdown_doc.h"

namespace imageprobe::report {

// Several reports (one per image) go into one comment, one after the other.
// `catalog` declares the kinds the login table reads.
void RenderMarkdown(std::span<const Report> reports, const RecordCatalog& catalog,
                    std::ostream& out, size_t limit = kMarkdownCommentLimit);

}  // namespace imageprobe::report
