// SPDX-License-Identifier: Apache-2.0
// References: openssh-portable auth2.c (userauth_finish: the root check and the PAM account
// stage after each method; auth2_update_methods_lists: with AuthenticationMethods a method that
// is not a whole chain by itself is only a partial success), auth2-pubkey.c user_key_allowed
// (AuthorizedKeysCommand besides the files), servconf.c parse_server_match_config.
#include "probes/access/login_access.h"

#include <chrono>
#include <set>

#include "probes/access/access_settings.h"
#include "probes/access/pam_stack.h"
#include "probes/access/password_verdict.h"
#include "probes/access/pubkey_verdict.h"
#include "probes/ssh/authorized_keys_files.h"
#include "probes/sshd/sshd_config.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::access {

namespace {

// AuthenticationMethods as lists of method names ("keyboard-interactive:pam" counts as
// keyboard-interactive); empty for "any" or unset.
struct Chains {
  std::vector<std::string> written;
  std::vector<std::vector<std::string>> methods;
  std::string source;
};

Chains ReadChains(const AccessSettings& settings) {
  Chains chains;
  for (const SettingLine& line : settings.Lines("AuthenticationMethods")) {
    if (parse::EqualsIgnoreCase(line.value, "any")) return {};
    std::vector<std::string> methods;
    for (std::string_view method : parse::SplitFields(line.value, ',')) {
      methods.emplace_back(method.substr(0, method.find(':')));
    }
    chains.written.push_back(line.value);
    chains.methods.push_back(std::move(methods));
    chains.source = line.source;
  }
  return chains;
}

// A method alone under AuthenticationMethods.
Decision AloneUnder(const Chains& chains, std::string_view method, const Decision& decision) {
  if (chains.methods.empty()) return decision;
  for (const auto& chain : chains.methods) {
    if (chain.size() == 1 && chain.front() == method) return decision;
  }
  if (decision.refused()) return decision;
  std::string all;
  for (const std::string& chain : chains.written) all += (all.empty() ? "" : " ") + chain;
  return Decision::Refused("AuthenticationMethods " + all + ": " + std::string(method) +
                               " alone is only a partial success",
                           chains.source);
}

std::string SessionNote(const User& user, const AccessSettings& settings) {
  if (!parse::IsNoLoginShell(user.passwd.shell)) return {};
  std::string note =
      "shell " + user.passwd.shell + ": sshd authenticates, but the session gets no shell";
  bool no_forwarding =
      settings.Yes("DisableForwarding") || (settings.Value("AllowTcpForwarding") == "no" &&
                                            settings.Value("AllowStreamLocalForwarding") == "no");
  note += no_forwarding ? "; forwarding is disabled" : "; port forwarding still works";
  return note;
}

struct Inputs {
  const SshdConfig& sshd;
  std::map<std::string_view, const ssh::UserKeys*> keys;  // by user name
  const Host& host;
  int64_t now = 0;
};

// The verdict for one user under one set of effective settings.
UserAccess Evaluate(const Account& account, const SshdSettings& raw, const Inputs& in) {
  AccessSettings settings(raw);
  const User& user = *account.user;
  UserAccess out;
  out.account = account;
  out.gates = CheckAccountGates(account, settings, in.host);
  out.session = SessionNote(user, settings);
  Chains chains = ReadChains(settings);

  // publickey: every line of every file sshd reads, the first line per fingerprint.
  std::vector<std::string> algorithms = AcceptedKeyAlgorithms(raw, in.sshd.build);
  Decision publickey = Decision::Refused("no authorized key");
  bool any_file = false;
  if (auto found = in.keys.find(user.passwd.name); found != in.keys.end()) {
    const ssh::UserKeys& keys = *found->second;
    std::set<std::string_view> seen;  // the first line per fingerprint is the one sshd uses
    for (const ssh::KeysFile& file : keys.files) {
      any_file = true;
      if (file.parsed.keys.empty() && file.refused && publickey.reason == "no authorized key") {
        publickey = Decision::Refused(
            !file.unreadable.empty() ? "sshd opens it as the user: " + file.unreadable
            : file.violation ? "StrictModes: " + file.violation->path + " " + file.violation->detail
                             : file.path + " is not a regular file",
            file.path);
      }
      for (const ssh::AuthorizedKey& key : file.parsed.keys) {
        if (!seen.insert(key.key.fingerprint).second) continue;
        Decision decision = DecideKey(keys, file, key, settings, algorithms, in.now);
        publickey = Either(publickey, decision);
        out.keys.push_back({key.key.fingerprint, file.path, key.line, decision});
      }
    }
  }
  if (!any_file && publickey.refused()) {
    publickey = Decision::Refused("no authorized_keys file", settings.Source("AuthorizedKeysFile"));
  }
  if (settings.Yes("PubkeyAuthentication")) {
    if (auto command = AuthorizedKeysCommandIn(raw)) {
      std::string program = command->command.empty() ? "" : command->command.front();
      publickey =
          Either(publickey, Decision::Conditional("keys from AuthorizedKeysCommand " + program +
                                                      ", which an offline scan cannot run",
                                                  command->origin.Describe()));
    }
  } else {
    publickey =
        Decision::Refused("PubkeyAuthentication no", settings.Source("PubkeyAuthentication"));
  }

  std::map<std::string, Decision> single = {
      {"publickey", publickey},
      {"password", DecidePassword(account, settings, in.host)},
      {"keyboard-interactive", DecideKeyboardInteractive(account, settings, in.host)},
      {"none", DecideNone(account, settings, in.host)},
  };
  for (auto& [method, decision] : single) {
    out.methods[method] = Both(out.gates, AloneUnder(chains, method, decision));
  }
  for (KeyAccess& key : out.keys) {
    key.decision = Both(out.gates, AloneUnder(chains, "publickey", key.decision));
  }
  for (size_t i = 0; i < chains.methods.size(); ++i) {
    if (chains.methods[i].size() < 2) continue;
    Decision chain = out.gates;
    for (const std::string& method : chains.methods[i]) {
      auto it = single.find(method);
      chain =
          Both(chain, it != single.end() ? it->second
                                         : Decision::Refused(method + " cannot be judged offline"));
    }
    out.chains.push_back({chains.written[i], chain});
  }
  return out;
}

void Summarise(UserAccess& access) {
  Decision overall = Decision::Refused("");
  std::vector<std::string> accepted;
  for (std::string_view method : kMethods) {
    const Decision& decision = access.methods[std::string(method)];
    overall = Either(overall, decision);
    if (decision.accepted()) accepted.emplace_back(method);
  }
  for (const ChainAccess& chain : access.chains) {
    overall = Either(overall, chain.decision);
    if (chain.decision.accepted()) accepted.push_back(chain.chain);
  }
  if (overall.accepted()) {
    std::string with;
    for (const std::string& method : accepted) with += (with.empty() ? "" : ", ") + method;
    overall = Decision::Accepted("with " + with, "");
  } else if (access.gates.refused()) {
    overall = access.gates;
  } else if (overall.refused()) {
    std::string why;
    for (std::string_view method : kMethods) {
      const Decision& decision = access.methods[std::string(method)];
      why += (why.empty() ? "" : "; ") + std::string(method) + ": " + decision.reason;
    }
    overall = Decision::Refused(why, "");
  }
  access.overall = overall;
}

// A conditional Match block (Address, Host…) that changes a decision makes it conditional.
void MarkConditional(Decision& base, const Decision& alternative, const SshdMatchBlock& block) {
  if (base.verdict == alternative.verdict || base.verdict == Verdict::kConditional) return;
  std::string what = alternative.accepted() ? "accepted" : "refused";
  base = Decision::Conditional(
      "Match " + block.text + " in " + block.origin.file + " applies to some clients: then " +
          what + (alternative.reason.empty() ? "" : " (" + alternative.reason + ")") +
          "; otherwise " + std::string(VerdictName(base.verdict)) +
          (base.reason.empty() ? "" : " (" + base.reason + ")"),
      block.origin.Describe());
}

int64_t DaysSinceEpoch(const Target& target, int64_t& now_seconds) {
  using namespace std::chrono;
  sys_days day = target.as_of ? sys_days{*target.as_of} : floor<days>(system_clock::now());
  now_seconds = target.as_of
                    ? duration_cast<seconds>(day.time_since_epoch()).count()
                    : duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  return day.time_since_epoch().count();
}

// A tree without sshd_config and without an sshd binary (an extracted or partial root): the
// verdict uses OpenSSH's defaults with UsePAM yes, which every distribution's packaged
// sshd_config sets.
SshdSettings AssumedSettings(const SshdConfig& sshd) {
  SshdSettings settings = sshd.global;
  auto it = settings.find("UsePAM");
  if (it != settings.end()) it->second.values = {{{"yes"}, {}}};
  return settings;
}

}  // namespace

