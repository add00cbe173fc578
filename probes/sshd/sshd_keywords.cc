// SPDX-License-Identifier: Apache-2.0
// References: sshd_config(5) (OpenSSH 9.x); openssh-portable servconf.c `keywords[]`,
// `fill_default_server_options`, `dump_config`; myproposal.h KEX_SERVER_* (default algorithm
// lists). Defaults were cross-checked against `sshd -T` of OpenSSH 9.2p1 (Debian 12).
#include "probes/sshd/sshd_keywords.h"

#include <array>
#include <string>
#include <unordered_map>

#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

using enum SshdCombine;
using enum SshdValueType;

constexpr std::string_view kDefaultCiphers =
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
    "aes128-gcm@openssh.com,aes256-gcm@openssh.com";
constexpr std::string_view kDefaultMacs =
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
    "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
    "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";
constexpr std::string_view kDefaultKex =
    "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
    "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
    "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";
constexpr std::string_view kDefaultCaSigs =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
    "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
constexpr std::string_view kDefaultKeyAlgorithms =
    "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,"
    "sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
    "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,"
    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
    "sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";

constexpr std::string_view kAllCiphers =
    "3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc,aes128-ctr,aes192-ctr,aes256-ctr,"
    "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com";
constexpr std::string_view kAllMacs =
    "hmac-sha1,hmac-sha1-96,hmac-sha2-256,hmac-sha2-512,hmac-md5,hmac-md5-96,"
    "umac-64@openssh.com,umac-128@openssh.com,hmac-sha1-etm@openssh.com,"
    "hmac-sha1-96-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
    "hmac-md5-etm@openssh.com,hmac-md5-96-etm@openssh.com,umac-64-etm@openssh.com,"
    "umac-128-etm@openssh.com";
constexpr std::string_view kAllKex =
    "diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group14-sha256,"
    "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,"
    "diffie-hellman-group-exchange-sha1,diffie-hellman-group-exchange-sha256,"
    "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,curve25519-sha256,"
    "curve25519-sha256@libssh.org,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com";
constexpr std::string_view kAllKeySigs =
    "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,"
    "sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,"
    "ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,"
    "ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
    "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,"
    "ssh-dss,ssh-dss-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256,"
    "rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com";

constexpr std::string_view kYesNo = "yes|no";

