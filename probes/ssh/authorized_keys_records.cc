// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/authorized_keys_records.h"

#include <map>
#include <set>

#include "probes/access/decision_caveat.h"
#include "scanner/core/diff.h"
#include "scanner/core/json_fields.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kAuthorizedKeyVolatile[] = {"line"};
// The sshd_config line the verdict cites.
constexpr std::string_view kAuthorizedKeyOrigins[] = {"source"};

constexpr RecordMember kStrictModesFailureMembers[] = {
    {"kind", kText, "not_regular, bad_owner or writable"},
    {"path", kText, "the file or directory that fails the check"},
    {"detail", kText, "why (\"mode 0775 is group-writable\", \"owned by uid 1002\")"},
};
constexpr ValueShape kStrictModesFailure = ObjectOf(kStrictModesFailureMembers);

constexpr RecordMember kAuthorizedKeysFileMembers[] = {
    {"user", kText, "the user sshd reads the file for"},
    {"path", kText, "the file as AuthorizedKeysFile names it, expanded for the user"},
    {"resolved_path", kText, "the file after symlinks, inside the image"},
    {"mode", kText, "its permission bits in octal (0600)"},
    {"uid", kInteger, "its owner's uid"},
    {"gid", kInteger, "its group's gid"},
    {"keys", kInteger, "the key lines sshd can parse"},
    {"malformed_lines", kInteger, "the lines sshd skips (bad options, unknown type, bad base64)"},
    {"strict_modes", kFlag, "StrictModes is on for the user"},
    {"refused", kFlag,
     "sshd would not read the file: not a regular file, not readable by the user, or StrictModes"},
    {"strict_modes_failure", kStrictModesFailure,
     "the first path that fails sshd's ownership and mode check, even when StrictModes is off; "
     "absent when none does",
     Presence::kOptional},
};

// The key's options field; a flag or option is present only when the line sets it.
constexpr RecordMember kKeyOptionsMembers[] = {
    {"restrict", kFlag, "always true: the line says restrict", Presence::kOptional},
    {"cert_authority", kFlag,
     "always true: the line says cert-authority (certificates signed by the key are accepted)",
     Presence::kOptional},
    {"port_forwarding", kFlag, "port-forwarding (true) or no-port-forwarding (false)",
     Presence::kOptional},
    {"agent_forwarding", kFlag, "agent-forwarding (true) or no-agent-forwarding (false)",
     Presence::kOptional},
    {"x11_forwarding", kFlag, "x11-forwarding (true) or no-x11-forwarding (false)",
     Presence::kOptional},
    {"pty", kFlag, "pty (true) or no-pty (false)", Presence::kOptional},
    {"user_rc", kFlag, "user-rc (true) or no-user-rc (false)", Presence::kOptional},
    {"touch_required", kFlag, "touch-required (true) or no-touch-required (false)",
     Presence::kOptional},
    {"verify_required", kFlag, "verify-required (true) or no-verify-required (false)",
     Presence::kOptional},
    {"command", kText, "command=: the forced command", Presence::kOptional},
    {"principals", kText, "principals=: the certificate principals accepted, comma-separated",
     Presence::kOptional},
    {"from", kText, "from=: the client addresses or host patterns allowed", Presence::kOptional},
    {"expiry_time", kText,
     "expiry-time= as written (YYYYMMDD[HHMM[SS]][Z]), the earliest if several",
     Presence::kOptional},
    {"tunnel", kText, "tunnel=: the tun device number, or any", Presence::kOptional},
    {"environment", kTextList, "the names the environment= options set (values left out)",
     Presence::kOptional},
    {"permitopen", kTextList, "the permitopen= destinations (host:port)", Presence::kOptional},
    {"permitlisten", kTextList, "the permitlisten= addresses (host:port; a bare port as *:port)",
     Presence::kOptional},
};
constexpr ValueShape kKeyOptions = ObjectOf(kKeyOptionsMembers);

constexpr RecordMember kCertificateMembers[] = {
    {"serial", kInteger, "the certificate's serial number"},
    {"type", kText, "user or host"},
    {"key_id", kText, "the key id the CA gave it"},
    {"principals", kTextList, "the principals it names; empty: any"},
    {"valid_after", kInteger, "valid from, in seconds since the epoch (0: always)"},
    {"valid_before", kInteger,
     "valid until, in seconds since the epoch (18446744073709551615: forever)"},
    {"critical_options", kTextList, "the names of its critical options (force-command…)"},
    {"extensions", kTextList, "the names of its extensions (permit-pty…)"},
    {"ca_type", kText, "the signing CA key's type (ssh-ed25519…)"},
    {"ca_fingerprint", kText, "SHA256:… of the signing CA key"},
};
constexpr ValueShape kCertificate = ObjectOf(kCertificateMembers);

