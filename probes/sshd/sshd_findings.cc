// SPDX-License-Identifier: Apache-2.0
// References: sshd_config(5) (OpenSSH 9.x) PermitRootLogin, PasswordAuthentication,
// PermitEmptyPasswords, Ciphers, MACs, KexAlgorithms, HostKey, AuthorizedKeysCommand
// ("the program must be owned by root, not writable by group or others and specified by an
// absolute path"); openssh-portable misc.c safe_path (the ownership walk sshd applies to the
// command); RFC 9142 (SHA-1 key exchange deprecation), RFC 8758 (RC4); systemd.unit(5)
// [Install] and .wants/ symlinks; formats.md §3, §6a.
#include "probes/sshd/sshd_findings.h"

#include <algorithm>

#include "probes/sshd/sshd_patterns.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

const RuleInfo kSshdConfigMissing = {
    "sshd.config.missing", Severity::kHigh,
    "sshd_config is missing while openssh-server is installed",
    "sshd refuses to start without its configuration file: instances from this image cannot "
    "be reached over SSH.",
    "Restore /etc/ssh/sshd_config from the openssh-server package (e.g. `dpkg-reconfigure "
    "openssh-server` or `dnf reinstall openssh-server`) before building the image."};
const RuleInfo kSshdConfigUnparsable = {
    "sshd.config.unparsable", Severity::kHigh, "sshd_config has a line sshd rejects",
    "sshd stops at a bad option, a bad value, an Include loop or a directive not allowed in a "
    "Match block: the daemon will not start (or reload) with this configuration.",
    "Fix or remove the line; check with `sshd -t` on a test instance."};
const RuleInfo kSshdConfigUnsafePermissions = {
    "sshd.config.unsafe_permissions", Severity::kHigh,
    "sshd configuration file is writable by non-root users",
    "Whoever can write sshd_config or a file it includes controls who can log in (and as "
    "root) the next time sshd starts.",
    "chown root:root and chmod 0644 (or 0600) the file."};
const RuleInfo kSshdConfigExecutableMode = {
    "sshd.config.executable_mode", Severity::kMedium, "sshd configuration file has executable bits",
    "A configuration file with mode 0755 is the signature of an automated repair that "
    "rewrote it (as in the incident that left a minimal option set): the content was "
    "probably not reviewed.",
    "Restore the packaged file and mode 0644; review what the repair changed."};
const RuleInfo kSshdPermitRootLogin = {
    "sshd.permit_root_login", Severity::kHigh, "PermitRootLogin yes: sshd offers root every method",
    "PermitRootLogin yes accepts every authentication method for root, passwords included. "
    "Whether root can log in with a password now is users.login.password (sshd's verdict "
    "for the account); this rule is about the configuration, which holds for every password "
    "a later step sets.",
    "Set PermitRootLogin prohibit-password (or no) and use a named account with sudo."};
const RuleInfo kSshdPasswordAuthentication = {
    "sshd.password_authentication", Severity::kMedium, "sshd accepts password logins",
    "Passwords can be guessed and sprayed; cloud images are expected to use keys only.",
    "Set PasswordAuthentication no (check drop-ins such as 50-cloud-init.conf, which are read "
    "first and win)."};
const RuleInfo kSshdPermitEmptyPasswords = {
    "sshd.permit_empty_passwords", Severity::kCritical, "sshd accepts empty passwords",
    "Any account without a password can log in with nothing at all.",
    "Set PermitEmptyPasswords no."};
const RuleInfo kSshdWeakAlgorithms = {
    "sshd.weak_algorithms", Severity::kMedium, "sshd offers weak cryptographic algorithms",
    "CBC ciphers, RC4, MD5 and truncated MACs, and SHA-1 key exchange are deprecated "
    "(RFC 8758, RFC 9142) and allow downgrade or plaintext-recovery attacks.",
    "Remove them from Ciphers / MACs / KexAlgorithms, or drop the setting to use OpenSSH's "
    "defaults."};
