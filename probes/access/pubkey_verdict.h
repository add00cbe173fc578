// SPDX-License-Identifier: Apache-2.0
// The publickey method for one authorized_keys line: would sshd accept a login by this key?
//
// References: openssh-portable auth2-pubkey.c userauth_pubkey (9.2): PubkeyAuthentication, the
// key's algorithm against PubkeyAcceptedAlgorithms (match_pattern_list on the signature
// algorithm the client may choose: rsa-sha2-512/256 or ssh-rsa for an RSA key),
// sshkey_check_rsa_length against RequiredRSASize (9.1+); auth2-pubkeyfile.c
// auth_check_authkey_line and auth-options.c sshauthopt (expiry-time, from=, cert-authority,
// command=, restrict); auth.c auth_root_allowed (PermitRootLogin per method, forced-commands-only
// needs a forced command from the key); StrictModes (misc.c safe_path, see
// probes/ssh/authorized_keys_files.h).
#pragma once

#include <cstdint>
#include <optional>

#include "probes/access/access_settings.h"
#include "probes/access/verdict.h"
#include "probes/ssh/authorized_keys_files.h"
#include "probes/sshd/openssh_build.h"

namespace imageprobe::probes::access {

// PermitRootLogin for a uid-0 account and one method (auth.c auth_root_allowed); accepted for
// every other account. `forced_command`: the key carries command= (publickey only).
Decision RootAllowed(uint32_t uid, const AccessSettings& settings, std::string_view method,
                     bool forced_command = false);

// The effective PubkeyAcceptedAlgorithms list of this OpenSSH build (its defaults and +/-/^
// applied, as sshd -T prints it).
std::vector<std::string> AcceptedKeyAlgorithms(const SshdSettings& settings,
                                               const OpensshBuild& build);

// One key line of a file sshd reads (file.refused already decided StrictModes), for a user
// whose account gates passed. `now` is the time expiry-time is judged at (Unix seconds).
Decision DecideKey(const ssh::UserKeys& user, const ssh::KeysFile& file,
                   const ssh::AuthorizedKey& key, const AccessSettings& settings,
                   const std::vector<std::string>& accepted_algorithms, int64_t now);

}  // namespace imageprobe::probes::access