// sshd's verdict (probes/access) is written flat into the fact: accepted, verdict, reason,
// source, restriction.
constexpr RecordMember kAuthorizedKeyMembers[] = {
    {"user", kText, "the user the key lets in"},
    {"path", kText, "the authorized_keys file that lists it (the first sshd reads)"},
    {"line", kInteger, "the key's line in that file"},
    {"type", kText, "the key type (ssh-ed25519, ssh-rsa, ssh-ed25519-cert-v01@openssh.com…)"},
    {"label", kText, "ssh-keygen's name for the type (ED25519, RSA, ECDSA-SK, ED25519-CERT)"},
    {"bits", kInteger, "the key size in bits"},
    {"fingerprint", kText, "SHA256:… of the key (of the plain key for a certificate)"},
    {"comment", kText, "the rest of the line after the key; empty when none"},
    {"options", kKeyOptions, "the options field of the line; empty when none"},
    {"accepted", kFlag, "sshd would accept this key alone for the user (verdict accepted)"},
    {"verdict", kText,
     "sshd's verdict for a login with this key alone: accepted, refused or conditional (from=, "
     "Match Address, cert-authority)"},
    {"reason", kText,
     "why, in sshd's terms (\"PubkeyAuthentication no\", \"key in …\"); may be empty"},
    {"source", kText,
     "where the verdict is decided: a path:line, a file, \"default\"; empty when not known"},
    {"restriction", kText,
     "what the login is limited to (forced command, restrict); absent when unrestricted",
     Presence::kOptional},
    {"cloud_init_disable_root", kFlag,
     "the forced command is cloud-init's disable_root one (\"Please login as the user …\")"},
    {"certificate", kCertificate, "the certificate's fields, for a certificate key",
     Presence::kOptional},
    {"packer_build_time", kText,
     "the comment is a Packer temporary key's (packer_<uuid>): the build time it encodes, UTC "
     "(2024-01-31T12:00:00Z)",
     Presence::kOptional},
};

const nlohmann::json& Payload(const FactChange& c) {
  return c.change == Change::kAdded ? c.new_data : c.old_data;
}

// A key removed from one user and added to another, or moved to another file of the same
// user: same fingerprint on both sides. Removed and added entries are paired (they stay in the
// list: the old user did lose the key) and one headline names every move.
void PairMovedKeys(KindDiff& diff, HeadlineSink& out) {
  std::map<std::pair<std::string, std::string>, std::vector<FactChange*>> removed, added;
  for (FactChange* c : diff.changes) {
    if (c->change == Change::kRemoved) {
      removed[{c->root, StringMember(c->old_data, "fingerprint")}].push_back(c);
    } else if (c->change == Change::kAdded) {
      added[{c->root, StringMember(c->new_data, "fingerprint")}].push_back(c);
    }
  }
  std::vector<std::string> moves;
  for (auto& [root_and_fingerprint, gone] : removed) {
    if (root_and_fingerprint.second.empty()) continue;
    auto it = added.find(root_and_fingerprint);
    if (it == added.end()) continue;
    for (size_t i = 0; i < gone.size() && i < it->second.size(); ++i) {
      FactChange& from = *gone[i];
      FactChange& to = *it->second[i];
      from.moved_to = to.key;
      to.moved_from = from.key;
      moves.push_back(StringMember(from.old_data, "user") + " -> " +
                      StringMember(to.new_data, "user") + " (" + root_and_fingerprint.second + ")");
    }
  }
  for (const FactChange* c : diff.changes) {
    if (c->change != Change::kChanged) continue;
    if (std::ranges::find(c->changed_fields, "path") == c->changed_fields.end()) continue;
    moves.push_back(StringMember(c->old_data, "user") + ": " + StringMember(c->old_data, "path") +
                    " -> " + StringMember(c->new_data, "path") + " (" +
                    StringMember(c->new_data, "fingerprint") + ")");
  }
  if (!moves.empty()) {
    out.Add(HeadlineTopic::kLoginKeys, "authorized keys moved: " + parse::Join(moves, "; "), false);
  }
}

// Users with at least one authorized key, and how many.
std::map<std::string, size_t> KeysPerUser(const std::vector<const Fact*>& facts) {
  std::map<std::string, size_t> counts;
  for (const Fact* f : facts) ++counts[StringMember(f->data, "user")];
  return counts;
}

