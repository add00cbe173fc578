// SPDX-License-Identifier: Apache-2.0
// One sshd_config line split the way sshd splits it (servconf.c
// process_server_config_line_depth: strdelim for the keyword, misc.c argv_split for the
// arguments). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

struct SshdLineTokens {
  enum class Kind { kBlank, kDirective, kError };
  Kind kind = Kind::kBlank;        // kBlank: empty, whitespace only, or a comment
  std::string keyword;             // as written ("permitrootlogin")
  std::string rest;                // the raw text after keyword and separator (Match uses it)
  std::vector<std::string> args;   // quotes removed, escapes resolved, "#…" comment dropped
  std::string error;               // kError: "no argument after keyword", "invalid quotes"
};

// Splits one line (without its "\n"). Like sshd, which reads lines as C strings, the line ends
// at a NUL byte; trailing whitespace (including "\r" and "\f") is ignored; the keyword ends at
// whitespace, a quote or "=", and a single "=" may separate keyword and value.
SshdLineTokens TokenizeSshdLine(std::string_view line);

// misc.c argv_split(s, …, terminate_on_comment=1): whitespace-separated words, "…" and '…'
// quoting, backslash escapes of quotes, backslash and (outside quotes) space. Returns false on
// an unterminated quote.
bool SplitSshdArgs(std::string_view text, std::vector<std::string>& args);

}  // namespace imageprobe::probes
