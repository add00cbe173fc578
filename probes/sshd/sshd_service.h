// SPDX-License-Identifier: Apache-2.0
// How systemd starts sshd: the ExecStart= that wins after the unit file and its drop-ins, and
// the sshd options it passes. `-o` options are processed before sshd_config and so win over it
// (the EC2 Instance Connect drop-ins rely on this); `-f` names another config file. Pure.
#pragma once

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
  std::string exec_start;        // the winning ExecStart= value, as written ("" when none)
  std::string exec_start_file;   // the file it came from
  std::vector<std::string> argv; // after systemd's quoting and %% unescaping
  std::vector<SshdCommandLineOption> options;  // -o, -p (Port), -h (HostKey), in order
  std::string config_file;       // -f, empty when not given
  std::vector<std::string> notes;  // e.g. "$SSHD_OPTS from the environment not expanded"
};

// `files`: the unit file first, then its drop-ins in the order systemd applies them. An empty
// `ExecStart=` clears the earlier ones; the last one left is the command.
SshdServiceCommand ParseSshdServiceCommand(std::span<const UnitFileText> files);

// systemd.service(5) "Command lines": words, "…"/'…' quoting, C escapes, %% -> %.
std::vector<std::string> SplitSystemdCommandLine(std::string_view command);

}  // namespace imageprobe::probes
