// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/json_model.h"

#include <concepts>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "scanner/parse/json_reader.h"

namespace imageprobe {

using nlohmann::json;

namespace {

// A count or a line number: a whole number in T's range. nlohmann's get<> would convert a
// float (1e95) by a cast that is undefined out of range, and wrap a negative integer.
template <std::unsigned_integral T>
T ReadWholeNumber(const json& value, const char* key) {
  bool fits = value.is_number_integer() &&
              (value.is_number_unsigned() || value.get<int64_t>() >= 0) &&
              value.get<uint64_t>() <= std::numeric_limits<T>::max();
  if (!fits) {
    throw std::invalid_argument(std::string(key) + " is not a whole number from 0 to " +
                                std::to_string(std::numeric_limits<T>::max()));
  }
  return static_cast<T>(value.get<uint64_t>());
}

// Optional members of the schema: missing on input means "empty".
template <class T>
void ReadOptional(const json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if constexpr (std::unsigned_integral<T> && !std::same_as<T, bool>) {
    out = ReadWholeNumber<T>(*it, key);
  } else {
    it->get_to(out);
  }
}

ProbeStatus ProbeStatusFromName(std::string_view name) {
  for (ProbeStatus s : {ProbeStatus::kRan, ProbeStatus::kNotApplicable, ProbeStatus::kFailed}) {
    if (ProbeStatusName(s) == name) return s;
  }
  throw std::invalid_argument("unknown probe status \"" + std::string(name) + "\"");
}

}  // namespace

void to_json(json& j, Severity severity) { j = std::string(SeverityName(severity)); }
void from_json(const json& j, Severity& severity) {
  auto name = j.get<std::string>();
  auto parsed = ParseSeverity(name);
  if (!parsed) throw std::invalid_argument("unknown severity \"" + name + "\"");
  severity = *parsed;
}

void to_json(json& j, ProbeStatus status) { j = std::string(ProbeStatusName(status)); }
void from_json(const json& j, ProbeStatus& status) {
  status = ProbeStatusFromName(j.get<std::string>());
}

void to_json(json& j, const OsInfo& os) {
  j = {{"detected", os.detected},
       {"id", os.id},
       {"id_like", os.id_like},
       {"name", os.name},
       {"version_id", os.version_id},
       {"pretty_name", os.pretty_name},
       {"codename", os.codename},
       {"hostname", os.hostname},
       {"arch", os.arch},
       {"package_format", os.package_format},
       {"source", os.source}};
}
void from_json(const json& j, OsInfo& os) {
  ReadOptional(j, "detected", os.detected);
  ReadOptional(j, "id", os.id);
  ReadOptional(j, "id_like", os.id_like);
  ReadOptional(j, "name", os.name);
  ReadOptional(j, "version_id", os.version_id);
  ReadOptional(j, "pretty_name", os.pretty_name);
  ReadOptional(j, "codename", os.codename);
  ReadOptional(j, "hostname", os.hostname);
  ReadOptional(j, "arch", os.arch);
  ReadOptional(j, "package_format", os.package_format);
  ReadOptional(j, "source", os.source);
}

void to_json(json& j, const Fact& fact) {
  j = {{"kind", fact.kind}, {"key", fact.key}, {"data", fact.data}};
}
void from_json(const json& j, Fact& fact) {
  j.at("kind").get_to(fact.kind);
  j.at("key").get_to(fact.key);
  fact.data = j.value("data", json());
}

void to_json(json& j, const Suppression& s) {
  j = {{"by", s.by}, {"reason", s.reason}};
  if (!s.expires.empty()) j["expires"] = s.expires;
}
void from_json(const json& j, Suppression& s) {
  j.at("by").get_to(s.by);
  ReadOptional(j, "reason", s.reason);
  ReadOptional(j, "expires", s.expires);
}

void to_json(json& j, const Finding& f) {
  j = {{"rule_id", f.rule_id},  {"severity", f.severity}, {"title", f.title},
       {"path", f.path},        {"evidence", f.evidence}, {"remediation", f.remediation},
       {"identity", f.identity}};
  if (f.line) j["line"] = *f.line;
  if (!f.user.empty()) j["user"] = f.user;
  if (f.default_severity) j["default_severity"] = *f.default_severity;
  if (f.suppressed) j["suppressed"] = *f.suppressed;
}
void from_json(const json& j, Finding& f) {
  j.at("rule_id").get_to(f.rule_id);
  j.at("severity").get_to(f.severity);
  ReadOptional(j, "title", f.title);
  ReadOptional(j, "path", f.path);
  if (auto it = j.find("line"); it != j.end() && !it->is_null()) {
    f.line = ReadWholeNumber<uint32_t>(*it, "line");
  }
  ReadOptional(j, "user", f.user);
  ReadOptional(j, "evidence", f.evidence);
  ReadOptional(j, "remediation", f.remediation);
  ReadOptional(j, "identity", f.identity);
  if (auto it = j.find("default_severity"); it != j.end() && !it->is_null()) {
    f.default_severity = it->get<Severity>();
  }
  if (auto it = j.find("suppressed"); it != j.end() && !it->is_null()) {
    f.suppressed = it->get<Suppression>();
  }
}

void to_json(json& j, const Diagnostic& d) {
  j = {{"source", d.source}, {"path", d.path}, {"message", d.message}};
}
void from_json(const json& j, Diagnostic& d) {
  ReadOptional(j, "source", d.source);
  ReadOptional(j, "path", d.path);
  j.at("message").get_to(d.message);
}

void to_json(json& j, const ProbeRun& run) {
  j = {
      {"name", run.name}, {"status", run.status}, {"reason", run.reason}, {"seconds", run.seconds}};
}
void from_json(const json& j, ProbeRun& run) {
  j.at("name").get_to(run.name);
  j.at("status").get_to(run.status);
  ReadOptional(j, "reason", run.reason);
  ReadOptional(j, "seconds", run.seconds);
}

void to_json(json& j, const StageTiming& t) { j = {{"stage", t.stage}, {"seconds", t.seconds}}; }
void from_json(const json& j, StageTiming& t) {
  j.at("stage").get_to(t.stage);
  j.at("seconds").get_to(t.seconds);
}

void to_json(json& j, const InputInfo& in) {
  j = {{"path", in.path},
       {"format", in.format},
       {"format_detail", in.format_detail},
       {"size", in.size}};
  if (in.sha256) j["sha256"] = *in.sha256;
}
void from_json(const json& j, InputInfo& in) {
  j.at("path").get_to(in.path);
  ReadOptional(j, "format", in.format);
  ReadOptional(j, "format_detail", in.format_detail);
  ReadOptional(j, "size", in.size);
  if (auto it = j.find("sha256"); it != j.end() && !it->is_null()) {
    in.sha256 = it->get<std::string>();
  }
}

void to_json(json& j, const RootReport& r) {
  j = {{"name", r.root.name}, {"description", r.root.description},
       {"os", r.os},          {"probes", r.probes},
       {"facts", r.facts},    {"findings", r.findings},
       {"errors", r.errors},  {"partial", r.partial}};
}
void from_json(const json& j, RootReport& r) {
  j.at("name").get_to(r.root.name);
  ReadOptional(j, "description", r.root.description);
  ReadOptional(j, "os", r.os);
  ReadOptional(j, "probes", r.probes);
  ReadOptional(j, "facts", r.facts);
  ReadOptional(j, "findings", r.findings);
  ReadOptional(j, "errors", r.errors);
  ReadOptional(j, "partial", r.partial);
}

void to_json(json& j, const Report& r) {
  j = {{"schema", r.schema},
       {"tool_version", r.tool_version},
       {"generated_at", r.generated_at},
       {"input", r.input},
       {"backend", r.backend},
       {"profile", r.profile},
       {"timings", r.timings},
       {"roots", r.roots},
       {"errors", r.errors},
       {"partial", r.partial},
       {"summary", report::SummaryJson(r)}};
  if (r.as_of) j["as_of"] = *r.as_of;
}
void from_json(const json& j, Report& r) {
  j.at("schema").get_to(r.schema);
  if (r.schema != kReportSchema) {
    throw std::invalid_argument("schema is \"" + r.schema + "\", expected \"" +
                                std::string(kReportSchema) + "\"");
  }
  ReadOptional(j, "tool_version", r.tool_version);
  ReadOptional(j, "generated_at", r.generated_at);
  if (j.contains("as_of")) r.as_of = j.at("as_of").get<std::string>();
  j.at("input").get_to(r.input);
  ReadOptional(j, "backend", r.backend);
  ReadOptional(j, "profile", r.profile);
  ReadOptional(j, "timings", r.timings);
  ReadOptional(j, "roots", r.roots);
  ReadOptional(j, "errors", r.errors);
  ReadOptional(j, "partial", r.partial);
}

namespace report {

json SummaryJson(const Report& r) {
  auto counts = r.CountBySeverity();
  json by_severity = json::object();
  size_t total = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    by_severity[std::string(SeverityName(static_cast<Severity>(i)))] = counts[i];
    total += counts[i];
  }
  auto max = r.MaxSeverity();
  return {{"counts", by_severity},
          {"total", total},
          {"max_severity", max ? json(*max) : json(nullptr)},
          {"suppressed", r.SuppressedCount()}};
}

std::expected<Report, std::string> ReportFromJson(const json& j) {
  try {
    return j.get<Report>();
  } catch (const json::exception& e) {
    return std::unexpected("not an imageprobe report: " + parse::JsonAccessErrorInOurWords(e));
  } catch (const std::invalid_argument& e) {  // ours: unknown severity, status, schema
    return std::unexpected(std::string("not an imageprobe report: ") + e.what());
  }
}

std::expected<Report, std::string> ParseReportJson(std::string_view text) {
  auto j = parse::ReadJson(text, kReportMaxJsonDepth);
  if (!j) return std::unexpected(j.error().Message());
  return ReportFromJson(*j);
}

}  // namespace report
}  // namespace imageprobe
