// SPDX-License-Identifier: Apache-2.0
// References: sshd(8) (-f, -o, FILES), sshd_config(5) (OpenSSH 9.x), openssh-portable
// servconf.c (parsing, defaults, Match), systemd.unit(5) / systemd.service(5) (drop-ins,
// ExecStart), aws-ec2-instance-connect-config (the -o drop-ins); formats.md §3, §6a.
#include "probes/sshd/sshd_config_probe.h"

#include "probes/common/user_db.h"
#include "probes/sshd/sshd_config.h"
#include "probes/sshd/sshd_facts.h"
#include "probes/sshd/sshd_findings.h"

namespace imageprobe::probes {

std::span<const RuleInfo> SshdConfigProbe::rules() const { return SshdConfigRules(); }

std::vector<std::string> SshdConfigProbe::prefetch() const {
  return {"/etc/ssh",
          "/etc/crypto-policies/back-ends",
          "/etc/systemd/system",
          "/lib/systemd/system/ssh*.service*",
          "/usr/lib/systemd/system/ssh*.service*",
          "/usr/sbin/sshd",
          "/usr/bin/sshd",
          "/etc/default/ssh",
          "/etc/sysconfig/sshd"};
}

void SshdConfigProbe::Run(const Target& target, Output& out) const {
  const SshdConfig& config = SshdConfigOf(target);
  if (!config.present && !config.server_installed) {
    out.NotApplicable("no /usr/sbin/sshd and no " + config.config_path);
    return;
  }
  for (const Diagnostic& diagnostic : config.diagnostics) {
    out.Error(diagnostic.path, diagnostic.message);
  }
  for (const SshdProblem& problem : config.parsed.problems) {
    // Files that exist but cannot be read make the view partial; a missing main file is a
    // finding, not a read error.
    if (problem.line == 0 && problem.message.starts_with("cannot read") &&
        (config.present || problem.file != config.config_path)) {
      out.Error(problem.file, problem.message);
    }
  }
  std::vector<SshdUserOverride> overrides = UsersWithMatchOverrides(config, UsersOf(target));
  CollectSshdFacts(config, overrides, target.fs, out);
  EvaluateSshdFindings(config, overrides, target.fs, out);
}

}  // namespace imageprobe::probes
