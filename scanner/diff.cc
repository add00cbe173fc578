// SPDX-License-Identifier: Apache-2.0
#include "scanner/diff.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "scanner/json_text.h"
#include "scanner/line_diff.h"
#include "scanner/parse/text.h"

namespace imageprobe {

namespace {

// Where/when fields: excluded from "changed" (see the header).
bool IsVolatileField(std::string_view field) {
  // "mtime", "newest_mtime", "newest_mtime_utc": every timestamp of a file.
  return field == "line" || field.find("mtime") != std::string_view::npos || field == "seconds";
}

// "/etc/ssh/sshd_config:8" -> "/etc/ssh/sshd_config": where a setting came from matters, the
// line it sits on does not.
nlohmann::json WithoutLineSuffix(const nlohmann::json& origin) {
  if (!origin.is_string()) return origin;
  const std::string& text = origin.get_ref<const std::string&>();
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) return origin;
  for (size_t i = colon + 1; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return origin;
  }
  return text.substr(0, colon);
}

// `data` as the diff compares it: volatile fields dropped at every depth, origins without lines.
nlohmann::json Comparable(const nlohmann::json& data) {
  if (data.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : data) out.push_back(Comparable(item));
    return out;
  }
  if (!data.is_object()) return data;
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : data.items()) {
    if (IsVolatileField(k)) continue;
    if (k == "origins" && v.is_array()) {
      nlohmann::json origins = nlohmann::json::array();
      for (const auto& origin : v) origins.push_back(WithoutLineSuffix(origin));
      out[k] = std::move(origins);
    } else if (k == "source") {
      // The line a verdict cites ("/etc/ssh/sshd_config:12"), like an origin.
      out[k] = WithoutLineSuffix(v);
    } else {
      out[k] = Comparable(v);
    }
  }
  return out;
}

std::vector<std::string> ChangedFields(const nlohmann::json& a, const nlohmann::json& b) {
  std::vector<std::string> fields;
  if (!a.is_object() || !b.is_object()) return {"value"};
  std::set<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.insert(k);
  for (const auto& [k, v] : b.items()) keys.insert(k);
  for (const auto& k : keys) {
    if (IsVolatileField(k)) continue;
    if (!a.contains(k) || !b.contains(k)) {
      fields.push_back(k);
    } else if (Comparable(nlohmann::json{{k, a[k]}}) != Comparable(nlohmann::json{{k, b[k]}})) {
      fields.push_back(k);
    }
  }
  return fields;
}

std::string StringField(const nlohmann::json& data, const char* field) {
  if (data.is_object() && data.contains(field) && data[field].is_string()) {
    return data[field].get<std::string>();
  }
  return {};
}

// A setting's value for a headline: "value" (string or list), else the compact JSON.
std::string ValueText(const nlohmann::json& data) {
  for (const char* field : {"value", "values"}) {
    if (!data.is_object() || !data.contains(field)) continue;
    const auto& v = data[field];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
      std::string joined;
      for (const auto& item : v) {
        if (!joined.empty()) joined += ' ';
        joined += item.is_string() ? item.get<std::string>() : JsonText(item);
      }
      return joined;
    }
    return JsonText(v);
  }
  return JsonText(data);
}

std::string JoinNames(const std::set<std::string>& names) { return parse::Join(names, ", "); }

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

using FactMap = std::map<std::pair<std::string, std::string>, const Fact*>;

FactMap IndexFacts(const RootReport* root) {
  FactMap map;
  if (root) {
    for (const auto& f : root->facts) map[{f.kind, f.key}] = &f;
  }
  return map;
}

