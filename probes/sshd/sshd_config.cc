// SPDX-License-Identifier: Apache-2.0
// References: sshd(8) FILES and -f/-o; sshd_config(5) AuthorizedKeysFile TOKENS;
// systemd.unit(5) unit search path and drop-ins; openssh-portable auth.c
// (expand_authorized_keys), misc.c (percent_expand); formats.md §3, §6a.
#include "probes/sshd/sshd_config.h"

#include <algorithm>
#include <map>

#include "probes/sshd/sshd_fs_source.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

const SshdSetting* SshdConfig::Global(std::string_view keyword) const {
  const SshdKeyword* known = FindSshdKeyword(keyword);
  if (known == nullptr) return nullptr;
  auto it = global.find(known->name);
  return it == global.end() ? nullptr : &it->second;
}

SshdUserSettings SshdConfig::EffectiveFor(std::string_view user,
                                          const std::vector<std::string>& groups) const {
  return EvaluateSshdForUser(parsed, global, user, groups);
}

SshdAuthorizedKeysFiles SshdConfig::AuthorizedKeysFiles(
    std::string_view user, const std::vector<std::string>& groups) const {
  return AuthorizedKeysFilesIn(EffectiveFor(user, groups).settings);
}

SshdAuthorizedKeysFiles AuthorizedKeysFilesIn(const SshdSettings& settings) {
  SshdAuthorizedKeysFiles out;
  auto it = settings.find("AuthorizedKeysFile");
  if (it == settings.end() || it->second.values.empty()) return out;
  out.origin = it->second.values.front().origin;
  out.patterns = it->second.AllArgs();
  // auth2-pubkeyfile.c skips every "none" entry; "AuthorizedKeysFile none" disables the files.
  std::erase_if(out.patterns,
                [](const std::string& p) { return parse::EqualsIgnoreCase(p, "none"); });
  return out;
}

std::optional<SshdAuthorizedKeysCommand> SshdConfig::AuthorizedKeysCommand(
    std::string_view user, const std::vector<std::string>& groups) const {
  return AuthorizedKeysCommandIn(EffectiveFor(user, groups).settings);
}

std::optional<SshdAuthorizedKeysCommand> AuthorizedKeysCommandIn(const SshdSettings& settings) {
  auto command = settings.find("AuthorizedKeysCommand");
  if (command == settings.end() || command->second.values.empty()) return std::nullopt;
  std::vector<std::string> args = command->second.AllArgs();
  if (args.empty() || parse::EqualsIgnoreCase(args.front(), "none")) return std::nullopt;
  SshdAuthorizedKeysCommand out{std::move(args), command->second.values.front().origin, {}, {}};
  auto run_as = settings.find("AuthorizedKeysCommandUser");
  if (run_as != settings.end() && !run_as->second.values.empty() &&
      !parse::EqualsIgnoreCase(run_as->second.First(), "none")) {
    out.user = std::string(run_as->second.First());
    out.user_origin = run_as->second.values.front().origin;
  }
  return out;
}

bool SshdConfig::StrictModes() const {
  const SshdSetting* setting = Global("StrictModes");
  return setting == nullptr || !parse::EqualsIgnoreCase(setting->First(), "no");
}

std::vector<SshdUserOverride> UsersWithMatchOverrides(const SshdConfig& config,
                                                      const UserDb& users) {
  std::vector<SshdUserOverride> out;
  if (config.parsed.match_blocks.empty()) return out;
  for (const User& user : users.users) {
    // Cheap test first: most users match no block, and a full evaluation copies every setting.
    bool any = std::any_of(config.parsed.match_blocks.begin(), config.parsed.match_blocks.end(),
                           [&](const SshdMatchBlock& block) {
                             return MatchSshdBlock(block, user.passwd.name, user.groups) ==
                                    SshdMatchResult::kYes;
                           });
    if (!any) continue;
    out.push_back({&user, config.EffectiveFor(user.passwd.name, user.groups)});
  }
  return out;
}

std::optional<std::string> ExpandAuthorizedKeysPath(std::string_view pattern, std::string_view user,
                                                    uint32_t uid, std::string_view home) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      out.push_back(pattern[i]);
      continue;
    }
    if (i + 1 >= pattern.size()) return std::nullopt;
    switch (pattern[++i]) {
      case '%':
        out.push_back('%');
        break;
      case 'h':
        out.append(home);
        break;
      case 'u':
        out.append(user);
        break;
      case 'U':
        out.append(std::to_string(uid));
        break;
      default:
        return std::nullopt;
    }
  }
  if (out.empty() || out.front() != '/') {
    std::string base(home);
    if (base.empty() || base.back() != '/') base.push_back('/');
    out = base + out;
  }
  return out;
}

