// SPDX-License-Identifier: Apache-2.0
// References: OpenSSH release notes (https://www.openssh.com/releasenotes.html), one cited per
// row; every value was checked in openssh-portable at the release tag: servconf.c
// fill_default_server_options and keywords[], myproposal.h KEX_DEFAULT_PK_ALG and
// SSH_ALLOWED_CA_SIGALGS (expanded with cpp for a build WITH_OPENSSL, ECC and security keys),
// sshd.c (ChallengeResponseAuthentication enabling keyboard-interactive before 8.7).
#include "probes/sshd/openssh_defaults.h"

#include <array>

#include "probes/sshd/sshd_keywords.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

constexpr int V(int major, int minor) { return OpensshVersionCode(major, minor); }

// KEX_DEFAULT_PK_ALG, the default of PubkeyAcceptedKeyTypes/-Algorithms and
// HostbasedAcceptedKeyTypes/-Algorithms from 7.0 (before 7.0 the default was "*": every type).
// 6.6 up to 7.0: every key type the build supports, DSA and SHA-1 RSA included.
constexpr std::string_view kPkAll66 =
    "ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp521-cert-v01@openssh.com,ssh-ed25519-cert-v01@openssh.com,"
    "ssh-rsa-cert-v01@openssh.com,ssh-dss-cert-v01@openssh.com,ssh-rsa-cert-v00@openssh.com,"
    "ssh-dss-cert-v00@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
    "ssh-ed25519,ssh-rsa,ssh-dss";
constexpr std::string_view kPk70 =
    "ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp521-cert-v01@openssh.com,ssh-ed25519-cert-v01@openssh.com,"
    "ssh-rsa-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
    "ssh-ed25519,ssh-rsa";
constexpr std::string_view kPk72 =
    "ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp521-cert-v01@openssh.com,ssh-ed25519-cert-v01@openssh.com,"
    "ssh-rsa-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
    "ssh-ed25519,rsa-sha2-512,rsa-sha2-256,ssh-rsa";
constexpr std::string_view kPk82 =
    "ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,"
    "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,"
    "ssh-rsa-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
    "sk-ecdsa-sha2-nistp256@openssh.com,ssh-ed25519,sk-ssh-ed25519@openssh.com,rsa-sha2-512,"
    "rsa-sha2-256,ssh-rsa";
constexpr std::string_view kPk85 =
    "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,"
    "sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,"
    "ssh-rsa-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
    "rsa-sha2-512,rsa-sha2-256,ssh-rsa";
// 8.8 to 10.2: the 9.x keyword table's list (sshd_keywords.cc kDefaultKeyAlgorithms).
constexpr std::string_view kPk88 =
    "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,"
    "sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,"
    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
    "sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
constexpr std::string_view kPk103 =
    "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,"
    "sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "webauthn-sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,"
    "rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
    "webauthn-sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";

// SSH_ALLOWED_CA_SIGALGS, the CASignatureAlgorithms default.
constexpr std::string_view kCa79 =
    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-ed25519,rsa-sha2-512,"
    "rsa-sha2-256,ssh-rsa";
constexpr std::string_view kCa82 =
    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
    "sk-ecdsa-sha2-nistp256@openssh.com,ssh-ed25519,sk-ssh-ed25519@openssh.com,rsa-sha2-512,"
    "rsa-sha2-256";
constexpr std::string_view kCa85 =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
    "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
constexpr std::string_view kCa103 =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
    "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
    "webauthn-sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";

constexpr std::string_view kPubkeyTypesNote66 =
    "no PubkeyAcceptedKeyTypes keyword: every key type the build supports is accepted, "
    "ssh-dss and ssh-rsa (SHA-1) included";
constexpr std::string_view kPubkeyTypesNote68 =
    "PubkeyAcceptedKeyTypes added, default \"*\": every supported type, ssh-dss included";

