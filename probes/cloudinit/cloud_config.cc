// SPDX-License-Identifier: Apache-2.0
// References: cloud-init cloudinit/util.py (read_conf_d, read_conf_with_confd, mergemanydict,
// translate_bool, is_true/is_false), cloudinit/mergers/m_dict.py (DEF_MERGE_TYPE no_replace),
// cloudinit/config/cc_set_passwords.py (handle_ssh_pwauth), cc_ssh.py (ssh_deletekeys,
// ssh_genkeytypes defaults), cloudinit/distros/ug_util.py (users normalisation),
// doc/rtd/reference/merging.rst; ../shared/reference/formats.md §4.
#include "probes/cloudinit/cloud_config.h"

#include <algorithm>

#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

// The higher-priority tree `into` keeps every value it has; keys only `lower` has are added,
// and where both hold a dict the two are merged again the same way (m_dict no_replace).
void MergeNoReplace(parse::YamlNode& into, const parse::YamlNode& lower) {
  if (!into.IsMap() || !lower.IsMap()) return;
  for (const auto& entry : lower.entries) {
    const std::string& key = entry.first;
    // A key given twice in one file: PyYAML keeps the last value, so that is what merges (the
    // first one would otherwise be added and the last skipped as already present).
    const parse::YamlNode& value = *lower.Find(key);
    parse::YamlNode* existing = into.Find(key);
    if (existing == nullptr) {
      into.entries.emplace_back(key, value);
    } else if (existing->IsMap() && value.IsMap()) {
      MergeNoReplace(*existing, value);
    }
  }
}

std::string ScalarOr(const parse::YamlNode* node, std::string fallback) {
  return node != nullptr && node->IsScalar() ? node->scalar : fallback;
}

// "a, b" or [a, b] -> {"a", "b"} (ug_util accepts both for groups).
std::vector<std::string> StringList(const parse::YamlNode* node) {
  std::vector<std::string> out;
  if (node == nullptr) return out;
  if (node->IsScalar()) {
    for (auto field : parse::SplitFields(node->scalar, ',')) {
      auto trimmed = parse::TrimWhitespace(field);
      if (!trimmed.empty()) out.emplace_back(trimmed);
    }
  } else if (node->IsSequence()) {
    for (const auto& item : node->items) {
      if (item.IsScalar()) out.push_back(item.scalar);
    }
  } else if (node->IsMap()) {
    // groups may be a map of group -> members; the group names are what we want.
    for (const auto& [key, value] : node->entries) out.push_back(key);
  }
  return out;
}

void ReadKeys(const parse::YamlNode* node, uint32_t& count, std::vector<std::string>& types) {
  if (node == nullptr) return;
  auto add = [&](const std::string& line) {
    auto words = parse::SplitWhitespace(line);
    if (words.empty()) return;
    ++count;
    types.emplace_back(words[0]);
  };
  if (node->IsScalar()) add(node->scalar);
  if (node->IsSequence()) {
    for (const auto& item : node->items) {
      if (item.IsScalar()) add(item.scalar);
    }
  }
}

CloudInitUser ReadUser(const parse::YamlNode& config, std::string name) {
  CloudInitUser user;
  user.name = std::move(name);
  user.line = config.line;
  if (!config.IsMap()) return user;
  if (const parse::YamlNode* sudo = config.Find("sudo"); sudo != nullptr) {
    // sudo: false / null means no sudo rule (ug_util); a string or list are sudoers rules.
    if (sudo->IsScalar() && parse::YamlBool(*sudo) != false && sudo->scalar != "null") {
      user.sudo.push_back(sudo->scalar);
    } else if (sudo->IsSequence()) {
      user.sudo = StringList(sudo);
    }
  }
  user.groups = StringList(config.Find("groups"));
  user.lock_passwd = CloudInitTranslateBool(config.Find("lock_passwd"), true);
  for (auto key : {"passwd", "hashed_passwd", "plain_text_passwd"}) {
    const parse::YamlNode* value = config.Find(key);
    if (value != nullptr && value->IsScalar() && !value->scalar.empty()) user.has_password = true;
  }
  ReadKeys(config.Find("ssh_authorized_keys"), user.ssh_authorized_key_count,
           user.ssh_authorized_key_types);
  return user;
}

}  // namespace

void to_json(nlohmann::json& j, const CloudInitUser& user) {
  j = nlohmann::json{{"name", user.name},
                     {"is_default_user", user.is_default},
                     {"sudo", user.sudo},
                     {"groups", user.groups},
                     {"lock_passwd", user.lock_passwd},
                     {"has_password", user.has_password},
                     {"ssh_authorized_key_count", user.ssh_authorized_key_count},
                     {"ssh_authorized_key_types", user.ssh_authorized_key_types}};
}

