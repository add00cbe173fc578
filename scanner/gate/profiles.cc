// SPDX-License-Identifier: Apache-2.0
#include "scanner/gate/profiles.h"

#include <array>

namespace imageprobe::gate {

namespace {

using enum Severity;
constexpr Profile kRelease = Profile::kRelease;

// Rule id -> severity under a profile, with the one-line reason. Sorted by profile, then rule.
// Only rules whose severity the profile changes are listed; forensic changes none (it lowers
// nothing and raises nothing: it only turns the gate off).
constexpr std::array kOverrides = {
    // --- release: an image about to be published -----------------------------------------
    SeverityOverride{kRelease, "cloudinit.config.ssh_deletekeys_false", kHigh,
                     "instances keep the host keys baked into the image instead of new ones"},
    SeverityOverride{kRelease, "cloudinit.leftover.secrets", kCritical,
                     "the build instance's secrets ship to every launch"},
    SeverityOverride{kRelease, "cloudinit.leftover.user_data", kHigh,
                     "the build's user data (often with tokens) ships to every launch"},
    SeverityOverride{kRelease, "cloudinit.state.instance_left", kHigh,
                     "cloud-init treats launches as the build instance and skips first-boot setup"},
    SeverityOverride{kRelease, "cloudinit.state.once_semaphores", kHigh,
                     "per-once modules (keys, users) do not run on instances launched from it"},
    SeverityOverride{kRelease, "cloudwatch.oidc_token.present", kHigh,
                     "a build-time token published in the image"},
    SeverityOverride{kRelease, "cloudwatch.proxy.credentials", kHigh,
                     "proxy credentials published to everyone who can launch the image"},
    SeverityOverride{kRelease, "imagebuilder.cleanup.incomplete", kHigh,
                     "Image Builder's cleanup left build state in the published image"},
    SeverityOverride{kRelease, "imagebuilder.cleanup.marker_ignored", kHigh,
                     "a skip marker left build state in the published image"},
    SeverityOverride{kRelease, "imagebuilder.cleanup.not_run", kCritical,
                     "no cleanup ran: build keys, logs and state all ship"},
    SeverityOverride{kRelease, "imagebuilder.cleanup.section_skipped", kMedium,
                     "part of the build state was deliberately left in the image"},
    SeverityOverride{kRelease, "imagebuilder.toe_logs.present", kHigh,
                     "build logs (commands, sometimes secrets) ship with the image"},
    SeverityOverride{kRelease, "secrets.history.aws_access_key_id", kHigh,
                     "a shell history naming an access key ships to every launch"},
    SeverityOverride{kRelease, "secrets.history.aws_configure", kHigh,
                     "a build shell history ships: credentials were typed on the build host"},
    SeverityOverride{kRelease, "ssh.authorized_keys.packer_key", kCritical,
                     "the build's temporary key would log in to every instance"},
    SeverityOverride{kRelease, "ssh.host_keys.present", kHigh,
                     "every instance would share one host identity (impersonation, MITM)"},
    SeverityOverride{kRelease, "ssh.private_key.unencrypted", kCritical,
                     "a usable private key published to everyone who can launch the image"},
    SeverityOverride{kRelease, "ssm.instance_folder.leftover", kHigh,
                     "the build instance's SSM state ships to every launch"},
    SeverityOverride{kRelease, "ssm.session_manager.sudoers", kHigh,
                     "a build-time Session Manager grant ships to every launch"},
    SeverityOverride{kRelease, "users.password.empty", kCritical,
                     "a passwordless account on every instance launched from it"},
    SeverityOverride{kRelease, "users.password.usable_hash", kHigh,
                     "one password shared by every instance launched from the image"},
    SeverityOverride{kRelease, "users.ssm_user.present", kHigh,
                     "a Session Manager account left from the build instance"},
};

}  // namespace

std::string_view ProfileName(Profile profile) {
  switch (profile) {
    case Profile::kDefault:
      return "default";
    case Profile::kRelease:
      return "release";
    case Profile::kForensic:
      return "forensic";
  }
  return "default";
}

std::optional<Profile> ParseProfile(std::string_view name) {
  for (Profile p : {Profile::kDefault, Profile::kRelease, Profile::kForensic}) {
    if (ProfileName(p) == name) return p;
  }
  return std::nullopt;
}

bool ProfileGates(Profile profile) { return profile != Profile::kForensic; }

std::span<const SeverityOverride> SeverityOverrides() { return kOverrides; }

std::optional<Severity> ProfileSeverity(Profile profile, std::string_view rule_id) {
  for (const SeverityOverride& o : kOverrides) {
    if (o.profile == profile && o.rule_id == rule_id) return o.severity;
  }
  return std::nullopt;
}

void ApplyProfile(Profile profile, Report& report) {
  report.profile = std::string(ProfileName(profile));
  for (RootReport& root : report.roots) {
    for (Finding& finding : root.findings) {
      std::optional<Severity> wanted = ProfileSeverity(profile, finding.rule_id);
      if (!wanted) continue;
      Severity original = finding.default_severity.value_or(finding.severity);
      // A profile only raises: a finding its probe already rated higher keeps its rating.
      if (*wanted <= original) continue;
      finding.default_severity = original;
      finding.severity = *wanted;
    }
  }
}

}  // namespace imageprobe::gate
