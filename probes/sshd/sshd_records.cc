// SPDX-License-Identifier: Apache-2.0
#include "probes/sshd/sshd_records.h"

#include <set>

#include "probes/sshd/openssh_build.h"
#include "probes/sshd/sshd_canonical.h"
#include "scanner/core/diff.h"
#include "scanner/core/json_fields.h"
#include "scanner/core/json_text.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kSshdOpensshOrigins[] = {"source"};
constexpr std::string_view kSshdSettingOrigins[] = {"origins"};
constexpr std::string_view kSshdUserSettingOrigins[] = {"origins"};
constexpr std::string_view kSshdConditionalMatchVolatile[] = {"line"};

constexpr RecordMember kSshdOpensshMembers[] = {
    {"version", kText, "the upstream OpenSSH release (9.2p1); empty when unknown"},
    {"package_version", kText,
     "the distribution package's version (1:9.2p1-2+deb12u3); empty when read from the binary"},
    {"source", kText,
     "where the version came from: the dpkg status file, the rpmdb, the sshd binary; or empty"},
    {"family", kText, "whose patches sshd carries: debian, redhat or upstream"},
    {"defaults", kText,
     "the compiled-in defaults table applied (OpenSSH 9.2), with a note when the version is a "
     "guess"},
};

constexpr RecordMember kSshdSettingMembers[] = {
    {"keyword", kText, "the keyword in its canonical spelling (PermitRootLogin)"},
    {"value", kText,
     "the effective value as sshd -T prints it: times in seconds, algorithm lists assembled"},
    {"origins", kTextList,
     "each line it came from: file:line, default, or systemd drop-in and the unit file"},
    {"is_default", kFlag, "no line sets it: sshd's compiled-in default applies"},
    {"configured", kText, "the value as written, where it differs from the effective value",
     Presence::kOptional},
};

constexpr RecordMember kSshdUserSettingMembers[] = {
    {"keyword", kText, "the keyword in its canonical spelling (PermitRootLogin)"},
    {"value", kText,
     "the user's effective value as sshd -T prints it: times in seconds, lists assembled"},
    {"origins", kTextList,
     "each line it came from: file:line, default, or systemd drop-in and the unit file"},
    {"is_default", kFlag, "no line sets it: sshd's compiled-in default applies"},
    {"configured", kText, "the value as written, where it differs from the effective value",
     Presence::kOptional},
    {"user", kText, "the user the Match blocks apply to"},
    {"match_blocks", kTextList,
     "the Match blocks that apply to the user: \"file:line Match criteria\""},
};

constexpr RecordMember kSshdConditionalMatchMembers[] = {
    {"file", kText, "the config file holding the Match line"},
    {"line", kInteger, "the Match line's number in the file"},
    {"criteria", kText, "the Match criteria as written (Address 10.0.0.0/8 User alice)"},
    {"settings", kTextList, "the lines inside the block: \"Keyword value\""},
};

constexpr RecordMember kSshdConfigFileMembers[] = {
    {"path", kText, "the file's guest path"},
    {"mode", kText, "the permission bits in octal (0644)"},
    {"uid", kInteger, "the owner's uid"},
    {"gid", kInteger, "the group's gid"},
    {"size", kInteger, "the size in bytes"},
};

constexpr RecordMember kSshdServiceMembers[] = {
    {"exec_start", kText, "the ExecStart= that wins, as written"},
    {"file", kText, "the unit file or drop-in it comes from"},
    {"options", kTextList, "the -o, -p and -h options, as sshd_config lines (Port 22)"},
    {"config_file", kText, "the config file -f names; empty when not given"},
    {"unit_files", kTextList,
     "the unit files and drop-ins read, in order, then the EnvironmentFile= files found"},
};

