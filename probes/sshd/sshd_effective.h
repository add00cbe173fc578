// SPDX-License-Identifier: Apache-2.0
// What the parsed directives mean: the settings sshd runs with (first value wins, `-o` first,
// defaults for the rest) and what a given user gets once the Match blocks that apply to them
// are copied over (servconf.c parse_server_match_config + copy_set_server_options). Pure.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "probes/sshd/openssh_build.h"
#include "probes/sshd/sshd_config_parser.h"

namespace imageprobe::probes {

// One line's worth of a setting.
struct SshdValue {
  std::vector<std::string> args;
  SshdOrigin origin;
};

struct SshdSetting {
  const SshdKeyword* keyword = nullptr;
  // One entry for first-wins keywords; one per line for accumulating ones (HostKey, Port…).
  std::vector<SshdValue> values;

  bool is_default() const {
    return !values.empty() && values.front().origin.kind == SshdOrigin::Kind::kDefault;
  }
  std::string_view First() const;            // first argument, "" when none
  std::vector<std::string> AllArgs() const;  // every argument of every line, in order
  std::string Joined() const;                // AllArgs joined with " "
};

// Keyed by canonical keyword ("PermitRootLogin").
using SshdSettings = std::map<std::string, SshdSetting, std::less<>>;

// A complete, immutable set of settings that copies share instead of duplicating: the global
// settings of a root, and the settings of each user, which are the global ones themselves
// unless a Match block applies to that user. Every probe asks for the settings of every user of
// passwd (keys, access verdict), and a full copy of ~200 settings each time was most of an
// evaluation. Reads like the map it holds; converts to `const SshdSettings&`.
class SharedSshdSettings {
 public:
  SharedSshdSettings();
  // Implicit on purpose, both ways: a SshdSettings is taken over where one of these is wanted,
  // and one of these is read wherever a `const SshdSettings&` is.
  SharedSshdSettings(SshdSettings settings);
  operator const SshdSettings&() const { return *settings_; }
  const SshdSettings& map() const { return *settings_; }
  SshdSettings::const_iterator find(std::string_view keyword) const {
    return settings_->find(keyword);
  }
  const SshdSetting& at(std::string_view keyword) const;  // throws std::out_of_range
  bool contains(std::string_view keyword) const { return settings_->contains(keyword); }
  SshdSettings::const_iterator begin() const { return settings_->begin(); }
  SshdSettings::const_iterator end() const { return settings_->end(); }
  size_t size() const { return settings_->size(); }
  bool empty() const { return settings_->empty(); }

 private:
  std::shared_ptr<const SshdSettings> settings_;
};

// The global settings: `-o` options, then file lines outside Match blocks (and inside
// "Match All", which sshd applies at startup too), then the compiled-in defaults of `build`'s
// OpenSSH version for every keyword that has one (openssh_defaults.h over the 9.x keyword
// table; an unknown version gets the newest table).
SshdSettings EvaluateSshdGlobal(const SshdParsedConfig& config, const OpensshBuild& build = {});

// Whether a Match block applies to a user, as far as an offline scan can tell.
enum class SshdMatchResult {
  kNo,           // a User/Group criterion rules it out
  kYes,          // every criterion is User/Group (or All) and all match
  kConditional,  // User/Group criteria match (or are absent) but Host/Address/… decide
};
SshdMatchResult MatchSshdBlock(const SshdMatchBlock& block, std::string_view user,
                               const std::vector<std::string>& groups);

struct SshdUserSettings {
  SharedSshdSettings settings;               // global with the matching blocks applied
  std::vector<uint32_t> applied_blocks;      // indices into match_blocks
  std::vector<uint32_t> conditional_blocks;  // could apply depending on the connection
};

// The settings for `user` (whose groups, primary first, are `groups`): the Match blocks that
// certainly apply are evaluated as sshd does at connection time and copied over `global`.
// `assume_matching`: conditional blocks to treat as matching (what a client whose address or
// host matches them would get), for the access verdict's "depends on the client" analysis.
// With no block applying, the result shares `global` rather than copying it.
SshdUserSettings EvaluateSshdForUser(const SshdParsedConfig& config,
                                     const SharedSshdSettings& global, std::string_view user,
                                     const std::vector<std::string>& groups,
                                     const std::vector<uint32_t>& assume_matching = {});

}  // namespace imageprobe::probes
