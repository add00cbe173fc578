// SPDX-License-Identifier: Apache-2.0
// JSON (de)serialisation of the report model, schema "imageprobe/report/v1". nlohmann finds
// these by ADL (they live in the types' namespace), so `nlohmann::json j = report;` and
// `j.get<Report>()` just work. They are kept here, not in scanner/core/model.h, so that the core
// does not depend on this representation.
//
// The shape (field names snake_case; enums as strings; optional fields omitted when unset):
//   { "schema": "imageprobe/report/v1", "tool_version", "generated_at",
//     "input": {path, format, format_detail, size, sha256?}, "backend",
//     "timings": [{stage, seconds}],
//     "roots": [{name, description, os: {detected, id, …}, probes: [{name, status, reason,
//                seconds}], facts: [{kind, key, data}], findings: [{rule_id, severity, title,
//                path, line?, user?, evidence, remediation, identity}], errors: [{source, path,
//                message}], partial}],
//     "errors": [...], "partial", "summary": {counts: {critical…info}, total, max_severity} }
// "summary" is derived from the findings: written, and ignored when read back.
#pragma once

#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "scanner/core/report.h"

namespace imageprobe {

void to_json(nlohmann::json& j, Severity severity);
void from_json(const nlohmann::json& j, Severity& severity);
void to_json(nlohmann::json& j, ProbeStatus status);
void from_json(const nlohmann::json& j, ProbeStatus& status);

void to_json(nlohmann::json& j, const OsInfo& os);
void from_json(const nlohmann::json& j, OsInfo& os);
void to_json(nlohmann::json& j, const Fact& fact);
void from_json(const nlohmann::json& j, Fact& fact);
void to_json(nlohmann::json& j, const Suppression& suppression);
void from_json(const nlohmann::json& j, Suppression& suppression);
void to_json(nlohmann::json& j, const Finding& finding);
void from_json(const nlohmann::json& j, Finding& finding);
void to_json(nlohmann::json& j, const Diagnostic& diagnostic);
void from_json(const nlohmann::json& j, Diagnostic& diagnostic);
void to_json(nlohmann::json& j, const ProbeRun& run);
void from_json(const nlohmann::json& j, ProbeRun& run);
void to_json(nlohmann::json& j, const StageTiming& timing);
void from_json(const nlohmann::json& j, StageTiming& timing);
void to_json(nlohmann::json& j, const InputInfo& input);
void from_json(const nlohmann::json& j, InputInfo& input);
void to_json(nlohmann::json& j, const RootReport& root);
void from_json(const nlohmann::json& j, RootReport& root);
void to_json(nlohmann::json& j, const Report& report);
// Throws nlohmann::json::exception (or std::invalid_argument for an unknown schema id or enum
// value) when the document is not a v1 report.
void from_json(const nlohmann::json& j, Report& report);

namespace report {

// The summary block of a report: counts by severity, total, max_severity.
nlohmann::json SummaryJson(const Report& report);

// Saved reports nest facts' data: deeper than a file from an image may, still bounded.
inline constexpr int kReportMaxJsonDepth = 256;

// Reads a saved report (the output of RenderJson for one image) through the shared JSON reader
// (scanner/parse/json_reader.h). The error says what is wrong, in our words.
std::expected<Report, std::string> ParseReportJson(std::string_view text);
// The same from a document already parsed.
std::expected<Report, std::string> ReportFromJson(const nlohmann::json& j);

}  // namespace report
}  // namespace imageprobe