const KeyAccess* UserAccess::FindKey(std::string_view fingerprint) const {
  for (const KeyAccess& key : keys) {
    if (key.fingerprint == fingerprint) return &key;
  }
  return nullptr;
}

std::vector<std::string> UserAccess::AcceptedMethods() const {
  std::vector<std::string> out;
  for (std::string_view method : kMethods) {
    auto it = methods.find(std::string(method));
    if (it != methods.end() && it->second.accepted()) out.emplace_back(method);
  }
  return out;
}

const UserAccess* AccessInventory::Find(std::string_view user) const {
  auto it = index.find(user);
  return it == index.end() ? nullptr : &users[it->second];
}

const AccessInventory& AccessOf(const Target& target) {
  return target.context.Memo<AccessInventory>([&] {
    AccessInventory inventory;
    const UserDb& db = UsersOf(target);
    const SshdConfig& sshd = SshdConfigOf(target);
    const users::ShadowTable& shadow = users::ShadowOf(target);
    PamStack pam = CollectPamStack(target.fs, target.limits);
    for (const Diagnostic& d : pam.diagnostics) inventory.diagnostics.push_back(d);
    int64_t now = 0;
    // Every real root has /bin/sh (POSIX); a tree of configuration files does not, and then
    // says nothing about which shells exist.
    bool has_programs =
        target.fs.Stat("/bin/sh").has_value() || target.fs.Stat("/usr/bin/sh").has_value();
    Host host{.fs = target.fs,
              .pam = pam,
              .nologin_exists = target.fs.Exists("/etc/nologin"),
              .has_programs = has_programs,
              .today_days = DaysSinceEpoch(target, now)};
    Inputs inputs{sshd, {}, host, now};
    for (const ssh::UserKeys& keys : ssh::AuthorizedKeysOf(target).users) {
      inputs.keys.emplace(keys.user, &keys);  // the first passwd line of a name, as getpwnam
    }

    bool starts = sshd.present || !sshd.server_installed;
    SshdSettings assumed;
    if (sshd.present) {
      inventory.basis = "the image's " + sshd.config_path;
    } else if (!sshd.server_installed) {
      inventory.basis =
          "no sshd in the image: OpenSSH's defaults, with UsePAM yes as distributions ship it";
      assumed = AssumedSettings(sshd);
    } else {
      inventory.basis = "sshd does not start: " + sshd.config_path + " is missing";
    }
    if (!has_programs) inventory.basis += "; no /bin/sh in the tree, so shells are not checked";
    for (const User& user : db.users) {
      users::AccountPassword password = users::PasswordOf(user, shadow);
      Account account{&user, password.password, password.source, password.expire_days};
      if (!starts) {
        UserAccess access;
        access.account = account;
        access.gates = Decision::Refused(inventory.basis, sshd.config_path);
        for (std::string_view method : kMethods) access.methods[std::string(method)] = access.gates;
        access.overall = access.gates;
        inventory.index.try_emplace(user.passwd.name, inventory.users.size());
        inventory.users.push_back(std::move(access));
        continue;
      }
      SshdUserSettings effective = sshd.present ? sshd.EffectiveFor(user.passwd.name, user.groups)
                                                : SshdUserSettings{assumed, {}, {}};
      UserAccess access = Evaluate(account, effective.settings, inputs);
      for (uint32_t block : effective.conditional_blocks) {
        SshdUserSettings alternative =
            EvaluateSshdForUser(sshd.parsed, sshd.global, user.passwd.name, user.groups, {block});
        UserAccess other = Evaluate(account, alternative.settings, inputs);
        const SshdMatchBlock& match = sshd.parsed.match_blocks[block];
        for (auto& [method, decision] : access.methods) {
          MarkConditional(decision, other.methods[method], match);
        }
        for (KeyAccess& key : access.keys) {
          if (const KeyAccess* alt = other.FindKey(key.fingerprint)) {
            MarkConditional(key.decision, alt->decision, match);
          }
        }
      }
      Summarise(access);
      inventory.index.try_emplace(user.passwd.name, inventory.users.size());
      inventory.users.push_back(std::move(access));
    }
    return inventory;
  });
}

}  // namespace imageprobe::probes::access