parse::YamlNode MergeCloudConfigs(std::span<const CloudConfigSource> lowest_to_highest) {
  parse::YamlNode merged;
  merged.kind = parse::YamlNode::Kind::kMap;
  for (auto it = lowest_to_highest.rbegin(); it != lowest_to_highest.rend(); ++it) {
    MergeNoReplace(merged, it->root);
  }
  return merged;
}

std::string SourceOfSetting(std::span<const CloudConfigSource> lowest_to_highest,
                            std::string_view key) {
  for (auto it = lowest_to_highest.rbegin(); it != lowest_to_highest.rend(); ++it) {
    if (it->root.Find(key) != nullptr) return it->path;
  }
  return {};
}

bool CloudInitTranslateBool(const parse::YamlNode* node, bool fallback) {
  if (node == nullptr) return fallback;
  if (!node->IsScalar()) return false;  // null, or str(list/dict) is never a true word
  if (auto parsed = parse::YamlBool(*node)) return *parsed;
  std::string lowered = parse::ToLower(parse::TrimWhitespace(node->scalar));
  return lowered == "true" || lowered == "1" || lowered == "on" || lowered == "yes";
}

CloudInitSettings ReadCloudInitSettings(const parse::YamlNode& merged) {
  CloudInitSettings settings;
  settings.disable_root = CloudInitTranslateBool(merged.Find("disable_root"), true);
  settings.ssh_deletekeys = CloudInitTranslateBool(merged.Find("ssh_deletekeys"), true);

  if (const parse::YamlNode* pwauth = merged.Find("ssh_pwauth"); pwauth != nullptr) {
    if (pwauth->IsScalar()) {
      settings.ssh_pwauth_raw = pwauth->scalar;
      std::string lowered = parse::ToLower(parse::TrimWhitespace(pwauth->scalar));
      auto as_bool = parse::YamlBool(*pwauth);
      if (as_bool == true || lowered == "true" || lowered == "1" || lowered == "on" ||
          lowered == "yes") {
        settings.ssh_pwauth = "yes";
      } else if (as_bool == false || lowered == "false" || lowered == "0" || lowered == "off" ||
                 lowered == "no") {
        settings.ssh_pwauth = "no";
      } else if (lowered != "unchanged") {
        settings.problems.push_back(
            "ssh_pwauth: unrecognised value, cloud-init leaves sshd "
            "unchanged");
      }
    } else if (pwauth->kind != parse::YamlNode::Kind::kNull) {
      settings.problems.push_back("ssh_pwauth: not a scalar, cloud-init leaves sshd unchanged");
    }
  }

  if (const parse::YamlNode* types = merged.Find("ssh_genkeytypes"); types != nullptr) {
    if (types->IsSequence()) {
      settings.ssh_genkeytypes = StringList(types);
    } else if (types->kind == parse::YamlNode::Kind::kNull) {
      settings.ssh_genkeytypes.clear();
    } else {
      settings.problems.push_back("ssh_genkeytypes: not a list");
    }
  }

  std::vector<std::string> unused_types;
  ReadKeys(merged.Find("ssh_authorized_keys"), settings.ssh_authorized_key_count, unused_types);

  if (const parse::YamlNode* system_info = merged.Find("system_info"); system_info != nullptr) {
    if (const parse::YamlNode* def = system_info->Find("default_user");
        def != nullptr && def->IsMap()) {
      settings.default_user = ReadUser(*def, ScalarOr(def->Find("name"), ""));
      settings.default_user->is_default = true;
    }
  }

  const parse::YamlNode* users = merged.Find("users");
  if (users == nullptr) return settings;
  settings.users_set = true;
  auto add_named = [&](const std::string& name, const parse::YamlNode* config, uint32_t line) {
    if (name == "default") {
      CloudInitUser user = settings.default_user.value_or(CloudInitUser{});
      user.is_default = true;
      user.line = line;
      settings.users.push_back(std::move(user));
      return;
    }
    CloudInitUser user = config != nullptr ? ReadUser(*config, name) : CloudInitUser{};
    user.name = name;
    user.line = line;
    settings.users.push_back(std::move(user));
  };
  if (users->IsScalar()) {
    for (const auto& name : StringList(users)) add_named(name, nullptr, users->line);
  } else if (users->IsSequence()) {
    for (const auto& item : users->items) {
      if (item.IsScalar()) {
        add_named(item.scalar, nullptr, item.line);
      } else if (item.IsMap()) {
        std::string name = ScalarOr(item.Find("name"), "");
        if (name.empty()) {
          settings.problems.push_back("users: an entry without a name (line " +
                                      std::to_string(item.line) + ")");
          continue;
        }
        add_named(name, &item, item.line);
      }
    }
  } else if (users->IsMap()) {
    // The older form: {name: true | {config}}.
    for (const auto& [name, config] : users->entries) {
      if (config.IsMap()) {
        add_named(name, &config, config.line);
      } else if (CloudInitTranslateBool(&config, false)) {
        add_named(name, nullptr, config.line);
      }
    }
  }
  return settings;
}

}  // namespace imageprobe::probes
