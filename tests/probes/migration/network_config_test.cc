// SPDX-License-Identifier: Apache-2.0
#include "probes/migration/network_config.h"

#include <gtest/gtest.h>

namespace imageprobe::probes {
namespace {

using namespace std::string_literals;

TEST(ParseIfcfg, StaticWithHwaddr) {
  auto parsed = ParseIfcfg(
      "TYPE=Ethernet\r\nBOOTPROTO=\"static\"\r\nDEVICE=eth0\r\nHWADDR=00:50:56:AB:12:34\r\n"
      "IPADDR='10.0.0.5'\r\nIPADDR1=10.0.0.6\r\n# IPADDR2=1.2.3.4\r\nbroken line\r\n",
      "ifcfg-eth0");
  ASSERT_EQ(parsed.interfaces.size(), 1u);
  const auto& eth0 = parsed.interfaces[0];
  EXPECT_EQ(eth0.name, "eth0");
  EXPECT_TRUE(eth0.is_static);
  EXPECT_EQ(eth0.addresses, (std::vector<std::string>{"10.0.0.5", "10.0.0.6"}));
  EXPECT_EQ(eth0.mac, "00:50:56:ab:12:34");
  EXPECT_EQ(eth0.line, 5u);
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(parsed.problems[0].line, 8u);
}

TEST(ParseIfcfg, DhcpNoneAndNameFromFile) {
  EXPECT_FALSE(
      ParseIfcfg("BOOTPROTO=dhcp\nIPADDR=1.2.3.4\n", "ifcfg-eth1").interfaces[0].is_static);
  auto none = ParseIfcfg("BOOTPROTO=none\nIPADDR=1.2.3.4\n", "ifcfg-ens192");
  EXPECT_TRUE(none.interfaces[0].is_static);
  EXPECT_EQ(none.interfaces[0].name, "ens192");
  EXPECT_TRUE(ParseIfcfg("", "ifcfg-x").interfaces.empty());
  EXPECT_NO_THROW(ParseIfcfg("\0=\xff\n="s + std::string(100'000, '='), "ifcfg-\xff"));
}

TEST(ParseDebianInterfaces, StanzasSourcesAndProblems) {
  auto parsed = ParseDebianInterfaces(
      "source /etc/network/interfaces.d/*\r\n"
      "auto lo\r\niface lo inet loopback\r\n\r\n"
      "auto ens192\r\niface ens192 inet static\r\n"
      "    address 192.168.10.20/24\r\n    gateway 192.168.10.1\r\n"
      "    hwaddress ether 00:50:56:AA:BB:CC\r\n"
      "iface ens224 inet dhcp\r\n"
      "iface broken\r\n"
      "    address 1.1.1.1\r\n");
  ASSERT_EQ(parsed.interfaces.size(), 3u);
  EXPECT_EQ(parsed.interfaces[1].name, "ens192");
  EXPECT_TRUE(parsed.interfaces[1].is_static);
  EXPECT_EQ(parsed.interfaces[1].addresses[0], "192.168.10.20/24");
  EXPECT_EQ(parsed.interfaces[1].mac, "00:50:56:aa:bb:cc");
  EXPECT_FALSE(parsed.interfaces[2].is_static);
  EXPECT_EQ(parsed.sources, (std::vector<std::string>{"source /etc/network/interfaces.d/*"}));
  ASSERT_EQ(parsed.problems.size(), 2u);  // short iface line, then an orphan option
  EXPECT_EQ(parsed.problems[0].line, 11u);
  EXPECT_EQ(parsed.problems[1].line, 12u);
}

TEST(ParseNetplan, AddressesMacMatchAndDhcp) {
  auto parsed = ParseNetplan(
      "network:\n  version: 2\n  ethernets:\n"
      "    id0:\n      match:\n        macaddress: 00:50:56:AA:00:01\n      set-name: eth0\n"
      "      addresses: [10.1.2.3/24, \"fd00::5/64\"]\n      gateway4: 10.1.2.1\n"
      "    eth1:\n      dhcp4: true\n"
      "  bonds:\n    bond0:\n      addresses:\n        - 10.9.9.9/24:\n            lifetime: 0\n");
  ASSERT_TRUE(parsed.problems.empty());
  ASSERT_EQ(parsed.interfaces.size(), 3u);
  EXPECT_EQ(parsed.interfaces[0].name, "eth0");
  EXPECT_EQ(parsed.interfaces[0].mac, "00:50:56:aa:00:01");
  EXPECT_TRUE(parsed.interfaces[0].is_static);
  EXPECT_EQ(parsed.interfaces[0].addresses.size(), 2u);
  EXPECT_EQ(parsed.interfaces[1].method, "dhcp");
  EXPECT_FALSE(parsed.interfaces[1].is_static);
  EXPECT_EQ(parsed.interfaces[2].addresses[0], "10.9.9.9/24");
}

TEST(ParseNetplan, MalformedAndHostileYaml) {
  auto bad = ParseNetplan("network:\n  ethernets:\n    eth0: [\n");
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_GT(bad.problems[0].line, 0u);
  EXPECT_EQ(ParseNetplan("network: 5\n").interfaces.size(), 0u);
  EXPECT_EQ(ParseNetplan("- a\n").interfaces.size(), 0u);
  EXPECT_EQ(ParseNetplan("network:\n  ethernets: [a, b]\n").interfaces.size(), 0u);
  EXPECT_EQ(ParseNetplan("a: 1\0"s).problems.size(), 1u);
}

TEST(ParseUdevNetRules, PersistentNetRules) {
  auto rules = ParseUdevNetRules(
      "# PCI device 0x15ad:0x07b0 (vmxnet3)\r\n"
      "SUBSYSTEM==\"net\", ACTION==\"add\", DRIVERS==\"?*\", ATTR{address}==\"00:50:56:AB:12:34\", "
      "ATTR{type}==\"1\", KERNEL==\"eth*\", NAME=\"eth0\"\r\n"
      "SUBSYSTEM==\"net\", ATTRS{address}==\"00:0c:29:00:00:01\", NAME:=\"lan1\"\n"
      "SUBSYSTEM==\"net\", KERNEL==\"eth*\", NAME=\"eth9\"\n"
      "ATTR{address}==\"\", NAME=\"x\"\n"
      "ATTR{address}==\"unterminated\n");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].mac, "00:50:56:ab:12:34");
  EXPECT_EQ(rules[0].name, "eth0");
  EXPECT_EQ(rules[0].line, 2u);
  EXPECT_EQ(rules[1].name, "lan1");
  EXPECT_NO_THROW(ParseUdevNetRules("\0\xff ATTR{address}==\"\xff\" NAME=\"\x1b\""s));
}

}  // namespace
}  // namespace imageprobe::probes