namespace {

// Unit search path (systemd.unit(5)), highest priority first.
constexpr std::string_view kUnitDirs[] = {"/etc/systemd/system", "/usr/lib/systemd/system",
                                          "/lib/systemd/system"};

// The unit file and its drop-ins for sshd: ssh.service on Debian/Ubuntu, sshd.service
// elsewhere. Drop-ins of both names are applied (Debian aliases sshd.service to ssh.service),
// ordered by file name; a drop-in in /etc masks one of the same name further down.
std::vector<UnitFileText> ReadSshdUnits(const Filesystem& fs, const ScanLimits& limits,
                                        std::vector<Diagnostic>& diagnostics) {
  std::vector<UnitFileText> files;
  std::string main_unit;
  for (std::string_view name : {"ssh.service", "sshd.service"}) {
    for (std::string_view dir : kUnitDirs) {
      std::string path = std::string(dir) + "/" + std::string(name);
      if (FsResult<FileStat> stat = fs.Stat(path); stat && stat->IsRegular()) {
        main_unit = path;
        break;
      }
    }
    if (!main_unit.empty()) break;
  }
  auto read = [&](const std::string& path) {
    FsResult<std::string> text = fs.ReadFile(path, limits.max_file_bytes);
    if (!text) {
      diagnostics.push_back({"", path, text.error().Message()});
      return;
    }
    files.push_back({path, std::move(*text)});
  };
  if (!main_unit.empty()) read(main_unit);
  std::map<std::string, std::string> dropins;  // file name -> path (first dir wins)
  for (std::string_view name : {"ssh.service.d", "sshd.service.d"}) {
    for (std::string_view dir : kUnitDirs) {
      std::string path = std::string(dir) + "/" + std::string(name);
      FsResult<std::vector<DirEntry>> entries = fs.ListDir(path);
      if (!entries) continue;
      for (const DirEntry& entry : *entries) {
        if (!entry.name.ends_with(".conf")) continue;
        dropins.emplace(entry.name, path + "/" + entry.name);
      }
    }
  }
  for (const auto& [name, path] : dropins) read(path);
  return files;
}

}  // namespace

SshdConfig CollectSshdConfig(const Filesystem& fs, const ScanLimits& limits, const OsInfo* os,
                             const RpmDatabase* rpm) {
  SshdConfig config;
  config.build = CollectOpensshBuild(fs, limits, os, rpm);
  // /usr/sbin/sshd on Debian, RHEL, Amazon Linux, SUSE; /usr/bin/sshd on Arch (merged sbin).
  config.server_installed = fs.Exists("/usr/sbin/sshd") || fs.Exists("/usr/bin/sshd");
  std::vector<UnitFileText> units = ReadSshdUnits(fs, limits, config.diagnostics);
  for (const UnitFileText& unit : units) config.unit_files.push_back(unit.path);
  std::map<std::string, std::string> environment;
  for (const std::string& path : SshdEnvironmentFiles(units)) {
    // Missing EnvironmentFile= paths are normal ("-/etc/default/ssh").
    FsResult<std::string> text = fs.ReadFile(path, limits.max_file_bytes);
    if (!text) continue;
    config.unit_files.push_back(path);
    for (auto& [key, value] : ParseEnvironmentFile(*text)) environment[key] = std::move(value);
  }
  config.service = ParseSshdServiceCommand(units, environment);
  config.config_path = std::string(kSshdConfigPath);
  if (!config.service.config_file.empty() && config.service.config_file.front() == '/') {
    config.config_path = NormaliseGuestPath(config.service.config_file);
  }
  FilesystemConfigSource source(fs, limits);
  SshdParseOptions options;
  options.max_include_depth = limits.max_include_depth;
  if (FsResult<std::string> passwd = fs.ReadFile("/etc/passwd", limits.max_file_bytes)) {
    // getpwuid(0) and getpwnam(name): the first matching line wins, as in glibc's files db.
    bool have_uid0 = false;
    for (const parse::PasswdEntry& entry : parse::ParsePasswd(*passwd).entries) {
      if (entry.uid == 0 && !have_uid0) {
        options.root_home = entry.home;
        have_uid0 = true;
      }
      options.homes.try_emplace(entry.name, entry.home);
    }
  }
  options.max_files = limits.max_dir_entries;
  config.parsed = ParseSshdConfigTree(source, config.config_path, config.service.options, options);
  for (const FsError& limited : source.limited_listings()) {
    config.diagnostics.push_back(
        {"", limited.path, "Include glob not expanded: " + limited.Message()});
  }
  // Present means "exists": an unreadable file is a read error, not a missing config.
  config.present = config.parsed.main_present || fs.Stat(config.config_path).has_value();
  config.global = EvaluateSshdGlobal(config.parsed, config.build);
  return config;
}

const SshdConfig& SshdConfigOf(const Target& target) {
  return target.context.Memo<SshdConfig>([&] {
    return CollectSshdConfig(target.fs, target.limits, &target.os, &RpmPackagesOf(target));
  });
}

}  // namespace imageprobe::probes
