// SPDX-License-Identifier: Apache-2.0
// References: openssh-portable servconf.c dump_config / dump_cfg_* (9.2); observed output of
// `sshd -T` 9.2p1 (Debian 12). Times and algorithm lists are not converted here: the product
// prints them as sshd -T does (probes/sshd/sshd_canonical.h), and the oracle checks that.
#include "tests/probes/sshd/sshd_t_format.h"

#include <cstdint>
#include <cstdio>

#include "probes/sshd/sshd_canonical.h"
#include "probes/sshd/sshd_keywords.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes::testing {
namespace {

// scan_scaled: "512M" -> bytes.
uint64_t Bytes(std::string_view text) {
  uint64_t number = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + static_cast<uint64_t>(c - '0');
      continue;
    }
    switch (c | 0x20) {
      case 'k':
        return number << 10;
      case 'm':
        return number << 20;
      case 'g':
        return number << 30;
      default:
        return number;
    }
  }
  return number;
}

std::string Lower(std::string_view text) { return parse::ToLower(text); }

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Ports(const SshdSettings& all) {
  auto it = all.find("Port");
  return it == all.end() ? "22" : std::string(it->second.First());
}

}  // namespace

std::vector<std::string> SshdTLines(const SshdSetting& setting, const SshdSettings& all,
                                    const OpensshBuild& build) {
  const std::string name(setting.keyword->name);
  const std::string key = Lower(name);
  std::vector<std::string> args = setting.AllArgs();
  std::string first = args.empty() ? std::string() : args.front();
  auto one = [&](std::string value) { return std::vector<std::string>{key + " " + value}; };

  // Not printed by sshd -T 9.2.
  if (name == "DebianBanner") return {};

  // One line per value.
  if (name == "Port" || name == "HostKey" || name == "HostCertificate" || name == "AllowUsers" ||
      name == "DenyUsers" || name == "AllowGroups" || name == "DenyGroups" || name == "AcceptEnv" ||
      name == "SetEnv") {
    std::vector<std::string> lines;
    for (const std::string& arg : args) lines.push_back(key + " " + arg);
    return lines;
  }
  if (name == "Subsystem") {
    std::vector<std::string> lines;
    for (const SshdValue& value : setting.values) {
      std::string line = key;
      for (const std::string& arg : value.args) line += " " + arg;
      lines.push_back(line);
    }
    return lines;
  }
  // ListenAddress: each address with the port it listens on ("addr:port", "[v6]:port"); an
  // address without a port listens on the first Port (fixtures use one Port with it).
  if (name == "ListenAddress") {
    std::vector<std::string> lines;
    for (const SshdValue& value : setting.values) {
      std::string address = value.args.front();
      bool has_port = (address.front() == '[' && address.find("]:") != std::string::npos) ||
                      (address.front() != '[' && address.find(':') != std::string::npos &&
                       address.find(':') == address.rfind(':'));
      if (!has_port) {
        if (address.find(':') != std::string::npos && address.front() != '[') {
          address = "[" + address + "]";
        }
        address += ":" + Ports(all);
      }
      lines.push_back(key + " " + address);
    }
    return lines;
  }
  // Multistate values print their canonical spelling.
  if (name == "PermitRootLogin") {
    std::string value = Lower(first);
    if (value == "prohibit-password") value = "without-password";
    return one(value);
  }
  if (name == "Compression") return one(Lower(first) == "no" ? "no" : "yes");
  if (name == "AllowTcpForwarding" || name == "AllowStreamLocalForwarding") {
    std::string value = Lower(first);
    return one(value == "all" ? "yes" : value);
  }
  if (name == "LogLevel" || name == "SyslogFacility" || name == "FingerprintHash") {
    return one(Upper(first));
  }
  if (setting.keyword->type == SshdValueType::kFlag ||
      setting.keyword->type == SshdValueType::kChoice) {
    return one(Lower(first));
  }
  // Times and algorithm lists: the product's effective value (sshd_canonical.h), unchanged.
  if (setting.keyword->type == SshdValueType::kTime || name == "UnusedConnectionTimeout" ||
      IsSshdAlgorithmList(name)) {
    return one(SshdEffectiveValue(setting, build));
  }
  if (setting.keyword->type == SshdValueType::kInteger) {
    return one(std::to_string(std::stoull(first)));
  }
  if (name == "StreamLocalBindMask") {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0%lo", std::stoul(first, nullptr, 8));
    return one(buffer);
  }
  if (name == "MaxStartups") {
    // "10" means begin = full = 10 with the default rate.
    if (first.find(':') == std::string::npos) return one(first + ":30:" + first);
    return one(first);
  }
  if (name == "PerSourceNetBlockSize") {
    return one(first.find(':') == std::string::npos ? first + ":0" : first);
  }
  if (name == "RekeyLimit") {
    std::string bytes = Lower(first) == "default" ? "0" : std::to_string(Bytes(first));
    std::string seconds = "0";
    if (args.size() > 1 && Lower(args[1]) != "none") {
      seconds = std::to_string(SshdConvTime(args[1]).value_or(0));
    }
    return one(bytes + " " + seconds);
  }
  if (name == "IPQoS") {
    return one(args.size() == 1 ? first + " " + first : first + " " + args[1]);
  }
  if (name == "PermitListen") {
    std::string line = key;
    for (const std::string& arg : args) {
      bool bare_port =
          !arg.empty() && arg.find(':') == std::string::npos && arg != "any" && arg != "none";
      line += " " + (bare_port ? "*:" + arg : arg);
    }
    return {line};
  }
  // Everything else: the arguments on one line.
  std::string line = key;
  for (const std::string& arg : args) line += " " + arg;
  return {line};
}

}  // namespace imageprobe::probes::testing