void DiffRoot(const RootReport* old_root, const RootReport* new_root, DiffReport& out) {
  const std::string root_name = new_root ? new_root->root.name : old_root->root.name;
  FactMap old_facts = IndexFacts(old_root), new_facts = IndexFacts(new_root);
  for (const auto& [key, fact] : old_facts) {
    auto it = new_facts.find(key);
    if (it == new_facts.end()) {
      out.facts.push_back({Change::kRemoved, root_name, key.first, key.second, fact->data, {}, {}});
    } else if (Comparable(fact->data) != Comparable(it->second->data)) {
      FactChange change{Change::kChanged,
                        root_name,
                        key.first,
                        key.second,
                        fact->data,
                        it->second->data,
                        ChangedFields(fact->data, it->second->data)};
      if (key.first == "file/config") {
        std::string old_text = StringField(fact->data, "text");
        std::string new_text = StringField(it->second->data, "text");
        if (fact->data.contains("text") && it->second->data.contains("text")) {
          change.text_diff = UnifiedDiff(old_text, new_text);
        }
      }
      out.facts.push_back(std::move(change));
    }
  }
  for (const auto& [key, fact] : new_facts) {
    if (!old_facts.contains(key)) {
      out.facts.push_back({Change::kAdded, root_name, key.first, key.second, {}, fact->data, {}});
    }
  }

  std::map<std::string, const Finding*> old_findings, new_findings;
  if (old_root)
    for (const auto& f : old_root->findings) old_findings[f.identity] = &f;
  if (new_root)
    for (const auto& f : new_root->findings) new_findings[f.identity] = &f;
  for (const auto& [id, f] : old_findings) {
    auto it = new_findings.find(id);
    if (it == new_findings.end()) {
      out.findings.push_back({Change::kRemoved, root_name, *f, std::nullopt});
    } else if (f->severity != it->second->severity) {
      // Only the severity: evidence quotes timestamps and counts that the facts already
      // compare without the noise (a rebuilt image touches every mtime).
      out.findings.push_back({Change::kChanged, root_name, *f, *it->second});
    }
  }
  for (const auto& [id, f] : new_findings) {
    if (!old_findings.contains(id)) {
      out.findings.push_back({Change::kAdded, root_name, std::nullopt, *f});
    }
  }
}

// Users with at least one authorized key, and how many, from one side's facts.
std::map<std::string, size_t> KeysPerUser(const Report& report) {
  std::map<std::string, size_t> counts;
  for (const auto& root : report.roots) {
    for (const auto& f : root.facts) {
      if (f.kind == "ssh/authorized_key") ++counts[StringField(f.data, "user")];
    }
  }
  return counts;
}

void AddKeyHeadlines(const Report& old_report, const Report& new_report, DiffReport& out) {
  auto before = KeysPerUser(old_report), after = KeysPerUser(new_report);
  std::set<std::string> lost_all, lost_some, gained;
  for (const auto& [user, n] : before) {
    size_t now = after.contains(user) ? after[user] : 0;
    if (now == 0) lost_all.insert(user);
  }
  for (const auto& c : out.facts) {
    if (c.kind != "ssh/authorized_key") continue;
    std::string user = StringField(c.change == Change::kAdded ? c.new_data : c.old_data, "user");
    if (c.change == Change::kRemoved && !lost_all.contains(user)) lost_some.insert(user);
    if (c.change == Change::kAdded) gained.insert(user);
  }
  if (!lost_all.empty()) {
    out.headlines.push_back({"authorized_keys removed for " +
                                 Plural(lost_all.size(), "user", "users") + ": " +
                                 JoinNames(lost_all),
                             true});
  }
  if (!lost_some.empty()) {
    out.headlines.push_back({"authorized keys removed for " +
                                 Plural(lost_some.size(), "user", "users") +
                                 " who keep others: " + JoinNames(lost_some),
                             true});
  }
  if (!gained.empty()) {
    out.headlines.push_back({"authorized keys added for " + Plural(gained.size(), "user", "users") +
                                 ": " + JoinNames(gained),
                             false});
  }
}