// The settings that decide who gets in and how: a change to one is a headline.
bool DecidesAccess(std::string_view keyword) {
  static const std::set<std::string, std::less<>> kAccessSettings = {"permitrootlogin",
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
  return kAccessSettings.contains(parse::ToLower(keyword));
}

// A setting's value for a headline: "value" (string or list), else the compact JSON.
std::string ValueText(const nlohmann::json& data) {
  for (const char* field : {"value", "values"}) {
    const nlohmann::json& v = Member(data, field);
    if (v.is_null()) continue;
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

void SettingHeadlines(KindDiff& diff, HeadlineSink& out) {
  for (const FactChange* c : diff.changes) {
    if (!DecidesAccess(c->key)) continue;
    std::string from = c->change == Change::kAdded ? "(unset)" : ValueText(c->old_data);
    std::string to = c->change == Change::kRemoved ? "(unset)" : ValueText(c->new_data);
    out.Add(HeadlineTopic::kSshdSettings, "sshd " + c->key + ": " + from + " -> " + to, false);
  }
}

// Key "user|Keyword": there is a fact only where a Match block gives the user a value other
// than the global one, so a side without it means "the global value".
void UserSettingHeadlines(KindDiff& diff, HeadlineSink& out) {
  for (const FactChange* c : diff.changes) {
    size_t bar = c->key.find('|');
    std::string keyword = bar == std::string::npos ? "" : c->key.substr(bar + 1);
    if (!DecidesAccess(keyword)) continue;
    std::string from = c->change == Change::kAdded ? "(global value)" : ValueText(c->old_data);
    std::string to = c->change == Change::kRemoved ? "(global value)" : ValueText(c->new_data);
    out.Add(HeadlineTopic::kSshdSettings,
            "sshd " + keyword + " for " + c->key.substr(0, bar) + " (Match): " + from + " -> " + to,
            false);
  }
}

SettingValue SettingOf(const Fact& fact) {
  SettingValue setting{.value = StringMember(fact.data, "value"), .origin = {}};
  const nlohmann::json& origins = Member(fact.data, "origins");
  if (origins.is_array()) {
    for (const auto& o : origins) {
      if (o.is_string())
        setting.origin += (setting.origin.empty() ? "" : ", ") + o.get<std::string>();
    }
  }
  if (BoolMember(fact.data, "is_default").value_or(false)) setting.origin = "sshd's default";
  return setting;
}

// The sshd the settings were judged for (its sshd/openssh fact): algorithm lists expand
// against its defaults.
OpensshBuild BuildOf(std::span<const Fact> root) {
  OpensshBuild build;
  for (const Fact& f : root) {
    if (f.kind != kSshdOpensshRecord.name) continue;
    if (auto version = ParseOpensshVersion(StringMember(f.data, "version"))) {
      build.version = version->version;
      build.major = version->major;
      build.minor = version->minor;
    }
  }
  return build;
}

// Both sides are first put in the form sshd -T prints (sshd_canonical.h), so an expectation
// written as configured ("LoginGraceTime 2m", "Ciphers +aes128-cbc") matches the effective
// value the fact records ("120", the assembled list), and so does a report saved before facts
// carried effective values. Then word values ("no", "prohibit-password") compare as sshd does,
// case-insensitively; anything else (paths, algorithm lists) exactly. Runs of blanks count as
// one.
bool SameSetting(std::string_view keyword, std::string_view expected, std::string_view found,
                 std::span<const Fact> root) {
  auto squeeze = [](std::string_view v) {
    std::string out;
    for (char c : v) {
      bool blank = c == ' ' || c == '\t';
      if (blank && (out.empty() || out.back() == ' ')) continue;
      out += blank ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  };
  const OpensshBuild build = BuildOf(root);
  std::string e = CanonicalSshdValue(keyword, squeeze(expected), build);
  std::string f = CanonicalSshdValue(keyword, squeeze(found), build);
  bool word = std::ranges::all_of(e, [](unsigned char c) { return std::isalpha(c) || c == '-'; });
  return word ? parse::EqualsIgnoreCase(e, f) : e == f;
}

}  // namespace

const RecordKind kSshdOpensshRecord{
    .name = "sshd/openssh",
    .key = "\"sshd\"",
    .description = "the OpenSSH build the settings were judged for (version, package, defaults)",
    .members = kSshdOpensshMembers,
    .origin_members = kSshdOpensshOrigins,
};

const RecordKind kSshdSettingRecord{
    .name = "sshd/setting",
    .key = "the keyword",
    .description = "an effective global sshd setting and the lines it came from",
    .members = kSshdSettingMembers,
    .origin_members = kSshdSettingOrigins,
    .role = RecordRole::kSshdSetting,
    .headlines = SettingHeadlines,
    .setting = SettingOf,
    .same_setting = SameSetting,
};

const RecordKind kSshdUserSettingRecord{
    .name = "sshd/user_setting",
    .key = "user|keyword",
    .description = "a setting a Match block gives one user, where it differs from the global value",
    .members = kSshdUserSettingMembers,
    .origin_members = kSshdUserSettingOrigins,
    .role = RecordRole::kSshdUserSetting,
    .headlines = UserSettingHeadlines,
    .setting = SettingOf,
    .same_setting = SameSetting,
};

const RecordKind kSshdConditionalMatchRecord{
    .name = "sshd/conditional_match",
    .key = "file|Match line",
    .description =
        "a Match block whose criteria depend on the client (address, host), not the user",
    .members = kSshdConditionalMatchMembers,
    .volatile_members = kSshdConditionalMatchVolatile,
};

const RecordKind kSshdConfigFileRecord{
    .name = "sshd/config_file",
    .key = "path",
    .description = "a file sshd reads its configuration from, with its owner and mode",
    .members = kSshdConfigFileMembers,
};

const RecordKind kSshdServiceRecord{
    .name = "sshd/service",
    .key = "\"command\"",
    .description = "how systemd starts sshd (ExecStart, options, the config file it names)",
    .members = kSshdServiceMembers,
};

}  // namespace imageprobe::probes
