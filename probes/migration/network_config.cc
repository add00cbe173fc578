// SPDX-License-Identifier: Apache-2.0
// References: RHEL 7 Networking Guide, ifcfg files (/usr/share/doc/initscripts-*/
// sysconfig.txt: BOOTPROTO none|static|bootp|dhcp, IPADDR[n], HWADDR, DEVICE); interfaces(5)
// (iface stanzas, source, source-directory) and the hwaddress option of ifupdown; netplan(5)
// (network.ethernets/bonds/bridges/vlans/wifis, addresses, dhcp4/dhcp6, match.macaddress,
// set-name); udev(7) (ATTR{address}, NAME); systemd's 75-persistent-net-generator history
// (70-persistent-net.rules).
#include "probes/migration/network_config.h"

#include <re2/re2.h>

#include "scanner/parse/bounded_yaml.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {
namespace {

std::string Unquote(std::string_view value) {
  value = parse::TrimWhitespace(value);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

}  // namespace

void to_json(nlohmann::json& j, const InterfaceConfig& config) {
  j = nlohmann::json{{"name", config.name},
                     {"method", config.method},
                     {"addresses", config.addresses},
                     {"mac", config.mac},
                     {"is_static", config.is_static}};
}

void to_json(nlohmann::json& j, const UdevNetRule& rule) {
  j = nlohmann::json{{"mac", rule.mac}, {"name", rule.name}};
}

ParsedNetworkConfig ParseIfcfg(std::string_view text, std::string_view file_name) {
  ParsedNetworkConfig parsed;
  InterfaceConfig config;
  std::string device;
  std::string bootproto;
  bool any_assignment = false;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    line = parse::TrimWhitespace(line);
    if (line.empty() || line[0] == '#') return;
    size_t equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      parsed.problems.push_back({number, "not a KEY=value assignment"});
      return;
    }
    any_assignment = true;
    std::string key(parse::TrimWhitespace(line.substr(0, equals)));
    std::string value = Unquote(line.substr(equals + 1));
    if (key == "DEVICE") {
      device = value;
    } else if (key == "BOOTPROTO") {
      bootproto = parse::ToLower(value);
    } else if ((key.starts_with("IPADDR") || key.starts_with("IPV6ADDR")) && !value.empty()) {
      config.addresses.push_back(value);
      if (config.line == 0) config.line = number;
    } else if ((key == "HWADDR" || key == "MACADDR") && !value.empty()) {
      config.mac = parse::ToLower(value);
    }
  });
  std::string_view name = file_name;
  if (name.starts_with("ifcfg-")) name.remove_prefix(6);
  config.name = device.empty() ? std::string(name) : device;
  config.method = bootproto.empty() ? "none" : bootproto;
  // initscripts treat "none" and "static" alike, and an unset BOOTPROTO as none.
  config.is_static = !config.addresses.empty() &&
                     (bootproto.empty() || bootproto == "none" || bootproto == "static");
  if (any_assignment) parsed.interfaces.push_back(std::move(config));
  return parsed;
}

ParsedNetworkConfig ParseDebianInterfaces(std::string_view text) {
  ParsedNetworkConfig parsed;
  InterfaceConfig* current = nullptr;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    line = parse::TrimWhitespace(line);
    if (line.empty() || line[0] == '#') return;
    auto words = parse::SplitWhitespace(line);
    std::string_view keyword = words[0];
    if (keyword == "iface") {
      if (words.size() < 4) {
        parsed.problems.push_back({number, "iface needs a name, a family and a method"});
        current = nullptr;
        return;
      }
      InterfaceConfig config;
      config.name = std::string(words[1]);
      config.method = std::string(words[3]);
      config.line = number;
      parsed.interfaces.push_back(std::move(config));
      current = &parsed.interfaces.back();
      return;
    }
    if (keyword == "auto" || keyword.starts_with("allow-") || keyword == "mapping" ||
        keyword == "no-auto-down" || keyword == "no-scripts") {
      current = nullptr;
      return;
    }
    if (keyword == "source" || keyword == "source-directory") {
      current = nullptr;
      if (words.size() < 2) {
        parsed.problems.push_back({number, std::string(keyword) + " without a path"});
        return;
      }
      parsed.sources.push_back(std::string(keyword) + " " + std::string(words[1]));
      return;
    }
    if (current == nullptr) {
      parsed.problems.push_back({number, "option outside an iface stanza"});
      return;
    }
    if (keyword == "address" && words.size() >= 2) {
      current->addresses.emplace_back(words[1]);
    } else if (keyword == "hwaddress" && words.size() >= 2) {
      // "hwaddress ether 00:11:…" or "hwaddress 00:11:…"
      current->mac = parse::ToLower(words.size() >= 3 ? words[2] : words[1]);
    }
  });
  for (auto& config : parsed.interfaces) config.is_static = config.method == "static";
  return parsed;
}

