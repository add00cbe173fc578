// SPDX-License-Identifier: Apache-2.0
// Judgements of the sshd.config probe over the effective configuration. The rule ids are
// stable: never rename or reuse one.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/user_db.h"
#include "probes/sshd/sshd_config.h"
#include "scanner/core/model.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

extern const RuleInfo kSshdConfigMissing;
extern const RuleInfo kSshdConfigUnparsable;
extern const RuleInfo kSshdConfigUnsafePermissions;
extern const RuleInfo kSshdConfigExecutableMode;
extern const RuleInfo kSshdPermitRootLogin;
extern const RuleInfo kSshdPasswordAuthentication;
extern const RuleInfo kSshdPermitEmptyPasswords;
extern const RuleInfo kSshdWeakAlgorithms;
extern const RuleInfo kSshdHostKeyMissing;
extern const RuleInfo kSshdAuthorizedKeysCommandMissing;
extern const RuleInfo kSshdAuthorizedKeysCommandUnsafe;
extern const RuleInfo kSshdServiceNotEnabled;

std::span<const RuleInfo> SshdConfigRules();

// The weak names in an effective Ciphers / MACs / KexAlgorithms list (3des-cbc, *-cbc,
// arcfour*, hmac-md5*, *-96, diffie-hellman-group1-sha1, group14-sha1, gex-sha1…).
std::vector<std::string> WeakAlgorithms(std::string_view keyword,
                                        const std::vector<std::string>& names);

// The effective algorithm list of a setting (+/-/^ applied to the default list).
std::vector<std::string> EffectiveAlgorithms(const SshdSetting& setting);

// `overrides`: UsersWithMatchOverrides(config, users), computed once by the probe.
void EvaluateSshdFindings(const SshdConfig& config, const std::vector<SshdUserOverride>& overrides,
                          const Filesystem& fs, Output& out);

}  // namespace imageprobe::probes
