// SPDX-License-Identifier: Apache-2.0
// The JSON Schema of `imageprobe scan --format json` (docs/report.schema.json, printed by
// `imageprobe schema`): the report's envelope, written here, and for each record kind the
// probes declare (scanner/core/record_kind.h) the members and types of its facts' `data`, so
// the schema cannot drift from what the probes write. tests/formats/rules_doc.py holds the
// committed file to this output; tools/update-golden rewrites it.
#pragma once

#include <span>
#include <string>

#include "scanner/core/record_kind.h"

namespace imageprobe::report {

// The schema, laid out as the repository keeps it (json_layout.h). Kinds keep their order.
std::string ReportSchema(std::span<const RecordKind* const> kinds);

}  // namespace imageprobe::report
