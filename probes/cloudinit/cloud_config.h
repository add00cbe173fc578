// SPDX-License-Identifier: Apache-2.0
// cloud-init's configuration: /etc/cloud/cloud.cfg and cloud.cfg.d/*.cfg merged the way
// cloud-init merges them, and the SSH-relevant settings read from the result with cloud-init's
// own defaults and boolean rules. Pure: YAML trees in, structs out.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/parse/bounded_yaml.h"

namespace imageprobe::probes {

struct CloudConfigSource {
  std::string path;
  parse::YamlNode root;  // a map; a file whose top level is not a map contributes nothing
};

// cloud-init's default merge (util.read_conf_d + mergemanydict, mergers/m_dict.py with its
// default "no_replace"): the highest-priority file's value wins for scalars and lists, and
// dicts are merged recursively, keys missing from the winner being added from lower files.
// `lowest_to_highest` is cloud.cfg first, then cloud.cfg.d in sorted order (the last sorts
// highest). Files that set "merge_how" are merged the default way all the same.
parse::YamlNode MergeCloudConfigs(std::span<const CloudConfigSource> lowest_to_highest);

// The path of the highest-priority file that sets top-level `key`, or "" when none does.
std::string SourceOfSetting(std::span<const CloudConfigSource> lowest_to_highest,
                            std::string_view key);

// cloud-init's util.translate_bool: unset -> fallback; true for true/"1"/"on"/"yes" (any case);
// everything else, including typos, is false.
bool CloudInitTranslateBool(const parse::YamlNode* node, bool fallback);

struct CloudInitUser {
  std::string name;
  bool is_default = false;        // the "default" entry, i.e. system_info.default_user
  std::vector<std::string> sudo;  // sudoers rules; empty = no sudo
  std::vector<std::string> groups;
  bool lock_passwd = true;    // cloud-init's default
  bool has_password = false;  // passwd / hashed_passwd / plain_text_passwd set
  uint32_t ssh_authorized_key_count = 0;
  std::vector<std::string> ssh_authorized_key_types;  // first word of each key line
  uint32_t line = 0;
};
void to_json(nlohmann::json& j, const CloudInitUser& user);

struct CloudInitSettings {
  bool disable_root = true;
  std::string ssh_pwauth = "unchanged";  // "yes", "no" or "unchanged"
  std::string ssh_pwauth_raw;            // as written; empty when unset
  bool ssh_deletekeys = true;
  std::vector<std::string> ssh_genkeytypes = {"rsa", "ecdsa", "ed25519"};
  uint32_t ssh_authorized_key_count = 0;      // top-level ssh_authorized_keys (default user)
  std::optional<CloudInitUser> default_user;  // system_info.default_user
  bool users_set = false;
  std::vector<CloudInitUser> users;   // "default" resolved to default_user where known
  std::vector<std::string> problems;  // values of the wrong type, with what was done
};

CloudInitSettings ReadCloudInitSettings(const parse::YamlNode& merged);

}  // namespace imageprobe::probes
