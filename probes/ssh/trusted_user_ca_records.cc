// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/trusted_user_ca_records.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "scanner/core/diff.h"
#include "scanner/core/json_fields.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kTrustedUserCaVolatile[] = {"line"};
// Where sshd_config names the file: moved lines are not a change, another file is.
constexpr std::string_view kTrustedUserCaOrigins[] = {"configured_at"};

constexpr RecordMember kTrustedUserCaMembers[] = {
    {"path", kText, "the file TrustedUserCAKeys names"},
    {"line", kInteger, "the CA key's line in that file"},
    {"type", kText, "ssh-keygen's name for the CA key's type (ED25519, RSA, ECDSA)"},
    {"bits", kInteger, "the CA key's size in bits"},
    {"fingerprint", kText, "SHA256:… of the CA key"},
    {"comment", kText, "the rest of the line after the key; empty when none"},
    {"configured_at", kText,
     "the sshd_config line that names the file (path:line), \"default\" or \"systemd drop-in "
     "<file>\""},
    {"all_users", kFlag,
     "the global TrustedUserCAKeys names the file: it applies to every user without a Match "
     "override"},
    {"users", kTextList, "the users whose Match blocks set TrustedUserCAKeys to this file"},
};

// CAs no longer trusted break every certificate login they signed. The key is
// "path|fingerprint": a CA counts once whatever file lists it, and one moved to another file
// is neither lost nor gained.
void TrustedCaHeadlines(KindDiff& diff, HeadlineSink& out) {
  std::set<std::string> removed, added;
  for (const FactChange* c : diff.changes) {
    const nlohmann::json& data = c->change == Change::kAdded ? c->new_data : c->old_data;
    std::string fingerprint = StringMember(data, "fingerprint");
    if (fingerprint.empty()) fingerprint = c->key;
    if (c->change == Change::kRemoved) removed.insert(fingerprint);
    if (c->change == Change::kAdded) added.insert(fingerprint);
  }
  std::set<std::string> lost, gained;
  std::ranges::set_difference(removed, added, std::inserter(lost, lost.end()));
  std::ranges::set_difference(added, removed, std::inserter(gained, gained.end()));
  if (!lost.empty()) {
    out.Add(HeadlineTopic::kCertificateAuthorities,
            "user certificate CAs no longer trusted (certificate logins fail): " +
                parse::Join(lost, ", "),
            true);
  }
  if (!gained.empty()) {
    out.Add(HeadlineTopic::kCertificateAuthorities,
            "user certificate CAs newly trusted: " + parse::Join(gained, ", "), false);
  }
}

}  // namespace

const RecordKind kTrustedUserCaRecord{
    .name = "ssh/trusted_user_ca",
    .key = "path|fingerprint",
    .description = "a CA whose user certificates sshd accepts (TrustedUserCAKeys)",
    .members = kTrustedUserCaMembers,
    .volatile_members = kTrustedUserCaVolatile,
    .origin_members = kTrustedUserCaOrigins,
    .headlines = TrustedCaHeadlines,
};

}  // namespace imageprobe::probes
