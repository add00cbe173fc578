// SPDX-License-Identifier: Apache-2.0
// How systemd starts sshd: the ExecStart= that wins after the unit file and its drop-ins, and
// the sshd options it passes. `-o` options are processed before sshd_config and so win over it
// (the EC2 Instance Connect drop-ins rely on this); `-f` names another config file. Pure.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "probes/sshd/sshd_config_parser.h"

namespace imageprobe::probes {

struct UnitFileText {
  std::string path;  // guest path of the unit file or drop-in
  std::string text;
};

struct SshdServiceCommand {
  std::string exec_start;         // the winning ExecStart= value, as written ("" when none)
  std::string exec_start_file;    // the file it came from
  std::vector<std::string> argv;  // after systemd's quoting and %% unescaping
  std::vector<SshdCommandLineOption> options;  // -o, -p (Port), -h (HostKey), in order
  std::string config_file;                     // -f, empty when not given
  std::vector<std::string> notes;              // e.g. "$SSHD_OPTS is not set"
};

// The EnvironmentFile= paths of the [Service] sections, in order ("-" prefix removed): the
// caller reads them and passes their variables to ParseSshdServiceCommand.
std::vector<std::string> SshdEnvironmentFiles(std::span<const UnitFileText> files);

// KEY=VALUE lines of an EnvironmentFile (systemd.exec(5)): comments, blank lines, "export"
// and surrounding quotes handled; later assignments win.
std::map<std::string, std::string> ParseEnvironmentFile(std::string_view text);

// `files`: the unit file first, then its drop-ins in the order systemd applies them. An empty
// `ExecStart=` clears the earlier ones; the last one left is the command.
// `environment`: variables from the EnvironmentFile= files, which override Environment=.
// "$VAR" words are replaced by the value split at whitespace, "${VAR}" inside a word by the
// value, as systemd does.
SshdServiceCommand ParseSshdServiceCommand(
    std::span<const UnitFileText> files,
    const std::map<std::string, std::string>& environment = {});

// systemd.service(5) "Command lines" as sshd's unit needs them: words, "…"/'…' quoting, C escapes,
// %% -> %. (probes/aws/systemd_exec_start.h has the full splitter with prefixes and $$; the two
// should become one.)
std::vector<std::string> SplitServiceCommandWords(std::string_view command);

}  // namespace imageprobe::probes