// clang-format off
constexpr std::array kSshdKeywords = std::to_array<SshdKeyword>({
  // name                               combine      match  min max type      choices / default
  {"Include",                          kInclude,    true,  1, 0, kAny, "", ""},
  {"Match",                            kMatch,      true,  1, 0, kAny, "", ""},
  {"Port",                             kAccumulate, false, 1, 1, kInteger, "", "22"},
  {"AddressFamily",                    kFirstWins,  false, 1, 1, kChoice, "any|inet|inet6", "any"},
  {"ListenAddress",                    kAccumulate, false, 1, 2, kAny, "", ""},
  {"UsePAM",                           kFirstWins,  false, 1, 1, kFlag, kYesNo, "no"},
  {"LoginGraceTime",                   kFirstWins,  false, 1, 1, kTime, "", "120"},
  {"X11DisplayOffset",                 kFirstWins,  true,  1, 1, kInteger, "", "10"},
  {"MaxAuthTries",                     kFirstWins,  true,  1, 1, kInteger, "", "6"},
  {"MaxSessions",                      kFirstWins,  true,  1, 1, kInteger, "", "10"},
  {"ClientAliveInterval",              kFirstWins,  true,  1, 1, kTime, "", "0"},
  {"ClientAliveCountMax",              kFirstWins,  true,  1, 1, kInteger, "", "3"},
  {"RequiredRSASize",                  kFirstWins,  true,  1, 1, kInteger, "", "1024"},
  {"StreamLocalBindMask",              kFirstWins,  true,  1, 1, kAny, "", "0177"},
  {"UnusedConnectionTimeout",          kFirstWins,  true,  1, 1, kAny, "", "none"},
  {"PermitRootLogin",                  kFirstWins,  true,  1, 1, kChoice,
   "yes|no|prohibit-password|without-password|forced-commands-only", "prohibit-password"},
  {"IgnoreRhosts",                     kFirstWins,  true,  1, 1, kChoice, "yes|no|shosts-only", "yes"},
  {"IgnoreUserKnownHosts",             kFirstWins,  false, 1, 1, kFlag, kYesNo, "no"},
  {"HostbasedAuthentication",          kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"HostbasedUsesNameFromPacketOnly",  kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"PubkeyAuthentication",             kFirstWins,  true,  1, 1, kFlag, kYesNo, "yes"},
  {"KerberosAuthentication",           kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"KerberosOrLocalPasswd",            kFirstWins,  false, 1, 1, kFlag, kYesNo, "yes"},
  {"KerberosTicketCleanup",            kFirstWins,  false, 1, 1, kFlag, kYesNo, "yes"},
  {"KerberosGetAFSToken",              kUnsupported, false, 1, 0, kAny, "", ""},
  {"GSSAPIAuthentication",             kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"GSSAPICleanupCredentials",         kFirstWins,  false, 1, 1, kFlag, kYesNo, "yes"},
  {"GSSAPIKeyExchange",                kFirstWins,  false, 1, 1, kFlag, kYesNo, "no"},
  {"GSSAPIStrictAcceptorCheck",        kFirstWins,  false, 1, 1, kFlag, kYesNo, "yes"},
  {"GSSAPIStoreCredentialsOnRekey",    kFirstWins,  false, 1, 1, kFlag, kYesNo, "no"},
  {"GSSAPIKexAlgorithms",              kFirstWins,  false, 1, 1, kAny, "",
   "gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,gss-curve25519-sha256-,"
   "gss-group14-sha1-,gss-gex-sha1-"},
  {"PasswordAuthentication",           kFirstWins,  true,  1, 1, kFlag, kYesNo, "yes"},
  {"KbdInteractiveAuthentication",     kFirstWins,  true,  1, 1, kFlag, kYesNo, "yes"},
  {"PrintMotd",                        kFirstWins,  false, 1, 1, kFlag, kYesNo, "yes"},
  {"PrintLastLog",                     kFirstWins,  false, 1, 1, kFlag, kYesNo, "yes"},
  {"X11Forwarding",                    kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"X11UseLocalhost",                  kFirstWins,  true,  1, 1, kFlag, kYesNo, "yes"},
  {"PermitTTY",                        kFirstWins,  true,  1, 1, kFlag, kYesNo, "yes"},
  {"PermitUserRC",                     kFirstWins,  true,  1, 1, kFlag, kYesNo, "yes"},
  {"StrictModes",                      kFirstWins,  false, 1, 1, kFlag, kYesNo, "yes"},
  {"TCPKeepAlive",                     kFirstWins,  false, 1, 1, kFlag, kYesNo, "yes"},
  {"PermitEmptyPasswords",             kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"Compression",                      kFirstWins,  false, 1, 1, kChoice, "yes|no|delayed", "yes"},
  {"GatewayPorts",                     kFirstWins,  true,  1, 1, kChoice, "yes|no|clientspecified", "no"},
  {"UseDNS",                           kFirstWins,  false, 1, 1, kFlag, kYesNo, "no"},
  {"AllowTcpForwarding",               kFirstWins,  true,  1, 1, kChoice, "yes|no|all|local|remote", "yes"},
  {"AllowAgentForwarding",             kFirstWins,  true,  1, 1, kFlag, kYesNo, "yes"},
  {"DisableForwarding",                kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"AllowStreamLocalForwarding",       kFirstWins,  true,  1, 1, kChoice, "yes|no|all|local|remote", "yes"},
  {"StreamLocalBindUnlink",            kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"FingerprintHash",                  kFirstWins,  false, 1, 1, kChoice, "md5|sha256", "SHA256"},
  {"ExposeAuthInfo",                   kFirstWins,  true,  1, 1, kFlag, kYesNo, "no"},
  {"PidFile",                          kFirstWins,  false, 1, 1, kAny, "", "/run/sshd.pid"},
  {"ModuliFile",                       kFirstWins,  false, 1, 1, kAny, "", "/etc/ssh/moduli"},
  {"XAuthLocation",                    kFirstWins,  false, 1, 1, kAny, "", "/usr/bin/xauth"},
  {"Ciphers",                          kFirstWins,  false, 1, 1, kAny, "", kDefaultCiphers},
  {"MACs",                             kFirstWins,  false, 1, 1, kAny, "", kDefaultMacs},
  {"Banner",                           kFirstWins,  true,  1, 1, kAny, "", "none"},
  {"ForceCommand",                     kFirstWins,  true,  1, 0, kAny, "", "none"},
  {"ChrootDirectory",                  kFirstWins,  true,  1, 1, kAny, "", "none"},
  {"TrustedUserCAKeys",                kFirstWins,  true,  1, 1, kAny, "", "none"},
  {"RevokedKeys",                      kFirstWins,  true,  1, 1, kAny, "", "none"},
  {"SecurityKeyProvider",              kFirstWins,  false, 1, 1, kAny, "", "internal"},
  {"AuthorizedPrincipalsFile",         kFirstWins,  true,  1, 1, kAny, "", "none"},
  {"VersionAddendum",                  kFirstWins,  false, 1, 0, kAny, "", "none"},
  {"AuthorizedKeysCommand",            kFirstWins,  true,  1, 0, kAny, "", "none"},
  {"AuthorizedKeysCommandUser",        kFirstWins,  true,  1, 1, kAny, "", "none"},
  {"AuthorizedPrincipalsCommand",      kFirstWins,  true,  1, 0, kAny, "", "none"},
  {"AuthorizedPrincipalsCommandUser",  kFirstWins,  true,  1, 1, kAny, "", "none"},
  {"HostKeyAgent",                     kFirstWins,  false, 1, 1, kAny, "", "none"},
  {"KexAlgorithms",                    kFirstWins,  false, 1, 1, kAny, "", kDefaultKex},
  {"CASignatureAlgorithms",            kFirstWins,  true,  1, 1, kAny, "", kDefaultCaSigs},
  {"HostbasedAcceptedAlgorithms",      kFirstWins,  true,  1, 1, kAny, "", kDefaultKeyAlgorithms},
  {"HostKeyAlgorithms",                kFirstWins,  false, 1, 1, kAny, "", kDefaultKeyAlgorithms},
  {"PubkeyAcceptedAlgorithms",         kFirstWins,  true,  1, 1, kAny, "", kDefaultKeyAlgorithms},
  {"LogLevel",                         kFirstWins,  true,  1, 1, kChoice,
   "quiet|fatal|error|info|verbose|debug|debug1|debug2|debug3", "INFO"},
  {"SyslogFacility",                   kFirstWins,  false, 1, 1, kChoice,
   "daemon|user|auth|authpriv|local0|local1|local2|local3|local4|local5|local6|local7", "AUTH"},
  {"AuthorizedKeysFile",               kFirstWins,  true,  1, 0, kAny, "",
   ".ssh/authorized_keys .ssh/authorized_keys2"},
  {"HostKey",                          kAccumulate, false, 1, 1, kAny, "",
   "/etc/ssh/ssh_host_rsa_key /etc/ssh/ssh_host_ecdsa_key /etc/ssh/ssh_host_ed25519_key"},
  {"HostCertificate",                  kAccumulate, false, 1, 1, kAny, "", ""},
  {"AuthenticationMethods",            kFirstWins,  true,  1, 0, kAny, "", "any"},
  {"MaxStartups",                      kFirstWins,  false, 1, 1, kAny, "", "10:30:100"},
  {"PerSourceMaxStartups",             kFirstWins,  false, 1, 1, kAny, "", "none"},
  {"PerSourceNetBlockSize",            kFirstWins,  false, 1, 1, kAny, "", "32:128"},
  {"PermitTunnel",                     kFirstWins,  true,  1, 1, kChoice,
   "yes|no|point-to-point|ethernet", "no"},
  {"IPQoS",                            kFirstWins,  true,  1, 2, kAny, "", "lowdelay throughput"},
  {"RekeyLimit",                       kFirstWins,  true,  1, 2, kAny, "", "0 0"},
  {"PermitOpen",                       kFirstWins,  true,  1, 0, kAny, "", "any"},
  {"PermitListen",                     kFirstWins,  true,  1, 0, kAny, "", "any"},
  {"PermitUserEnvironment",            kFirstWins,  false, 1, 1, kAny, "", "no"},
  {"PubkeyAuthOptions",                kFirstWins,  true,  1, 0, kAny, "", "none"},
  {"AllowUsers",                       kAccumulate, true,  1, 0, kAny, "", ""},
  {"DenyUsers",                        kAccumulate, true,  1, 0, kAny, "", ""},
  {"AllowGroups",                      kAccumulate, true,  1, 0, kAny, "", ""},
  {"DenyGroups",                       kAccumulate, true,  1, 0, kAny, "", ""},
  {"AcceptEnv",                        kAccumulate, true,  1, 0, kAny, "", ""},
  {"SetEnv",                           kFirstWins,  true,  1, 0, kAny, "", ""},
  {"Subsystem",                        kAccumulate, false, 2, 0, kAny, "", ""},
  {"ChannelTimeout",                   kFirstWins,  true,  1, 0, kAny, "", ""},
  {"LogVerbose",                       kFirstWins,  true,  1, 0, kAny, "", ""},
  {"RDomain",                          kFirstWins,  true,  1, 1, kAny, "", ""},
  {"DebianBanner",                     kFirstWins,  false, 1, 1, kFlag, kYesNo, ""},
  // Accepted with a "deprecated" or "ignored" log line, no effect on 9.x.
  {"Protocol",                         kDeprecated, false, 1, 0, kAny, "", ""},
  {"UsePrivilegeSeparation",           kDeprecated, false, 1, 0, kAny, "", ""},
  {"RSAAuthentication",                kDeprecated, true,  1, 0, kAny, "", ""},
  {"RhostsRSAAuthentication",          kDeprecated, true,  1, 0, kAny, "", ""},
  {"RhostsAuthentication",             kDeprecated, false, 1, 0, kAny, "", ""},
  {"ServerKeyBits",                    kDeprecated, false, 1, 0, kAny, "", ""},
  {"KeyRegenerationInterval",          kDeprecated, false, 1, 0, kAny, "", ""},
  {"UseLogin",                         kDeprecated, false, 1, 0, kAny, "", ""},
  {"CheckMail",                        kDeprecated, false, 1, 0, kAny, "", ""},
  {"VerifyReverseMapping",             kDeprecated, false, 1, 0, kAny, "", ""},
  {"ReverseMappingCheck",              kDeprecated, false, 1, 0, kAny, "", ""},
  {"AuthorizedKeysFile2",              kDeprecated, true,  1, 0, kAny, "", ""},
  {"PAMAuthenticationViaKbdInt",       kDeprecated, false, 1, 0, kAny, "", ""},
  {"KerberosTgtPassing",               kUnsupported, false, 1, 0, kAny, "", ""},
  {"AFSTokenPassing",                  kUnsupported, false, 1, 0, kAny, "", ""},
});
// clang-format on