// clang-format off
constexpr std::array kRows = std::to_array<OpensshDefaultRow>({
  // PermitRootLogin
  {"PermitRootLogin", 0, V(7, 0), "PermitRootLogin", "yes",
   "root may log in with a password", "OpenSSH 7.0 release notes; servconf.c V_6_6_P1 (PERMIT_YES)"},
  {"PermitRootLogin", V(7, 0), 0, "PermitRootLogin", "prohibit-password",
   "default changed to prohibit-password (without-password): root only with a key",
   "OpenSSH 7.0 release notes; servconf.c V_7_0_P1 (PERMIT_NO_PASSWD)"},

  // PubkeyAcceptedAlgorithms (PubkeyAcceptedKeyTypes before 8.5)
  {"PubkeyAcceptedAlgorithms", 0, V(6, 8), "", kPkAll66, kPubkeyTypesNote66,
   "OpenSSH 6.8 release notes (PubkeyAcceptedKeyTypes added); myproposal.h V_6_6_P1"},
  {"PubkeyAcceptedAlgorithms", V(6, 8), V(7, 0), "PubkeyAcceptedKeyTypes", kPkAll66,
   kPubkeyTypesNote68, "OpenSSH 6.8 release notes; servconf.c V_6_8_P1 (pubkey_key_types \"*\")"},
  {"PubkeyAcceptedAlgorithms", V(7, 0), V(7, 2), "PubkeyAcceptedKeyTypes", kPk70,
   "ssh-dss (DSA) keys disabled by default; ssh-rsa (SHA-1) still accepted",
   "OpenSSH 7.0 release notes; myproposal.h V_7_0_P1 KEX_DEFAULT_PK_ALG"},
  {"PubkeyAcceptedAlgorithms", V(7, 2), V(8, 2), "PubkeyAcceptedKeyTypes", kPk72,
   "rsa-sha2-512 and rsa-sha2-256 signatures added (RFC 8332)",
   "OpenSSH 7.2 release notes; myproposal.h V_7_2_P1"},
  {"PubkeyAcceptedAlgorithms", V(8, 2), V(8, 5), "PubkeyAcceptedKeyTypes", kPk82,
   "FIDO security keys (sk-ssh-ed25519, sk-ecdsa-sha2-nistp256) and rsa-sha2 certificates added",
   "OpenSSH 8.2 release notes; myproposal.h V_8_2_P1"},
  {"PubkeyAcceptedAlgorithms", V(8, 5), V(8, 8), "PubkeyAcceptedAlgorithms", kPk85,
   "renamed PubkeyAcceptedAlgorithms (the old name stays an alias); ssh-rsa still accepted",
   "OpenSSH 8.5 release notes; servconf.c V_8_5_P1; myproposal.h V_8_5_P1"},
  {"PubkeyAcceptedAlgorithms", V(8, 8), V(10, 3), "PubkeyAcceptedAlgorithms", kPk88,
   "ssh-rsa (RSA/SHA-1) signatures disabled by default (can be re-enabled with +ssh-rsa); "
   "DSA compiled out by default from 9.8 and removed in 10.0",
   "OpenSSH 8.8 release notes; OpenSSH 9.8 and 10.0 release notes (DSA); myproposal.h V_8_8_P1"},
  {"PubkeyAcceptedAlgorithms", V(10, 3), 0, "PubkeyAcceptedAlgorithms", kPk103,
   "webauthn-sk-ecdsa-sha2-nistp256 (and its certificate) in the default list",
   "OpenSSH 10.3 release notes; myproposal.h V_10_3_P1"},

  // HostbasedAcceptedAlgorithms (HostbasedAcceptedKeyTypes before 8.5): the same lists.
  {"HostbasedAcceptedAlgorithms", 0, V(6, 8), "", kPkAll66,
   "no HostbasedAcceptedKeyTypes keyword: every supported key type is accepted",
   "OpenSSH 6.8 release notes; myproposal.h V_6_6_P1"},
  {"HostbasedAcceptedAlgorithms", V(6, 8), V(7, 0), "HostbasedAcceptedKeyTypes", kPkAll66,
   "HostbasedAcceptedKeyTypes added, default \"*\"", "OpenSSH 6.8 release notes; servconf.c V_6_8_P1"},
  {"HostbasedAcceptedAlgorithms", V(7, 0), V(7, 2), "HostbasedAcceptedKeyTypes", kPk70,
   "ssh-dss disabled by default", "OpenSSH 7.0 release notes; servconf.c V_7_0_P1"},
  {"HostbasedAcceptedAlgorithms", V(7, 2), V(8, 2), "HostbasedAcceptedKeyTypes", kPk72,
   "rsa-sha2 signatures added", "OpenSSH 7.2 release notes; myproposal.h V_7_2_P1"},
  {"HostbasedAcceptedAlgorithms", V(8, 2), V(8, 5), "HostbasedAcceptedKeyTypes", kPk82,
   "security keys added", "OpenSSH 8.2 release notes; myproposal.h V_8_2_P1"},
  {"HostbasedAcceptedAlgorithms", V(8, 5), V(8, 8), "HostbasedAcceptedAlgorithms", kPk85,
   "renamed HostbasedAcceptedAlgorithms", "OpenSSH 8.5 release notes; servconf.c V_8_5_P1"},
  {"HostbasedAcceptedAlgorithms", V(8, 8), V(10, 3), "HostbasedAcceptedAlgorithms", kPk88,
   "ssh-rsa (SHA-1) disabled by default", "OpenSSH 8.8 release notes; myproposal.h V_8_8_P1"},
  {"HostbasedAcceptedAlgorithms", V(10, 3), 0, "HostbasedAcceptedAlgorithms", kPk103,
   "webauthn-sk-ecdsa-sha2-nistp256 in the default list",
   "OpenSSH 10.3 release notes; myproposal.h V_10_3_P1"},

  // CASignatureAlgorithms: which signatures a CA may have made a user certificate with.
  {"CASignatureAlgorithms", 0, V(7, 9), "", "",
   "no CASignatureAlgorithms keyword: any signature algorithm is accepted from a CA",
   "OpenSSH 7.9 release notes (CASignatureAlgorithms added); servconf.c V_7_9_P1"},
  {"CASignatureAlgorithms", V(7, 9), V(8, 2), "CASignatureAlgorithms", kCa79,
   "ssh-rsa (SHA-1) CA signatures accepted", "OpenSSH 7.9 release notes; myproposal.h V_7_9_P1"},
  {"CASignatureAlgorithms", V(8, 2), V(8, 5), "CASignatureAlgorithms", kCa82,
   "ssh-rsa removed from the CA signature algorithms",
   "OpenSSH 8.2 release notes; myproposal.h V_8_2_P1"},
  {"CASignatureAlgorithms", V(8, 5), V(10, 3), "CASignatureAlgorithms", kCa85,
   "reordered (ed25519 first); the 9.x table's list",
   "OpenSSH 8.5 release notes; myproposal.h V_8_5_P1, V_9_2_P1"},
  {"CASignatureAlgorithms", V(10, 3), 0, "CASignatureAlgorithms", kCa103,
   "webauthn-sk-ecdsa-sha2-nistp256 added", "OpenSSH 10.3 release notes; myproposal.h V_10_3_P1"},

  // KbdInteractiveAuthentication (ChallengeResponseAuthentication before 8.7)
  {"KbdInteractiveAuthentication", 0, V(8, 7), "ChallengeResponseAuthentication", "yes",
   "keyboard-interactive (PAM) logins were governed by ChallengeResponseAuthentication, default "
   "yes (sshd.c turns the method on when it is yes); KbdInteractiveAuthentication was a "
   "separate keyword, default no, that could not authenticate on its own",
   "OpenSSH 8.7 release notes; servconf.c V_8_6_P1 fill_default_server_options; sshd.c V_8_6_P1"},
  {"KbdInteractiveAuthentication", V(8, 7), 0, "KbdInteractiveAuthentication", "yes",
   "ChallengeResponseAuthentication is now a deprecated alias of KbdInteractiveAuthentication, "
   "default yes", "OpenSSH 8.7 release notes; servconf.c V_8_7_P1 keywords[]"},

  // RequiredRSASize
  {"RequiredRSASize", 0, V(9, 1), "", "",
   "no keyword: RSA keys under 1024 bits are refused (768 before 7.6), not configurable",
   "OpenSSH 9.1 release notes (RequiredRSASize added); OpenSSH 7.6 release notes; sshkey.h"},
  {"RequiredRSASize", V(9, 1), 0, "RequiredRSASize", "1024",
   "RequiredRSASize added, default 1024 (SSH_RSA_MINIMUM_MODULUS_SIZE)",
   "OpenSSH 9.1 release notes; servconf.c V_9_2_P1"},

  // AuthenticationMethods: exists from 6.2, before every version this table starts at (6.6).
  {"AuthenticationMethods", 0, V(6, 2), "", "",
   "no keyword: any single method suffices", "OpenSSH 6.2 release notes"},
});
// clang-format on

}  // namespace

