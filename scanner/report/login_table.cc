// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/login_table.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace imageprobe::report {

namespace {

using nlohmann::json;

std::string StringField(const json& data, const char* name) {
  if (!data.is_object()) return {};
  auto it = data.find(name);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// true / false / unknown (missing or not a boolean).
std::optional<bool> BoolField(const json& data, const char* name) {
  if (!data.is_object()) return std::nullopt;
  auto it = data.find(name);
  if (it == data.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::string SudoText(const json* user) {
  if (user == nullptr || !user->contains("sudo") || !(*user)["sudo"].is_object()) {
    return "unknown";
  }
  const json& sudo = (*user)["sudo"];
  if (BoolField(sudo, "nopasswd_all").value_or(false)) return "ALL (NOPASSWD)";
  if (BoolField(sudo, "all_commands").value_or(false)) return "ALL";
  auto rules = sudo.find("rules");
  if (rules != sudo.end() && rules->is_array() && !rules->empty()) {
    return BoolField(sudo, "nopasswd").value_or(false) ? "some commands (NOPASSWD)"
                                                       : "some commands";
  }
  return "no";
}

std::string KeyType(const json& key) {
  std::string label = StringField(key, "label");
  if (label.empty()) label = StringField(key, "type");
  auto bits = key.is_object() ? key.find("bits") : key.end();
  if (bits != key.end() && bits->is_number_integer() && bits->get<int64_t>() > 0) {
    label += " " + std::to_string(bits->get<int64_t>());
  }
  return label;
}

// The note of a row from sshd's verdict ({verdict, reason, restriction}); nullopt when the
// fact predates verdicts (reports of imageprobe before the access verdict).
std::optional<std::string> VerdictCaveat(const json& decision) {
  std::string verdict = StringField(decision, "verdict");
  if (verdict.empty()) return std::nullopt;
  std::string reason = StringField(decision, "reason");
  if (verdict == "refused") return "refused: " + reason;
  if (verdict == "conditional") return "conditional: " + reason;
  std::string restriction = StringField(decision, "restriction");
  return restriction.empty() ? std::string() : "restricted: " + restriction;
}

}  // namespace

std::vector<LoginRow> LoginRows(const RootReport& root) {
  std::map<std::string, const json*> users;
  for (const Fact& f : root.facts) {
    if (f.kind == "users/user") users[f.key] = &f.data;
  }
  auto user_of = [&](const std::string& name) -> const json* {
    auto it = users.find(name);
    return it == users.end() ? nullptr : it->second;
  };
  auto account_caveat = [&](const json* user) -> std::string {
    if (user == nullptr) return {};
    if (BoolField(*user, "login_shell") == false) {
      return "no login shell (" + StringField(*user, "shell") + ")";
    }
    return {};
  };
  // sshd accepted the row's method: what the account itself still says.
  auto caveat_of = [&](const json& decision, const json* user) -> std::string {
    std::optional<std::string> caveat = VerdictCaveat(decision);
    if (caveat && !caveat->empty()) return *caveat;
    return account_caveat(user);
  };

  std::vector<LoginRow> rows;
  for (const Fact& f : root.facts) {
    if (f.kind != "ssh/authorized_key") continue;
    std::string name = StringField(f.data, "user");
    const json* user = user_of(name);
    LoginRow row{.user = name,
                 .method = "key",
                 .key_type = KeyType(f.data),
                 .fingerprint = StringField(f.data, "fingerprint"),
                 .source = StringField(f.data, "path"),
                 .sudo = SudoText(user),
                 .caveat = {}};
    if (VerdictCaveat(f.data)) {
      row.caveat = caveat_of(f.data, user);
    } else if (BoolField(f.data, "accepted") == false) {
      row.caveat = "sshd refuses this file (StrictModes)";
    } else {
      row.caveat = account_caveat(user);
    }
    rows.push_back(std::move(row));
  }
  for (const auto& [name, user] : users) {
    std::string source = StringField(*user, "password_source");
    auto access = user->find("access");
    if (access == user->end() || !access->is_object() || !access->contains("methods")) {
      const json& methods = user->contains("log_in_with") ? (*user)["log_in_with"] : json();
      bool password = methods.is_array() &&
                      std::find(methods.begin(), methods.end(), json("password")) != methods.end();
      if (!password) continue;
      rows.push_back({.user = name,
                      .method = "password",
                      .key_type = {},
                      .fingerprint = {},
                      .source = source,
                      .sudo = SudoText(user),
                      .caveat = account_caveat(user)});
      continue;
    }
    // Every method sshd accepts or might accept, and a password it refuses although the
    // account has one (so the reason shows).
    std::string state = StringField(*user, "password_state");
    bool has_password = state == "usable" || state == "empty";
    const json& methods = (*access)["methods"];
    for (const char* method : {"password", "keyboard-interactive", "none"}) {
      auto it = methods.find(method);
      if (it == methods.end() || !it->is_object()) continue;
      std::string verdict = StringField(*it, "verdict");
      bool shown = verdict != "refused" || (has_password && std::string_view(method) == "password");
      if (!shown) continue;
      rows.push_back(
          {.user = name,
           .method = method,
           .key_type = {},
           .fingerprint = {},
           .source = std::string_view(method) == "none" ? StringField(*it, "source") : source,
           .sudo = SudoText(user),
           .caveat = caveat_of(*it, user)});
    }
    auto chains = access->find("chains");
    if (chains != access->end() && chains->is_array()) {
      for (const json& chain : *chains) {
        if (StringField(chain, "verdict") == "refused") continue;
        rows.push_back({.user = name,
                        .method = StringField(chain, "chain"),
                        .key_type = {},
                        .fingerprint = {},
                        .source = StringField(chain, "source"),
                        .sudo = SudoText(user),
                        .caveat = caveat_of(chain, user)});
      }
    }
  }
  std::ranges::sort(rows, [](const LoginRow& a, const LoginRow& b) {
    return std::tie(a.user, a.method, a.fingerprint) < std::tie(b.user, b.method, b.fingerprint);
  });
  return rows;
}

}  // namespace imageprobe::report
