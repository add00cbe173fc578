// SPDX-License-Identifier: Apache-2.0
// Profiles: the severities that suit the job at hand. A rule's default severity judges the risk
// in general; a profile re-judges it for one use of the image:
//   default   the rules' own severities; --fail-on gates.
//   release   an image about to be published: whatever one build leaves behind for every
//             instance launched from it (host keys, registrations, credentials, build keys,
//             shell histories, cloud-init state, Image Builder leftovers) is high or critical.
//   forensic  an investigation: the rules' own severities, and no gate (--fail-on never fails).
//             Severities are not lowered: what an investigator reads is the same judgement as
//             the default report, only nothing is blocked on it.
// ApplyProfile is a pure function over a Report, run after the probes (and the expectations).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "scanner/core/model.h"
#include "scanner/core/report.h"

namespace imageprobe::gate {

enum class Profile { kDefault, kRelease, kForensic };

std::string_view ProfileName(Profile profile);  // "default", "release", "forensic"
std::optional<Profile> ParseProfile(std::string_view name);

// False for profiles that report without gating (forensic): --fail-on and
// --fail-on-regression then never fail.
bool ProfileGates(Profile profile);

// One line of the table: under `profile`, findings of `rule_id` get `severity`.
struct SeverityOverride {
  Profile profile;
  std::string_view rule_id;
  Severity severity;
  std::string_view why;  // one line: why this job judges the rule differently
};

// The whole table, every profile. Each rule id must exist in the registry (a test checks it).
std::span<const SeverityOverride> SeverityOverrides();

// The severity `profile` gives `rule_id`, or nullopt when the profile keeps the rule's own.
std::optional<Severity> ProfileSeverity(Profile profile, std::string_view rule_id);

// Sets report.profile, and raises every finding the profile's table names to the table's
// severity (a profile never lowers: a finding its probe rated higher keeps it). A changed finding
// keeps its rule's severity in default_severity, so renderers can say "high (release; default
// medium)". Applying twice, or the default profile, changes nothing further.
void ApplyProfile(Profile profile, Report& report);

}  // namespace imageprobe::gate