struct Alias {
  std::string_view alias;
  std::string_view canonical;
};
constexpr std::array kAliases = std::to_array<Alias>({
    {"ChallengeResponseAuthentication", "KbdInteractiveAuthentication"},
    {"SKeyAuthentication", "KbdInteractiveAuthentication"},
    {"PubkeyAcceptedKeyTypes", "PubkeyAcceptedAlgorithms"},
    {"HostbasedAcceptedKeyTypes", "HostbasedAcceptedAlgorithms"},
    {"DSAAuthentication", "PubkeyAuthentication"},
    {"HostDSAKey", "HostKey"},
    {"KeepAlive", "TCPKeepAlive"},
});

const SshdKeyword* FindCanonical(std::string_view word) {
  for (const SshdKeyword& keyword : kSshdKeywords) {
    if (parse::EqualsIgnoreCase(keyword.name, word)) return &keyword;
  }
  return nullptr;
}

}  // namespace

// Every name and alias, lower-cased, built once: the linear scan with a case-insensitive
// compare per entry was a fifth of an sshd_config evaluation (FillDefaults looks up every
// keyword), and several times that under the fuzzer's instrumentation.
const SshdKeyword* FindSshdKeyword(std::string_view word) {
  static const auto* const kIndex = [] {
    auto* index = new std::unordered_map<std::string, const SshdKeyword*>;  // never destroyed
    for (const SshdKeyword& keyword : kSshdKeywords) {
      index->emplace(parse::ToLower(keyword.name), &keyword);
    }
    for (const Alias& alias : kAliases) {  // a canonical name wins over an alias
      index->emplace(parse::ToLower(alias.alias), FindCanonical(alias.canonical));
    }
    return index;
  }();
  constexpr size_t kLongest = 64;  // no keyword is longer
  if (word.size() > kLongest) return nullptr;
  char lower[kLongest];
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  auto it = kIndex->find(std::string(lower, word.size()));
  return it == kIndex->end() ? nullptr : it->second;
}

std::span<const SshdKeyword> AllSshdKeywords() { return kSshdKeywords; }

std::string_view SupportedAlgorithms(std::string_view keyword) {
  if (parse::EqualsIgnoreCase(keyword, "Ciphers")) return kAllCiphers;
  if (parse::EqualsIgnoreCase(keyword, "MACs")) return kAllMacs;
  if (parse::EqualsIgnoreCase(keyword, "KexAlgorithms")) return kAllKex;
  return kAllKeySigs;
}

}  // namespace imageprobe::probes