const RuleInfo kSshdHostKeyMissing = {
    "sshd.host_key_missing", Severity::kMedium, "a HostKey named in sshd_config is missing",
    "sshd logs an error for every missing host key and refuses to start when none loads.",
    "Remove the HostKey line or make sure the key is generated at first boot."};
const RuleInfo kSshdAuthorizedKeysCommandMissing = {
    "sshd.authorized_keys_command.missing", Severity::kHigh,
    "AuthorizedKeysCommand points at a missing program",
    "sshd cannot run the command, so the keys it would supply (EC2 Instance Connect, IAM, "
    "LDAP) are never accepted.",
    "Install the package that provides the program, or remove the setting (and the systemd "
    "drop-in that passes it with -o)."};
const RuleInfo kSshdAuthorizedKeysCommandUnsafe = {
    "sshd.authorized_keys_command.unsafe", Severity::kHigh,
    "AuthorizedKeysCommand is not root-owned or is writable by others",
    "sshd refuses a command that is not owned by root, not absolute, or writable by group or "
    "others along its path; if it ran it, its owner could authorise any key.",
    "chown root:root and chmod 0755 the program and every directory above it."};
const RuleInfo kSshdServiceNotEnabled = {
    "sshd.service.not_enabled", Severity::kMedium,
    "openssh-server is installed but its systemd unit is not enabled",
    "No .wants/ symlink starts ssh.service, sshd.service or ssh.socket: instances boot "
    "without an SSH server.",
    "systemctl enable ssh (Debian/Ubuntu) or sshd (RHEL/Amazon Linux) in the image build."};

namespace {
const std::array kRules = {
    kSshdConfigMissing,
    kSshdConfigUnparsable,
    kSshdConfigUnsafePermissions,
    kSshdConfigExecutableMode,
    kSshdPermitRootLogin,
    kSshdPasswordAuthentication,
    kSshdPermitEmptyPasswords,
    kSshdWeakAlgorithms,
    kSshdHostKeyMissing,
    kSshdAuthorizedKeysCommandMissing,
    kSshdAuthorizedKeysCommandUnsafe,
    kSshdServiceNotEnabled,
};
}  // namespace

std::span<const RuleInfo> SshdConfigRules() { return kRules; }

std::vector<std::string> WeakAlgorithms(std::string_view keyword,
                                        const std::vector<std::string>& names) {
  std::vector<std::string_view> weak;
  if (parse::EqualsIgnoreCase(keyword, "Ciphers")) {
    weak = {"*-cbc", "3des*", "arcfour*", "blowfish*", "cast128*", "rijndael-cbc*"};
  } else if (parse::EqualsIgnoreCase(keyword, "MACs")) {
    weak = {"hmac-md5*", "*-96", "*-96-etm@openssh.com", "hmac-ripemd160*", "umac-32*"};
  } else if (parse::EqualsIgnoreCase(keyword, "KexAlgorithms")) {
    weak = {"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
            "diffie-hellman-group-exchange-sha1", "gss-group1-sha1-*", "gss-gex-sha1-*"};
  }
  std::vector<std::string> out;
  for (const std::string& name : names) {
    if (std::any_of(weak.begin(), weak.end(),
                    [&](std::string_view p) { return MatchSshPattern(name, p); })) {
      out.push_back(name);
    }
  }
  return out;
}

std::vector<std::string> EffectiveAlgorithms(const SshdSetting& setting) {
  if (setting.is_default()) {
    std::vector<std::string> names;
    for (std::string_view name : parse::SplitFields(setting.keyword->default_value, ',')) {
      names.emplace_back(name);
    }
    return names;
  }
  std::string_view spec = setting.First();
  AlgorithmList list = AssembleAlgorithms(spec, setting.keyword->default_value,
                                          SupportedAlgorithms(setting.keyword->name));
  // Names this build does not know (arcfour, blowfish-cbc on older sshd) still count: the
  // image's own sshd may be older and accept them.
  for (std::string& name : list.unknown) {
    if (spec.empty() || spec.front() != '-') list.names.push_back(std::move(name));
  }
  return list.names;
}

