// SPDX-License-Identifier: Apache-2.0
// Small pieces the Markdown and HTML renderers share, so both order and word things alike.
// Nothing here escapes: callers escape for their format.
#pragma once

#include <string>
#include <vector>

#include "scanner/core/report.h"

namespace imageprobe::report {

// "CRITICAL" …
std::string SeverityLabel(Severity severity);

// The root's findings that count (not suppressed), most severe first; within one severity in
// canonical order (rule id, path, user, identity).
std::vector<const Finding*> ActiveFindings(const RootReport& root);

// The suppressed findings, in canonical order. They are listed apart and never counted.
std::vector<const Finding*> SuppressedFindings(const RootReport& root);

// "/etc/ssh/sshd_config:12", or the path alone, or "" without a path.
std::string LocationText(const Finding& finding);

// "Ubuntu 22.04.4 LTS (ubuntu 22.04, x86_64)" or "OS not detected".
std::string OsText(const OsInfo& os);

// A fact field's value for a person: strings bare, anything else as compact JSON, "(unset)"
// when the object has no such field.
std::string FieldText(const nlohmann::json& data, const std::string& field);

}  // namespace imageprobe::report
