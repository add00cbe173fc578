// SPDX-License-Identifier: Apache-2.0
// The compiled-in defaults that changed between OpenSSH releases, for the keywords that decide
// who can log in. The keyword table (sshd_keywords.h) holds the OpenSSH 9.x defaults; a row here
// overrides it for the versions it covers, so an image with OpenSSH 6.6 and no PermitRootLogin
// line gets sshd 6.6's `yes`, not 9.x's `prohibit-password`.
//
// A version this table does not know (nothing identified the sshd) gets the newest rows, and
// OpensshDefaultsName says so. To add a change: one row in kRows (openssh_defaults.cc) with its
// version range and the release note (and the servconf.c / myproposal.h tag it was checked in).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "probes/sshd/openssh_build.h"

namespace imageprobe::probes {

// MAJOR * 100 + MINOR: 606 for 6.6, 1000 for 10.0.
constexpr int OpensshVersionCode(int major, int minor) { return major * 100 + minor; }

// The newest release the table was checked against; an unknown version is judged as this one.
inline constexpr int kOpensshNewestTable = OpensshVersionCode(10, 3);

struct OpensshDefaultRow {
  std::string_view keyword;  // canonical spelling in sshd_keywords.h ("PubkeyAcceptedAlgorithms")
  int since = 0;             // first version the row applies to (OpensshVersionCode), inclusive
  int until = 0;             // first version it no longer applies to; 0: still applies
  // The name that version's sshd reads and `sshd -T` prints ("PubkeyAcceptedKeyTypes" before
  // 8.5); empty when the keyword does not exist there at all (sshd refuses the line).
  std::string_view spelled;
  // The compiled-in default in config syntax. Empty: nothing is filled in (the keyword does not
  // exist, and nothing stands in for it). When `spelled` is empty but this is not, the version
  // has no keyword but behaves as if it were set to this (every key type accepted before
  // PubkeyAcceptedKeyTypes existed).
  std::string_view value;
  std::string_view note;      // what changed, for people
  std::string_view citation;  // "OpenSSH 7.0 release notes; servconf.c V_7_0_P1"
};

std::span<const OpensshDefaultRow> OpensshDefaultRows();

// The version code the table is read at: the build's, or kOpensshNewestTable when unknown.
int OpensshTableVersion(const OpensshBuild& build);

// The row for `keyword` (any spelling sshd_keywords.h knows) at the build's version, or nullptr
// when the 9.x keyword table's default applies unchanged.
const OpensshDefaultRow* FindOpensshDefault(std::string_view keyword, const OpensshBuild& build);
// The same for a table version (OpensshTableVersion).
const OpensshDefaultRow* FindOpensshDefaultAt(std::string_view keyword, int table_version);

// "OpenSSH 9.2", or "OpenSSH 10.3 (version unknown: newest table)".
std::string OpensshDefaultsName(const OpensshBuild& build);

// The algorithm names this version's sshd can use for `keyword` (sshd_keywords.h
// SupportedAlgorithms, adjusted for what a release removed or added): the list wildcards and
// "+"/"-"/"^" are expanded against (kex_assemble_names).
std::string OpensshSupportedAlgorithms(std::string_view keyword, const OpensshBuild& build);

}  // namespace imageprobe::probes
