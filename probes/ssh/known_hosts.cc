// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/known_hosts.h"

#include "probes/ssh/public_key.h"
#include "probes/ssh/wire.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::ssh {

void to_json(nlohmann::json& j, const KnownHostsCounts& c) {
  j = nlohmann::json{{"entries", c.entries},
                     {"hashed", c.hashed},
                     {"cert_authority", c.cert_authority},
                     {"revoked", c.revoked},
                     {"malformed", c.malformed}};
}

KnownHostsCounts CountKnownHosts(std::string_view text) {
  KnownHostsCounts counts;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t) {
    line = parse::TrimWhitespace(line.substr(0, line.find('\0')));
    if (line.empty() || line.front() == '#') return;
    auto fields = parse::SplitWhitespace(line);
    size_t i = 0;
    bool cert_authority = false, revoked = false;
    if (!fields.empty() && fields[0].starts_with("@")) {
      cert_authority = fields[0] == "@cert-authority";
      revoked = fields[0] == "@revoked";
      if (!cert_authority && !revoked) {
        ++counts.malformed;
        return;
      }
      ++i;
    }
    if (fields.size() < i + 3 || LookupKeyTypeName(fields[i + 1]) == nullptr) {
      ++counts.malformed;
      return;
    }
    auto blob = DecodeBase64(fields[i + 2]);
    if (!blob || !DecodePublicKeyBlob(*blob)) {
      ++counts.malformed;
      return;
    }
    ++counts.entries;
    if (fields[i].starts_with("|1|")) ++counts.hashed;
    if (cert_authority) ++counts.cert_authority;
    if (revoked) ++counts.revoked;
  });
  return counts;
}

}  // namespace imageprobe::probes::ssh