// An authorized key removed from one user and added to another, or moved to another file of
// the same user: same fingerprint on both sides. Removed and added entries are paired (they
// stay in the list: the old user did lose the key) and one headline names every move.
void PairMovedKeys(DiffReport& out) {
  std::map<std::pair<std::string, std::string>, std::vector<FactChange*>> removed, added;
  for (FactChange& c : out.facts) {
    if (c.kind != "ssh/authorized_key") continue;
    if (c.change == Change::kRemoved) {
      removed[{c.root, StringField(c.old_data, "fingerprint")}].push_back(&c);
    } else if (c.change == Change::kAdded) {
      added[{c.root, StringField(c.new_data, "fingerprint")}].push_back(&c);
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
      moves.push_back(StringField(from.old_data, "user") + " -> " +
                      StringField(to.new_data, "user") + " (" + root_and_fingerprint.second + ")");
    }
  }
  for (const FactChange& c : out.facts) {
    if (c.kind != "ssh/authorized_key" || c.change != Change::kChanged) continue;
    if (std::ranges::find(c.changed_fields, "path") == c.changed_fields.end()) continue;
    moves.push_back(StringField(c.old_data, "user") + ": " + StringField(c.old_data, "path") +
                    " -> " + StringField(c.new_data, "path") + " (" +
                    StringField(c.new_data, "fingerprint") + ")");
  }
  if (!moves.empty()) {
    std::string text = "authorized keys moved: ";
    for (size_t i = 0; i < moves.size(); ++i) text += (i ? "; " : "") + moves[i];
    out.headlines.push_back({text, false});
  }
}

// Host keys (by type and fingerprint) that both versions carry. Two different releases with
// the same host keys mean every instance of either answers with one identity: anyone holding
// one image can impersonate all of them. Only said when the versions differ at all: an image
// compared with itself (or an identical rebuild) is one release, and its baked host keys are
// the scan's own finding (ssh.host_keys.present).
void AddIdenticalHostKeyHeadline(const Report& old_report, const Report& new_report,
                                 DiffReport& out) {
  if (out.Empty()) return;
  auto fingerprints = [](const Report& report) {
    std::map<std::string, std::string> keys;  // fingerprint -> type
    for (const auto& root : report.roots) {
      for (const auto& f : root.facts) {
        std::string fingerprint = StringField(f.data, "fingerprint");
        if (f.kind == "ssh/host_key" && !fingerprint.empty()) {
          keys[fingerprint] = StringField(f.data, "type");
        }
      }
    }
    return keys;
  };
  auto before = fingerprints(old_report), after = fingerprints(new_report);
  std::set<std::string> shared_types;
  size_t shared = 0;
  for (const auto& [fingerprint, type] : before) {
    if (!after.contains(fingerprint)) continue;
    ++shared;
    shared_types.insert(type);
  }
  if (shared == 0) return;
  out.headlines.push_back(
      {"host keys identical in both versions: " + Plural(shared, "key", "keys") + " (" +
           JoinNames(shared_types) + "); every instance of both releases shares them",
       true});
}

// Per-user changes that widen access: full sudo granted, a password that became usable.
void AddUserChangeHeadlines(DiffReport& out) {
  std::set<std::string> sudo_granted, password_enabled;
  for (const FactChange& c : out.facts) {
    if (c.kind != "users/user" || c.change != Change::kChanged) continue;
    auto full_sudo = [](const nlohmann::json& data) {
      return data.is_object() && data.contains("sudo") && data["sudo"].is_object() &&
             data["sudo"].value("all_commands", false);
    };
    if (!full_sudo(c.old_data) && full_sudo(c.new_data)) sudo_granted.insert(c.key);
    auto password_works = [](const nlohmann::json& data) {
      std::string state = StringField(data, "password_state");
      return state == "usable" || state == "empty";
    };
    if (!password_works(c.old_data) && password_works(c.new_data)) password_enabled.insert(c.key);
  }
  if (!sudo_granted.empty()) {
    out.headlines.push_back({"users granted full sudo: " + JoinNames(sudo_granted), false});
  }
  if (!password_enabled.empty()) {
    out.headlines.push_back(
        {"users whose password now works (usable or empty): " + JoinNames(password_enabled),
         false});
  }
}