// The incident this project began with: an image whose users all lost their keys.
void AddKeyHeadlines(const KindDiff& diff, HeadlineSink& out) {
  auto before = KeysPerUser(diff.old_facts), after = KeysPerUser(diff.new_facts);
  std::set<std::string> lost_all, lost_some, gained;
  for (const auto& [user, n] : before) {
    if (!after.contains(user)) lost_all.insert(user);
  }
  for (const FactChange* c : diff.changes) {
    std::string user = StringMember(Payload(*c), "user");
    if (c->change == Change::kRemoved && !lost_all.contains(user)) lost_some.insert(user);
    if (c->change == Change::kAdded) gained.insert(user);
  }
  if (!lost_all.empty()) {
    out.Add(HeadlineTopic::kLoginKeys,
            "authorized_keys removed for " + parse::CountOf(lost_all.size(), "user", "users") +
                ": " + parse::Join(lost_all, ", "),
            true);
  }
  if (!lost_some.empty()) {
    out.Add(HeadlineTopic::kLoginKeys,
            "authorized keys removed for " + parse::CountOf(lost_some.size(), "user", "users") +
                " who keep others: " + parse::Join(lost_some, ", "),
            true);
  }
  if (!gained.empty()) {
    out.Add(HeadlineTopic::kLoginKeys,
            "authorized keys added for " + parse::CountOf(gained.size(), "user", "users") + ": " +
                parse::Join(gained, ", "),
            false);
  }
}

void AuthorizedKeyHeadlines(KindDiff& diff, HeadlineSink& out) {
  PairMovedKeys(diff, out);
  AddKeyHeadlines(diff, out);
}

// "RSA 4096", "ssh-ed25519".
std::string KeyType(const nlohmann::json& key) {
  std::string label = StringMember(key, "label");
  if (label.empty()) label = StringMember(key, "type");
  const nlohmann::json& bits = Member(key, "bits");
  if (bits.is_number_integer() && bits.get<int64_t>() > 0) {
    label += " " + std::to_string(bits.get<int64_t>());
  }
  return label;
}

// One row per key; its note is sshd's verdict for the key, else what the account says.
void AuthorizedKeyRows(const Fact& fact, const AccountLookup& accounts,
                       std::vector<LoginRow>& rows) {
  std::string user = StringMember(fact.data, "user");
  auto account = accounts.find(user);
  const AccountSummary* summary = account == accounts.end() ? nullptr : &account->second;
  LoginRow row{.user = user,
               .method = "key",
               .key_type = KeyType(fact.data),
               .fingerprint = StringMember(fact.data, "fingerprint"),
               .source = StringMember(fact.data, "path"),
               .sudo = summary ? summary->sudo_text : "unknown",
               .caveat = {}};
  std::string account_caveat = summary ? summary->login_caveat : "";
  if (std::optional<std::string> caveat = access::DecisionCaveat(fact.data)) {
    row.caveat = caveat->empty() ? account_caveat : *caveat;
  } else if (BoolMember(fact.data, "accepted") == false) {
    // A report from before the verdict: refused meant StrictModes.
    row.caveat = "sshd refuses this file (StrictModes)";
  } else {
    row.caveat = account_caveat;
  }
  rows.push_back(std::move(row));
}

AuthorizedKeyStanding StandingOf(const Fact& fact) {
  AuthorizedKeyStanding standing{.user = StringMember(fact.data, "user"),
                                 .fingerprint = StringMember(fact.data, "fingerprint"),
                                 .path = StringMember(fact.data, "path")};
  // A key sshd takes only from some clients (from=, Match Address) is still kept.
  standing.kept = BoolMember(fact.data, "accepted").value_or(true) ||
                  StringMember(fact.data, "verdict") == "conditional";
  if (!standing.kept) {
    standing.refusal = StringMember(fact.data, "reason");
    if (standing.refusal.empty()) standing.refusal = "StrictModes";
  }
  return standing;
}

}  // namespace

const RecordKind kAuthorizedKeysFileRecord{
    .name = "ssh/authorized_keys_file",
    .key = "user|path",
    .description =
        "an authorized_keys file sshd would read for a user, and whether StrictModes lets it",
    .members = kAuthorizedKeysFileMembers,
};

const RecordKind kAuthorizedKeyRecord{
    .name = "ssh/authorized_key",
    .key = "user|fingerprint",
    .description = "a public key that lets a user in, with its options and sshd's verdict",
    .members = kAuthorizedKeyMembers,
    .volatile_members = kAuthorizedKeyVolatile,
    .origin_members = kAuthorizedKeyOrigins,
    .role = RecordRole::kAuthorizedKey,
    .headlines = AuthorizedKeyHeadlines,
    .login_rows = AuthorizedKeyRows,
    .authorized_key = StandingOf,
};

}  // namespace imageprobe::probes
