// SPDX-License-Identifier: Apache-2.0
// The handful of sshd settings the access verdict reads, for one user (Match blocks applied),
// each with the line that set it so every decision can cite its source.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probes/sshd/sshd_effective.h"

namespace imageprobe::probes::access {

struct SettingLine {
  std::string value;   // one argument as written
  std::string source;  // "file:line", "systemd drop-in …", or "default"
};

class AccessSettings {
 public:
  explicit AccessSettings(const SshdSettings& settings) : settings_(settings) {}

  // The first argument, lower-cased ("yes", "prohibit-password"); "" when unset.
  std::string Value(std::string_view keyword) const;
  bool Yes(std::string_view keyword) const { return Value(keyword) == "yes"; }
  // Where the value comes from: "file:line", "default", or "" when unset.
  std::string Source(std::string_view keyword) const;
  // "Keyword value (file:line)", for reasons.
  std::string Cite(std::string_view keyword) const;
  // Every argument of every line (AllowUsers, AuthenticationMethods…), with its line.
  std::vector<SettingLine> Lines(std::string_view keyword) const;

 private:
  const SshdSetting* Find(std::string_view keyword) const;
  const SshdSettings& settings_;
};

}  // namespace imageprobe::probes::access