void AddFactHeadlines(DiffReport& out) {
  static const std::set<std::string> kAccessSettings = {"permitrootlogin",
                                                        "passwordauthentication",
                                                        "permitemptypasswords",
                                                        "pubkeyauthentication",
                                                        "authorizedkeysfile",
                                                        "authorizedkeyscommand",
                                                        "kbdinteractiveauthentication",
                                                        "allowusers",
                                                        "allowgroups",
                                                        "denyusers",
                                                        "denygroups"};
  std::set<std::string> users_lost, users_gained, users_locked_out, host_keys_removed,
      host_keys_added, cas_removed, cas_added;
  for (const auto& c : out.facts) {
    if (c.kind == "users/user") {
      const auto& data = c.change == Change::kAdded ? c.new_data : c.old_data;
      bool could_log_in = data.is_object() && data.value("can_log_in", false);
      if (c.change == Change::kRemoved && could_log_in) users_lost.insert(c.key);
      if (c.change == Change::kAdded && could_log_in) users_gained.insert(c.key);
      if (c.change == Change::kChanged && c.old_data.value("can_log_in", false) &&
          !c.new_data.value("can_log_in", true)) {
        users_locked_out.insert(c.key);
      }
    } else if (c.kind == "ssh/host_key") {
      if (c.change == Change::kRemoved) host_keys_removed.insert(c.key);
      if (c.change == Change::kAdded) host_keys_added.insert(c.key);
    } else if (c.kind == "ssh/trusted_user_ca") {
      // key "path|fingerprint": a CA counts once whatever file lists it
      const auto& data = c.change == Change::kAdded ? c.new_data : c.old_data;
      std::string fingerprint = data.is_object() ? data.value("fingerprint", c.key) : c.key;
      if (c.change == Change::kRemoved) cas_removed.insert(fingerprint);
      if (c.change == Change::kAdded) cas_added.insert(fingerprint);
    } else if (c.kind == "sshd/setting" && kAccessSettings.contains(parse::ToLower(c.key))) {
      std::string from = c.change == Change::kAdded ? "(unset)" : ValueText(c.old_data);
      std::string to = c.change == Change::kRemoved ? "(unset)" : ValueText(c.new_data);
      out.headlines.push_back({"sshd " + c.key + ": " + from + " -> " + to, false});
    } else if (c.kind == "sshd/user_setting") {
      // key "user|Keyword": there is a fact only where a Match block gives the user a value
      // other than the global one, so a side without it means "the global value".
      size_t bar = c.key.find('|');
      std::string keyword = bar == std::string::npos ? "" : c.key.substr(bar + 1);
      if (kAccessSettings.contains(parse::ToLower(keyword))) {
        std::string from = c.change == Change::kAdded ? "(global value)" : ValueText(c.old_data);
        std::string to = c.change == Change::kRemoved ? "(global value)" : ValueText(c.new_data);
        out.headlines.push_back(
            {"sshd " + keyword + " for " + c.key.substr(0, bar) + " (Match): " + from + " -> " + to,
             false});
      }
    } else if (c.kind.find("registration") != std::string::npos) {
      out.headlines.push_back(
          {c.kind + " " + std::string(ChangeName(c.change)) + (c.key.empty() ? "" : ": " + c.key),
           false});
    }
  }
  if (!users_lost.empty()) {
    out.headlines.push_back({"users who could log in removed: " + JoinNames(users_lost), true});
  }
  if (!users_locked_out.empty()) {
    out.headlines.push_back(
        {"users who could log in no longer can: " + JoinNames(users_locked_out), true});
  }
  if (!users_gained.empty()) {
    out.headlines.push_back({"users who can log in added: " + JoinNames(users_gained), false});
  }
  // A CA moved to another file is neither lost nor gained.
  std::set<std::string> cas_lost, cas_gained;
  std::ranges::set_difference(cas_removed, cas_added, std::inserter(cas_lost, cas_lost.end()));
  std::ranges::set_difference(cas_added, cas_removed, std::inserter(cas_gained, cas_gained.end()));
  if (!cas_lost.empty()) {
    out.headlines.push_back(
        {"user certificate CAs no longer trusted (certificate logins fail): " + JoinNames(cas_lost),
         true});
  }
  if (!cas_gained.empty()) {
    out.headlines.push_back(
        {"user certificate CAs newly trusted: " + JoinNames(cas_gained), false});
  }
  if (!host_keys_removed.empty() && host_keys_added.empty()) {
    out.headlines.push_back(
        {"host keys removed: " + Plural(host_keys_removed.size(), "key", "keys"), false});
  } else if (!host_keys_removed.empty() || !host_keys_added.empty()) {
    out.headlines.push_back({"host keys regenerated", false});
  }
}

