// SPDX-License-Identifier: Apache-2.0
// The IdentityFile lines of an ssh client configuration (~/.ssh/config, /etc/ssh/ssh_config):
// which private key files the client offers, so the secrets probe can tell which keys found in
// the image are in use. Pure: text in, structs out.
//
// References: ssh_config(5) (keyword/argument syntax with optional "=", case-insensitive
// keywords, double-quoted arguments, Host and Match blocks, IdentityFile, TOKENS: %d home
// directory, %u local user, %% a literal "%"; "~" the user's home); OpenSSH readconf.c
// (process_config_line), misc.c (tilde_expand, percent_expand).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/common/user_db.h"

namespace imageprobe::probes {

struct IdentityFileLine {
  uint32_t line = 0;
  std::string block;  // "Host a b" / "Match …" the line sits in; empty at the top
  std::string path;   // as written, quotes removed
};

struct SshClientConfigParse {
  std::vector<IdentityFileLine> identity_files;
  std::vector<parse::ParseProblem> problems;
};
SshClientConfigParse ParseSshClientConfig(std::string_view text);

// The file an IdentityFile names for a local user: "~" and %d become the home, %u the user,
// %% a "%". nullopt when it depends on the connection (%h, %r, %p, …), is "none", or stays
// relative (ssh takes it from the working directory, unknown offline).
std::optional<std::string> ExpandIdentityFile(std::string_view path, std::string_view user,
                                              std::string_view home);

}  // namespace imageprobe::probes
