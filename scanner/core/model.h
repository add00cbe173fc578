// SPDX-License-Identifier: Apache-2.0
// What a scan produces: facts (inventory), findings (judgements), diagnostics (what could not
// be read), per root. Renderers and the diff consume these; nothing here does I/O.
//
// Facts carry their payload as JSON on purpose: probes build them from their own typed structs
// (via to_json next to the struct), and the report, the diff and saved-report loading then
// handle every kind of fact alike, matched by (kind, key) — the natural key the probe chose.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe {

// Ordered from least to most severe; compare with <, >=.
enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity severity);  // "info" … "critical"
std::optional<Severity> ParseSeverity(std::string_view name);

// A rule a probe can raise. Ids are stable dotted names: never renamed, never reused.
struct RuleInfo {
  std::string_view id;           // "ssh.authorized_keys.group_writable"
  Severity severity;             // default severity
  std::string_view title;        // one line: "authorized_keys is group-writable"
  std::string_view rationale;    // why it matters
  std::string_view remediation;  // what to do about it
};

// Why a finding no longer counts: an ignore-file entry or a baseline report already holding it.
// Suppressed findings stay in the report (JSON marks them); they are left out of the summary
// counts and of every gate.
struct Suppression {
  std::string by;       // "ignore_file" or "baseline"
  std::string reason;   // the ignore entry's reason, or the baseline report's path
  std::string expires;  // ISO date (YYYY-MM-DD) of the ignore entry, empty when none
};

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kInfo;
  std::string title;  // specific: "authorized_keys of deploy is group-writable"
  std::string path;   // guest path, may be empty
  std::optional<uint32_t> line;
  std::string user;      // may be empty
  std::string evidence;  // secrets already redacted (see RedactSecret)
  std::string remediation;
  // Stable identity for diffs and SARIF partialFingerprints: rule|path|user|discriminator.
  std::string identity;
  // Set when a profile changed the rule's default severity: the severity the probe raised.
  std::optional<Severity> default_severity;
  std::optional<Suppression> suppressed;
};

struct Fact {
  std::string
      kind;         // hierarchical and stable ("area/thing"), declared by its probe (record_kind.h)
  std::string key;  // natural key within the kind: "alice|SHA256:…"
  nlohmann::json data;
};

// Something could not be read or understood. Any diagnostic makes its root partial.
struct Diagnostic {
  std::string source;  // probe name, or "image" for mount/open problems
  std::string path;    // guest path, may be empty
  std::string message;
};

// What the OS probe found; the report's per-root "os" block.
struct OsInfo {
  bool detected = false;
  std::string id;  // os-release ID: "ubuntu", "amzn", "rhel", "debian"
  std::string id_like;
  std::string name;
  std::string version_id;  // "22.04", "2023", "7"
  std::string pretty_name;
  std::string codename;
  std::string hostname;
  std::string arch;            // "x86_64", "aarch64", from an ELF header
  std::string package_format;  // "deb", "rpm", "apk", or empty
  std::string source;          // the file the identity came from: "/etc/os-release"
};

// "AKIA…" -> "AKIA…WXYZ"-style redaction: first and last 4 characters, length kept out.
std::string RedactSecret(std::string_view secret);

// Makes a string safe to print: control characters (including ESC) and invalid UTF-8 become
// \xNN escapes. Everything that came from an image passes through this in text output.
std::string EscapeForTerminal(std::string_view text);

}  // namespace imageprobe