namespace {

std::string Octal(uint32_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", mode & 07777);
  return buffer;
}

std::string Origin(const SshdSetting& setting) {
  return setting.values.empty() ? "default" : setting.values.front().origin.Describe();
}

Finding At(const SshdOrigin& origin) {
  Finding finding;
  if (origin.kind != SshdOrigin::Kind::kDefault) finding.path = origin.file;
  if (origin.kind == SshdOrigin::Kind::kFile) finding.line = origin.line;
  return finding;
}

void CheckFileModes(const SshdConfig& config, const Filesystem& fs, Output& out) {
  // The directories holding the files: whoever can write there can add or replace a drop-in.
  std::vector<std::string> dirs;
  for (const std::string& path : config.files_read()) {
    std::string dir = path.substr(0, path.rfind('/'));
    if (dir.empty()) dir = "/";
    if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
  }
  for (const std::string& dir : dirs) {
    FsResult<FileStat> stat = fs.Stat(dir);
    if (!stat || ((stat->mode & 022) == 0 && stat->uid == 0)) continue;
    Finding finding;
    finding.path = dir;
    finding.title =
        "directory " + dir + " holding sshd configuration is writable by non-root users";
    finding.evidence = "mode " + Octal(stat->mode) + ", owner uid " + std::to_string(stat->uid);
    out.Raise(kSshdConfigUnsafePermissions, std::move(finding));
  }
  for (const std::string& path : config.files_read()) {
    FsResult<FileStat> stat = fs.Stat(path);
    if (!stat) continue;
    std::string mode = Octal(stat->mode);
    if ((stat->mode & 022) != 0 || stat->uid != 0) {
      Finding finding;
      finding.path = path;
      finding.title = path + " is writable by non-root users";
      finding.evidence = "mode " + mode + ", owner uid " + std::to_string(stat->uid) + ", gid " +
                         std::to_string(stat->gid);
      out.Raise(kSshdConfigUnsafePermissions, std::move(finding));
    }
    if ((stat->mode & 0111) != 0) {
      Finding finding;
      finding.path = path;
      finding.title = path + " has executable bits (mode " + mode + ")";
      finding.evidence = "mode " + mode;
      out.Raise(kSshdConfigExecutableMode, std::move(finding));
    }
  }
}

// The Match block a directive at `origin` sits in ("Match Group admins"), or "".
std::string BlockOf(const SshdConfig& config, const SshdOrigin& origin) {
  for (const SshdDirective& directive : config.parsed.directives) {
    if (directive.origin.file != origin.file || directive.origin.line != origin.line) continue;
    if (directive.conditions.empty()) return {};
    return "Match " + config.parsed.match_blocks[directive.conditions.back()].text;
  }
  return {};
}

// One finding for the global value, and one per Match-block line that turns the setting on
// for some users (listing them), rather than one per user.
void CheckSetting(const SshdConfig& config, const std::vector<SshdUserOverride>& overrides,
                  std::string_view keyword, std::string_view bad_value, const RuleInfo& rule,
                  Output& out) {
  const SshdSetting* global = config.Global(keyword);
  bool global_bad = global != nullptr && parse::EqualsIgnoreCase(global->First(), bad_value);
  if (global_bad) {
    Finding finding = At(global->values.front().origin);
    finding.evidence =
        std::string(keyword) + " " + std::string(global->First()) + " (" + Origin(*global) + ")";
    out.Raise(rule, std::move(finding), keyword);
  }
  struct Group {
    SshdOrigin origin;
    std::string value;
    std::vector<std::string> users;
  };
  std::vector<Group> groups;
  for (const auto& [user, mine] : overrides) {
    if (keyword == "PermitRootLogin" && user->passwd.name != "root") continue;
    auto it = mine.settings.find(keyword);
    if (it == mine.settings.end() || !parse::EqualsIgnoreCase(it->second.First(), bad_value))
      continue;
    const SshdOrigin& origin = it->second.values.front().origin;
    if (global_bad && origin.Describe() == Origin(*global)) continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.origin.Describe() == origin.Describe();
    });
    if (group == groups.end()) {
      groups.push_back({origin, std::string(it->second.First()), {}});
      group = groups.end() - 1;
    }
    group->users.push_back(user->passwd.name);
  }
  for (const Group& group : groups) {
    Finding finding = At(group.origin);
    std::string block = BlockOf(config, group.origin);
    std::string names;
    for (size_t i = 0; i < group.users.size() && i < 10; ++i) {
      names += (i == 0 ? "" : ", ") + group.users[i];
    }
    if (group.users.size() > 10)
      names += " and " + std::to_string(group.users.size() - 10) + " more";
    if (group.users.size() == 1) finding.user = group.users.front();
    finding.title = std::string(rule.title) + " for " + names;
    finding.evidence = std::string(keyword) + " " + group.value + " (" + group.origin.Describe() +
                       (block.empty() ? "" : ", " + block) + ")";
    out.Raise(rule, std::move(finding), std::string(keyword) + "|" + block);
  }
}