ParsedNetworkConfig ParseNetplan(std::string_view text) {
  ParsedNetworkConfig parsed;
  parse::YamlParse yaml = parse::ParseBoundedYaml(text);
  if (yaml.problem) {
    parsed.problems.push_back({yaml.problem->line, yaml.problem->message});
    return parsed;
  }
  const parse::YamlNode* network = yaml.root->Find("network");
  if (network == nullptr) return parsed;
  for (std::string_view group : {"ethernets", "bonds", "bridges", "vlans", "wifis"}) {
    const parse::YamlNode* devices = network->Find(group);
    if (devices == nullptr || !devices->IsMap()) continue;
    for (const auto& [id, device] : devices->entries) {
      InterfaceConfig config;
      config.name = id;
      config.line = device.line;
      if (const parse::YamlNode* set_name = device.Find("set-name");
          set_name && set_name->IsScalar()) {
        config.name = set_name->scalar;
      }
      if (const parse::YamlNode* addresses = device.Find("addresses");
          addresses && addresses->IsSequence()) {
        for (const auto& address : addresses->items) {
          if (address.IsScalar()) config.addresses.push_back(address.scalar);
          // netplan ≥ 0.104 also allows "- 10.0.0.5/24: {lifetime: 0}".
          if (address.IsMap() && !address.entries.empty()) {
            config.addresses.push_back(address.entries.front().first);
          }
        }
      }
      const parse::YamlNode* dhcp4 = device.Find("dhcp4");
      const parse::YamlNode* dhcp6 = device.Find("dhcp6");
      bool dhcp =
          (dhcp4 && parse::YamlBool(*dhcp4) == true) || (dhcp6 && parse::YamlBool(*dhcp6) == true);
      if (const parse::YamlNode* match = device.Find("match")) {
        if (const parse::YamlNode* mac = match->Find("macaddress"); mac && mac->IsScalar()) {
          config.mac = parse::ToLower(mac->scalar);
        }
      }
      config.is_static = !config.addresses.empty();
      config.method = dhcp ? "dhcp" : config.is_static ? "static" : "none";
      parsed.interfaces.push_back(std::move(config));
    }
  }
  return parsed;
}

std::vector<UdevNetRule> ParseUdevNetRules(std::string_view text) {
  static const RE2 kAddress(R"re(ATTRS?\{address\}\s*==\s*"([^"]*)")re");
  static const RE2 kName(R"re((?:^|[,\s])NAME\s*:?=\s*"([^"]*)")re");
  std::vector<UdevNetRule> rules;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    std::string_view trimmed = parse::TrimWhitespace(line);
    if (trimmed.empty() || trimmed[0] == '#') return;
    std::string mac;
    if (!RE2::PartialMatch(trimmed, kAddress, &mac) || mac.empty()) return;
    UdevNetRule rule;
    rule.mac = parse::ToLower(mac);
    RE2::PartialMatch(trimmed, kName, &rule.name);
    rule.line = number;
    rules.push_back(std::move(rule));
  });
  return rules;
}

}  // namespace imageprobe::probes
