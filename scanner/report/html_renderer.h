// SPDX-License-Identifier: Apache-2.0
// A self-contained HTML report (one file; inline CSS; no script; nothing fetched) for a person
// who opens it after a pipeline ran: per image the input, a partial-report banner with the
// error count, the severity summary, then per root the OS, who can log in (user, key type,
// fingerprint, the file it came from, sudo), the findings most severe first with evidence and
// remediation, suppressed findings apart (never counted), the inventory and the errors.
//
// Every string from a report passes through EscapeHtml.
#pragma once

#include <ostream>
#include <span>

#include "scanner/core/record_catalog.h"
#include "scanner/core/report.h"

namespace imageprobe::report {

// Several reports (one per image) share one page, one section each.
// `catalog` declares the kinds the login table reads.
void RenderHtml(std::span<const Report> reports, const RecordCatalog& catalog, std::ostream& out);

}  // namespace imageprobe::report