void CheckAlgorithms(const SshdConfig& config, Output& out) {
  for (std::string_view keyword : {"Ciphers", "MACs", "KexAlgorithms"}) {
    const SshdSetting* setting = config.Global(keyword);
    if (setting == nullptr) continue;
    std::vector<std::string> weak = WeakAlgorithms(keyword, EffectiveAlgorithms(*setting));
    if (weak.empty()) continue;
    Finding finding = At(setting->values.front().origin);
    finding.title = "sshd offers weak " + std::string(keyword) + ": " + parse::Join(weak, ",");
    finding.evidence =
        std::string(keyword) + " " + setting->Joined() + " (" + Origin(*setting) + ")";
    out.Raise(kSshdWeakAlgorithms, std::move(finding), keyword);
  }
}

void CheckHostKeys(const SshdConfig& config, const Filesystem& fs, Output& out) {
  const SshdSetting* keys = config.Global("HostKey");
  if (keys == nullptr || keys->is_default()) return;  // defaults are generated at first boot
  for (const SshdValue& value : keys->values) {
    if (value.args.empty()) continue;
    const std::string& path = value.args.front();
    if (path.empty() || path.front() != '/' || fs.Stat(path).has_value()) continue;
    Finding finding = At(value.origin);
    finding.title = "HostKey " + path + " does not exist";
    finding.evidence = "HostKey " + path + " (" + value.origin.Describe() + ")";
    out.Raise(kSshdHostKeyMissing, std::move(finding), path);
  }
}

// What is wrong with the command at `path` for sshd (misc.c safe_path with uid 0), or "".
std::string UnsafeCommandReason(const Filesystem& fs, const std::string& path) {
  FsResult<std::string> physical = fs.Resolve(path);
  if (!physical) return {};
  std::string current = *physical;
  while (true) {
    FsResult<FileStat> stat = fs.Lstat(current);
    if (!stat) return {};
    if (stat->uid != 0) {
      return current + " is owned by uid " + std::to_string(stat->uid) + ", not root";
    }
    if ((stat->mode & 022) != 0) {
      return current + " is group- or world-writable (mode " + Octal(stat->mode) + ")";
    }
    if (current == "/") return {};
    size_t slash = current.rfind('/');
    current = slash == 0 ? "/" : current.substr(0, slash);
  }
}

