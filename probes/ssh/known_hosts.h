// SPDX-License-Identifier: Apache-2.0
// known_hosts files counted, not judged: how many hosts a user's SSH client trusted when the
// image was built tells where the build machine connected to.
//
// References: sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" (markers @cert-authority/@revoked, hashed
// host names "|1|salt|hash", comma-separated patterns).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

namespace imageprobe::probes::ssh {

struct KnownHostsCounts {
  uint32_t entries = 0;         // valid host key lines, markers included
  uint32_t hashed = 0;          // host names hashed (HashKnownHosts)
  uint32_t cert_authority = 0;  // @cert-authority lines
  uint32_t revoked = 0;         // @revoked lines
  uint32_t malformed = 0;
};
void to_json(nlohmann::json& j, const KnownHostsCounts& c);

KnownHostsCounts CountKnownHosts(std::string_view text);

}  // namespace imageprobe::probes::ssh