void AddFindingHeadline(DiffReport& out) {
  std::set<std::string> rules;
  size_t count = 0;
  for (const auto& c : out.findings) {
    // Suppressed findings (ignore file, baseline) count for no gate and no headline.
    if (c.change == Change::kRemoved || !c.new_finding || c.new_finding->suppressed) continue;
    bool raised = c.change == Change::kChanged && c.new_finding->severity > c.old_finding->severity;
    if (c.change != Change::kAdded && !raised) continue;
    if (c.new_finding->severity < Severity::kHigh) continue;
    ++count;
    rules.insert(c.new_finding->rule_id);
  }
  if (count > 0) {
    out.headlines.push_back(
        {Plural(count, "new high/critical finding", "new high/critical findings") + ": " +
             JoinNames(rules),
         false});
  }
}

}  // namespace

std::string_view ChangeName(Change change) {
  switch (change) {
    case Change::kAdded:
      return "added";
    case Change::kRemoved:
      return "removed";
    case Change::kChanged:
      return "changed";
  }
  return "changed";
}

bool DiffReport::HasRegression() const {
  return std::ranges::any_of(headlines, [](const Headline& h) { return h.regression; });
}

std::optional<Severity> DiffReport::MaxAddedSeverity() const {
  std::optional<Severity> max;
  for (const auto& c : findings) {
    if (c.change == Change::kRemoved || !c.new_finding || c.new_finding->suppressed) continue;
    if (c.change == Change::kChanged && c.new_finding->severity <= c.old_finding->severity) {
      continue;
    }
    if (!max || c.new_finding->severity > *max) max = c.new_finding->severity;
  }
  return max;
}

DiffReport DiffReports(const Report& old_report, const Report& new_report) {
  DiffReport out;
  out.tool_version = new_report.tool_version;
  out.old_input = old_report.input;
  out.new_input = new_report.input;

  if (old_report.roots.size() == 1 && new_report.roots.size() == 1) {
    DiffRoot(&old_report.roots[0], &new_report.roots[0], out);
  } else {
    std::map<std::string, const RootReport*> old_roots, new_roots;
    for (const auto& r : old_report.roots) old_roots[r.root.name] = &r;
    for (const auto& r : new_report.roots) new_roots[r.root.name] = &r;
    for (const auto& [name, r] : old_roots) {
      auto it = new_roots.find(name);
      DiffRoot(r, it == new_roots.end() ? nullptr : it->second, out);
    }
    for (const auto& [name, r] : new_roots) {
      if (!old_roots.contains(name)) DiffRoot(nullptr, r, out);
    }
  }

  std::ranges::stable_sort(out.facts, [](const FactChange& a, const FactChange& b) {
    return std::tie(a.kind, a.key, a.root) < std::tie(b.kind, b.key, b.root);
  });
  std::ranges::stable_sort(out.findings, [](const FindingChange& a, const FindingChange& b) {
    const Finding& fa = a.new_finding ? *a.new_finding : *a.old_finding;
    const Finding& fb = b.new_finding ? *b.new_finding : *b.old_finding;
    return std::tie(fa.rule_id, fa.identity) < std::tie(fb.rule_id, fb.identity);
  });

  PairMovedKeys(out);
  AddKeyHeadlines(old_report, new_report, out);
  AddFactHeadlines(out);
  AddUserChangeHeadlines(out);
  AddIdenticalHostKeyHeadline(old_report, new_report, out);
  AddFindingHeadline(out);
  // Regressions first: they are what a reviewer must not miss.
  std::ranges::stable_sort(out.headlines, [](const Headline& a, const Headline& b) {
    return a.regression > b.regression;
  });
  return out;
}

}  // namespace imageprobe
