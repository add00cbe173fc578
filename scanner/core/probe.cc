// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/probe.h"

namespace imageprobe {

void Output::Raise(const RuleInfo& rule, Finding finding, std::string_view discriminator) {
  Raise(rule, rule.severity, std::move(finding), discriminator);
}

void Output::Raise(const RuleInfo& rule, Severity severity, Finding finding,
                   std::string_view discriminator) {
  finding.severity = severity;
  finding.rule_id = std::string(rule.id);
  if (finding.title.empty()) finding.title = std::string(rule.title);
  if (finding.remediation.empty()) finding.remediation = std::string(rule.remediation);
  if (finding.identity.empty()) {
    finding.identity = finding.rule_id + "|" + finding.path + "|" + finding.user + "|" +
                       std::string(discriminator);
  }
  findings_.push_back(std::move(finding));
}

}  // namespace imageprobe