void CheckAuthorizedKeysCommands(const SshdConfig& config,
                                 const std::vector<SshdUserOverride>& overrides,
                                 const Filesystem& fs, Output& out) {
  std::vector<SshdAuthorizedKeysCommand> commands;
  auto add = [&](std::optional<SshdAuthorizedKeysCommand> command) {
    if (!command || command->command.empty()) return;
    bool seen = std::any_of(commands.begin(), commands.end(), [&](const auto& c) {
      return c.command.front() == command->command.front();
    });
    if (!seen) commands.push_back(std::move(*command));
  };
  add(AuthorizedKeysCommandIn(config.global));
  for (const auto& [user, settings] : overrides) {
    add(AuthorizedKeysCommandIn(settings.settings));
  }
  for (const SshdAuthorizedKeysCommand& command : commands) {
    const std::string& program = command.command.front();
    Finding finding = At(command.origin);
    finding.evidence = "AuthorizedKeysCommand " + program + " (" + command.origin.Describe() + ")";
    if (program.empty() || program.front() != '/') {
      finding.title = "AuthorizedKeysCommand " + program + " is not an absolute path";
      out.Raise(kSshdAuthorizedKeysCommandUnsafe, std::move(finding), program);
      continue;
    }
    FsResult<FileStat> stat = fs.Stat(program);
    if (!stat) {
      finding.title = "AuthorizedKeysCommand " + program + " does not exist in the image";
      out.Raise(kSshdAuthorizedKeysCommandMissing, std::move(finding), program);
      continue;
    }
    std::string reason = UnsafeCommandReason(fs, program);
    if (!reason.empty()) {
      finding.title = "AuthorizedKeysCommand " + program + " is unsafe: " + reason;
      finding.evidence += "; " + reason;
      out.Raise(kSshdAuthorizedKeysCommandUnsafe, std::move(finding), program);
    }
  }
}

// True when some /etc/systemd/system/*.wants/ holds a link for sshd's unit or socket.
bool SshdUnitEnabled(const Filesystem& fs) {
  FsResult<std::vector<DirEntry>> dirs = fs.ListDir("/etc/systemd/system");
  if (!dirs) return false;
  for (const DirEntry& dir : *dirs) {
    if (!dir.name.ends_with(".wants")) continue;
    FsResult<std::vector<DirEntry>> links = fs.ListDir("/etc/systemd/system/" + dir.name);
    if (!links) continue;
    for (const DirEntry& link : *links) {
      if (link.name == "ssh.service" || link.name == "sshd.service" || link.name == "ssh.socket" ||
          link.name == "sshd.socket") {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void EvaluateSshdFindings(const SshdConfig& config, const std::vector<SshdUserOverride>& overrides,
                          const Filesystem& fs, Output& out) {
  if (!config.present) {
    if (config.server_installed) {
      Finding finding;
      finding.path = config.config_path;
      finding.evidence = "/usr/sbin/sshd exists, " + config.config_path + " does not";
      out.Raise(kSshdConfigMissing, std::move(finding));
    }
  }
  for (const SshdProblem& problem : config.parsed.problems) {
    if (!problem.fatal) continue;
    if (problem.line == 0 && problem.file == config.config_path && !config.present) continue;
    Finding finding;
    finding.path = problem.file;
    if (problem.line != 0) finding.line = problem.line;
    finding.title = "sshd rejects " + problem.file +
                    (problem.line != 0 ? " line " + std::to_string(problem.line) : "") + ": " +
                    problem.message;
    finding.evidence = problem.message;
    out.Raise(kSshdConfigUnparsable, std::move(finding), problem.message);
  }
  CheckFileModes(config, fs, out);
  CheckSetting(config, overrides, "PermitRootLogin", "yes", kSshdPermitRootLogin, out);
  CheckSetting(config, overrides, "PasswordAuthentication", "yes", kSshdPasswordAuthentication,
               out);
  CheckSetting(config, overrides, "PermitEmptyPasswords", "yes", kSshdPermitEmptyPasswords, out);
  CheckAlgorithms(config, out);
  CheckHostKeys(config, fs, out);
  CheckAuthorizedKeysCommands(config, overrides, fs, out);
  if (config.server_installed && fs.Exists("/etc/systemd/system") && !SshdUnitEnabled(fs)) {
    Finding finding;
    finding.path = "/etc/systemd/system";
    finding.evidence =
        "no ssh.service, sshd.service or ssh.socket link in "
        "/etc/systemd/system/*.wants/";
    out.Raise(kSshdServiceNotEnabled, std::move(finding));
  }
}

}  // namespace imageprobe::probes
