// SPDX-License-Identifier: Apache-2.0
// sshd_config read as sshd reads it: the main file with its Include tree expanded in place,
// every directive tagged with the Match blocks it sits in, and the `-o` options of the command
// line first. Pure: files and globs come through SshdConfigSource, so the parser can be tested
// on strings and fuzzed. What each directive means for a user is sshd_effective.h's job.
//
// References: sshd_config(5) (OpenSSH 9.x) Include, Match; sshd(8) -o, -f; servconf.c
// (parse_server_config_depth, process_server_config_line_depth sInclude/sMatch,
// SERVCONF_MAX_DEPTH, SSHCFG_NEVERMATCH), pathnames.h SSHDIR.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "probes/sshd/sshd_keywords.h"

namespace imageprobe::probes {

// Where a value came from. Describe(): "/etc/ssh/sshd_config:12", "default",
// "systemd drop-in /lib/systemd/system/ssh.service.d/ec2-instance-connect.conf".
struct SshdOrigin {
  enum class Kind { kDefault, kFile, kCommandLine };
  Kind kind = Kind::kDefault;
  std::string file;   // the config file, or the unit file / drop-in that passed `-o`
  uint32_t line = 0;  // 1-based line in `file` (0 for defaults)
  std::string Describe() const;
};

// One `Match` line. sshd ANDs its criteria.
struct SshdMatchBlock {
  struct Criterion {
    std::string attribute;  // lower case: "user", "group", "host", "address", "localaddress",
                            // "localport", "rdomain"
    std::string patterns;   // as written: "alice,!bob,adm*"
  };
  bool all = false;  // "Match All"
  std::vector<Criterion> criteria;
  SshdOrigin origin;
  std::string text;  // the criteria as written, for reports
};

// One effective-candidate line: a known keyword with its arguments.
struct SshdDirective {
  const SshdKeyword* keyword = nullptr;  // never null
  std::vector<std::string> args;
  SshdOrigin origin;
  // Indices into SshdParsedConfig::match_blocks that must ALL match for the line to apply:
  // the block it sits in, and the blocks of the Include lines that led to its file (an
  // Include inside a Match block that does not match makes every Match of the included file
  // never match, SSHCFG_NEVERMATCH). Empty: a global line.
  std::vector<uint32_t> conditions;
};

struct SshdProblem {
  std::string file;
  uint32_t line = 0;  // 0: about the file as a whole
  std::string message;
  bool fatal = true;  // sshd refuses to start (bad option, bad value); false: logged only
};

// A `-o` option from the command line that starts sshd.
struct SshdCommandLineOption {
  std::string text;    // "AuthorizedKeysCommand /opt/aws/bin/eic_run_authorized_keys %u %f"
  std::string source;  // the unit file or drop-in that sets it
};

// What the parser needs from the image. Paths are guest-absolute.
class SshdConfigSource {
 public:
  virtual ~SshdConfigSource() = default;
  // The file's content, or a message ("not found", "too large").
  virtual std::expected<std::string, std::string> Read(std::string_view path) const = 0;
  // The paths matching a glob(3) pattern, sorted; no match is an empty list.
  virtual std::vector<std::string> Glob(std::string_view pattern) const = 0;
};

struct SshdParsedConfig {
  std::string main_path;                  // "/etc/ssh/sshd_config"
  bool main_present = false;              // the main file could be read
  std::vector<SshdDirective> directives;  // command line first, then file order
  std::vector<SshdMatchBlock> match_blocks;
  std::vector<std::string> files_read;  // main file and every included file, in read order
  std::vector<SshdProblem> problems;
};

struct SshdParseOptions {
  uint32_t max_include_depth = 16;  // SERVCONF_MAX_DEPTH
  size_t max_files = 10'000;        // files read in one tree (a glob with many matches)
  // sshd tilde-expands AuthorizedKeysFile and AuthorizedPrincipalsFile when it reads them,
  // for the uid it runs as (root): "~/.ssh/keys" is root's, not the connecting user's, and
  // "~name/keys" is name's home from the image's passwd (an unknown name stops sshd).
  std::string root_home = "/root";
  std::map<std::string, std::string, std::less<>> homes;  // user name -> home
};

// misc.c tilde_expand(): "~", "~/", "~//x" -> root_home; "~name[/x]" -> that user's home;
// slashes after the "~" part collapse. Nothing when the user is unknown (sshd exits).
std::optional<std::string> ExpandSshdTilde(std::string_view arg, const SshdParseOptions& options);

// Reads `main_path` and everything it includes through `source`. Relative Include paths are
// taken under /etc/ssh (SSHDIR), as sshd does, whatever directory the main file is in.
SshdParsedConfig ParseSshdConfigTree(const SshdConfigSource& source, std::string_view main_path,
                                     std::span<const SshdCommandLineOption> command_line,
                                     const SshdParseOptions& options = {});

// Parses one `Match` line's criteria (the text after "Match"). nullopt with `error` set for a
// line sshd rejects (unknown attribute, missing pattern, "All" combined with others).
std::optional<SshdMatchBlock> ParseSshdMatch(std::string_view text, std::string& error);

}  // namespace imageprobe::probes
