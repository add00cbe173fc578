// SPDX-License-Identifier: Apache-2.0
// The JSON renderer: the report as schema "imageprobe/report/v1" (see json_model.h), indented,
// keys sorted, facts and findings in canonical order, so two scans of the same image differ
// only in the metadata (generated_at, timings, seconds).
#pragma once

#include <ostream>
#include <span>

#include "scanner/core/report.h"

namespace imageprobe::report {

// One report: a JSON object, then a newline.
void RenderJson(const Report& report, std::ostream& out);

// Several reports (one per input image, in command-line order): a JSON array of report
// objects, then a newline.
void RenderJsonArray(std::span<const Report> reports, std::ostream& out);

}  // namespace imageprobe::report
