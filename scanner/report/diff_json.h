// SPDX-License-Identifier: Apache-2.0
// The diff as JSON, schema "imageprobe/diff/v1", for pipelines that gate on it:
//   { "schema", "tool_version", "old": {input}, "new": {input},
//     "headlines": [{text, regression}], "regression": bool,
//     "facts": [{change, root, kind, key, old, new, changed_fields}],
//     "findings": [{change, root, old?, new?}]   (Finding objects as in the report model),
//     "summary": {facts: {added, removed, changed}, findings: {added, removed, changed},
//                 headlines, regressions} }
// "old"/"new" of a fact are null when it did not exist on that side.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "scanner/core/diff.h"

namespace imageprobe::report {

nlohmann::json DiffJson(const DiffReport& diff);

// The diff as one indented JSON object, then a newline.
void RenderDiffJson(const DiffReport& diff, std::ostream& out);

}  // namespace imageprobe::report
