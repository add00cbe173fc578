// SPDX-License-Identifier: Apache-2.0
// SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/) for code-scanning
// dashboards. One run per report (several images: one run each, in one log):
//   tool.driver   name, version, rules: the whole rule registry (id, shortDescription = title,
//                 fullDescription = why it matters, help = remediation as text and markdown,
//                 defaultConfiguration.level, properties.security-severity and tags), plus any
//                 rule a finding names that the registry does not know (a saved report from
//                 another version), so every ruleIndex is valid;
//   results       ruleId, ruleIndex, level from the finding's severity, message (title and
//                 evidence), a physicalLocation inside the image (uri relative to a uriBaseId
//                 per root, region.startLine when known), partialFingerprints from
//                 Finding::identity, and for a suppressed finding suppressions[] (kind
//                 external, status accepted, justification);
//   invocations   executionSuccessful, each error as a toolExecutionNotification;
//   properties    input, backend, profile, partial, root descriptions.
//
// Severity maps to level as critical/high -> error, medium -> warning, low/info -> note, and
// to security-severity (GitHub's scale) as 9.5 / 8.0 / 5.5 / 3.0 / 0.0.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <span>

#include "scanner/core/report.h"

namespace imageprobe::report {

inline constexpr std::string_view kSarifSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

nlohmann::json SarifLog(std::span<const Report> reports, std::span<const RuleInfo> rules);

// The log as indented JSON, then a newline.
void RenderSarif(std::span<const Report> reports, std::span<const RuleInfo> rules,
                 std::ostream& out);

// "/etc/ssh/sshd_config" -> "etc/ssh/sshd_config": relative to the root's uriBaseId, every
// byte outside RFC 3986's unreserved set and "/" percent-encoded.
std::string GuestPathUri(std::string_view path);

}  // namespace imageprobe::report
