// SPDX-License-Identifier: Apache-2.0
// Network configuration that ties a lifted image to the network it came from: static
// addresses (RHEL ifcfg, Debian interfaces, netplan) and interface names bound to MAC
// addresses (udev persistent-net rules, ifcfg HWADDR, netplan match.macaddress). On EC2 the
// MAC is new and addresses come from the VPC over DHCP, so either one can leave the instance
// unreachable. Pure parsers: text in, one record per interface out.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

struct NetworkProblem {
  uint32_t line = 0;
  std::string message;
};

// One interface as a configuration file describes it, whatever the format.
struct InterfaceConfig {
  std::string name;                    // DEVICE=, iface name, netplan id or set-name
  std::string method;                  // "static", "dhcp", "manual", "none"… as written
  std::vector<std::string> addresses;  // IPADDR=, address, netplan addresses
  std::string mac;                     // HWADDR=, hwaddress, match.macaddress (lower case)
  bool is_static = false;              // addresses configured without DHCP
  uint32_t line = 0;
};
void to_json(nlohmann::json& j, const InterfaceConfig& config);

struct ParsedNetworkConfig {
  std::vector<InterfaceConfig> interfaces;
  std::vector<std::string> sources;  // Debian "source"/"source-directory" arguments
  std::vector<NetworkProblem> problems;
};

// RHEL /etc/sysconfig/network-scripts/ifcfg-<name>: shell assignments, quotes stripped.
// BOOTPROTO=static or none (or unset) with an IPADDR is static. `file_name` supplies the
// name when DEVICE= is absent.
ParsedNetworkConfig ParseIfcfg(std::string_view text, std::string_view file_name);

// Debian /etc/network/interfaces: "iface <name> inet|inet6 <method>" stanzas with their
// "address" and "hwaddress" options; "source" lines are returned for the caller to follow.
ParsedNetworkConfig ParseDebianInterfaces(std::string_view text);

// netplan YAML: network.{ethernets,bonds,bridges,vlans,wifis}.<id> with addresses, dhcp4/6,
// match.macaddress and set-name. Malformed YAML is a problem with yaml-cpp's line.
ParsedNetworkConfig ParseNetplan(std::string_view text);

// udev rules naming a net interface by MAC: ATTR{address}=="…" with NAME="…".
struct UdevNetRule {
  std::string mac;   // lower case
  std::string name;  // NAME= value, may be empty
  uint32_t line = 0;
};
void to_json(nlohmann::json& j, const UdevNetRule& rule);
std::vector<UdevNetRule> ParseUdevNetRules(std::string_view text);

}  // namespace imageprobe::probes