std::span<const OpensshDefaultRow> OpensshDefaultRows() { return kRows; }

int OpensshTableVersion(const OpensshBuild& build) {
  return build.known() ? OpensshVersionCode(build.major, build.minor) : kOpensshNewestTable;
}

const OpensshDefaultRow* FindOpensshDefault(std::string_view keyword, const OpensshBuild& build) {
  return FindOpensshDefaultAt(keyword, OpensshTableVersion(build));
}

const OpensshDefaultRow* FindOpensshDefaultAt(std::string_view keyword, int version) {
  const SshdKeyword* known = FindSshdKeyword(keyword);
  if (known == nullptr) return nullptr;
  for (const OpensshDefaultRow& row : kRows) {
    if (row.keyword != known->name) continue;
    if (version >= row.since && (row.until == 0 || version < row.until)) return &row;
  }
  return nullptr;
}

std::string OpensshDefaultsName(const OpensshBuild& build) {
  if (build.known()) {
    return "OpenSSH " + std::to_string(build.major) + "." + std::to_string(build.minor);
  }
  return "OpenSSH " + std::to_string(kOpensshNewestTable / 100) + "." +
         std::to_string(kOpensshNewestTable % 100) + " (version unknown: newest table)";
}

std::string OpensshSupportedAlgorithms(std::string_view keyword, const OpensshBuild& build) {
  std::string_view base = SupportedAlgorithms(keyword);
  if (parse::EqualsIgnoreCase(keyword, "Ciphers") || parse::EqualsIgnoreCase(keyword, "MACs") ||
      parse::EqualsIgnoreCase(keyword, "KexAlgorithms")) {
    return std::string(base);
  }
  int version = OpensshTableVersion(build);
  std::string out;
  for (std::string_view name : parse::SplitFields(base, ',')) {
    // OpenSSH 10.0 release notes: DSA support removed entirely, "+ssh-dss" enables nothing.
    if (version >= V(10, 0) && name.starts_with("ssh-dss")) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  // OpenSSH 10.3: webauthn certificates (myproposal.h V_10_3_P1).
  if (version >= V(10, 3)) out += ",webauthn-sk-ecdsa-sha2-nistp256-cert-v01@openssh.com";
  return out;
}

}  // namespace imageprobe::probes
