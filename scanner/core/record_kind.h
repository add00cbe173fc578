// SPDX-License-Identifier: Apache-2.0
// A record kind: the one declaration of one kind of fact, made by the probe that records it
// (probes/<concern>/<name>_records.{h,cc}). It says what the kind is (its name, how its key is
// formed), how the diff compares two versions of it (which members say where or when
// rather than what), and, for the kinds that carry what the core reasons about (who can log in,
// what sshd runs with, what a release must hold), the functions that read its payload for the
// diff's headlines, the gate's expectations and the login table.
//
// The core reads facts only through these declarations (RecordCatalog, built from the probe
// registry by the CLI): it never names a kind or a payload field. Renaming a kind is one edit,
// and a kind the catalog does not know (a saved report of another version) is compared member
// by member with nothing left out, shown, and read by no headline, check or table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/login_row.h"
#include "scanner/core/model.h"
#include "scanner/core/record_members.h"

namespace imageprobe {

struct FactChange;  // scanner/core/diff.h

// The order a diff's headlines are read in, after regressions, which come first: how keys
// and accounts let people in, then what sshd and the agents run with, then identities and
// privileges. Headlines of one topic keep the order their kind's rule gives them.
enum class HeadlineTopic {
  kLoginKeys,
  kSshdSettings,
  kAgentRegistrations,
  kAccounts,
  kCertificateAuthorities,
  kHostKeys,
  kPrivileges,
  kFindings,
};

class HeadlineSink {
 public:
  struct Entry {
    HeadlineTopic topic;
    std::string text;
    bool regression;
  };
  void Add(HeadlineTopic topic, std::string text, bool regression) {
    entries_.push_back({topic, std::move(text), regression});
  }
  std::vector<Entry>& entries() { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// One kind's part of a diff, for its headline rule: its changes (sorted by key, root; the rule
// may annotate them, e.g. a key that moved between users) and its facts on each side, every
// root together.
struct KindDiff {
  std::vector<FactChange*> changes;
  std::vector<const Fact*> old_facts;
  std::vector<const Fact*> new_facts;
  bool versions_differ = false;  // anything at all changed between the two reports
};

// What a record means to the core beyond being compared and shown. Each role's key format and
// the hooks it must set are listed with it; RecordCatalog refuses a declaration that breaks
// them, and at most one kind may hold each role.
enum class RecordRole {
  kNone,
  kAccount,          // key: the user name; sets `account`
  kAuthorizedKey,    // key: "user|fingerprint"; sets `authorized_key`
  kSshdSetting,      // key: the keyword as sshd -T prints it; sets `setting`, `same_setting`
  kSshdUserSetting,  // key: "user|keyword", where a Match gives the user another value; sets
                     // `setting`, `same_setting`
  kPathPresence,     // key: the guest path; sets `path_presence`
};

// An account as the gate and the login table see it.
struct AccountSummary {
  std::string uid;  // as recorded ("1000"), empty when unknown
  // sudo: whether any rule names the user, and the rules' reach.
  bool sudo_any = false;
  bool sudo_all_commands = false;
  bool sudo_nopasswd = false;
  bool sudo_nopasswd_all = false;
  std::string sudo_rules;  // "ALL=(ALL) ALL (/etc/sudoers:12); …", empty when none
  std::string sudo_text;   // the login table's column: "ALL (NOPASSWD)", "no", "unknown"…
  // Why the account itself cannot log in, empty when nothing in it prevents it.
  std::string login_caveat;
};
using AccountLookup = std::map<std::string, AccountSummary, std::less<>>;

// An authorized key as the gate sees it: does sshd take it?
struct AuthorizedKeyStanding {
  std::string user;
  std::string fingerprint;
  std::string path;  // the file it came from
  // sshd takes it, from every client or from some (from=, Match Address): the key is kept.
  bool kept = false;
  std::string refusal;  // why sshd refuses it, when not kept
};

// An effective sshd setting: its value and where it came from ("sshd's default" when none).
struct SettingValue {
  std::string value;
  std::string origin;
};

struct PathPresence {
  bool present = false;
  std::string type;   // "file", "directory", "symlink"…
  std::string error;  // could not be checked, and why
};

struct RecordKind {
  std::string_view name;         // "area/thing": stable, in every report
  std::string_view key;          // how the natural key is formed: "user|fingerprint"
  std::string_view description;  // one line
  // The payload's members and their types (record_members.h), which the probe tests hold
  // every fact of the kind to. The catalog refuses a kind without them.
  std::span<const RecordMember> members;
  // Members left out of the diff, at any depth: they say where or when, not what ("line",
  // "mtime"): a rebuilt image touches every timestamp, and a shifted line is not news.
  std::span<const std::string_view> volatile_members = {};
  // Members holding "path:line" (a string, or a list of them): compared without the line.
  std::span<const std::string_view> origin_members = {};
  // The member holding a file's (redacted) text: a change shows as a unified diff.
  std::string_view text_member = {};
  RecordRole role = RecordRole::kNone;

  // The diff's headlines for this kind (null: none).
  void (*headlines)(KindDiff& diff, HeadlineSink& out) = nullptr;
  // The login table's rows for one fact of this kind (null: none); `accounts` are the
  // accounts of the same root, by user name.
  void (*login_rows)(const Fact& fact, const AccountLookup& accounts,
                     std::vector<LoginRow>& rows) = nullptr;

  // Role hooks (see RecordRole).
  AccountSummary (*account)(const Fact& fact) = nullptr;
  AuthorizedKeyStanding (*authorized_key)(const Fact& fact) = nullptr;
  SettingValue (*setting)(const Fact& fact) = nullptr;
  // Whether `found` (a recorded value) is the value `expected` asks for, as sshd reads both;
  // `root` holds the facts of the root, for what the comparison depends on (sshd's version).
  bool (*same_setting)(std::string_view keyword, std::string_view expected, std::string_view found,
                       std::span<const Fact> root) = nullptr;
  PathPresence (*path_presence)(const Fact& fact) = nullptr;
};

std::string_view RecordRoleName(RecordRole role);

}  // namespace imageprobe
