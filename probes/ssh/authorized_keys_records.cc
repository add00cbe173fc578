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
};

const RecordKind kAuthorizedKeyRecord{
    .name = "ssh/authorized_key",
    .key = "user|fingerprint",
    .description = "a public key that lets a user in, with its options and sshd's verdict",
    .volatile_members = kAuthorizedKeyVolatile,
    .origin_members = kAuthorizedKeyOrigins,
    .role = RecordRole::kAuthorizedKey,
    .headlines = AuthorizedKeyHeadlines,
    .login_rows = AuthorizedKeyRows,
    .authorized_key = StandingOf,
};

}  // namespace imageprobe::probes
