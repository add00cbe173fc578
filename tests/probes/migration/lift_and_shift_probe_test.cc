// SPDX-License-Identifier: Apache-2.0
#include "probes/migration/lift_and_shift_probe.h"

#include <gtest/gtest.h>

#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

TEST(LiftAndShiftProbe, VmwareRhel7Fixture) {
  testing::MemoryFs fs;
  testing::LoadFixtureRoot("vmware-rhel7", fs);
  auto run = testing::RunProbe(LiftAndShiftProbe(), fs);
  EXPECT_TRUE(run.out.errors().empty())
      << run.out.errors()[0].path << ": " << run.out.errors()[0].message;

  auto vmware = run.Findings("migration.vmware_tools.installed");
  ASSERT_EQ(vmware.size(), 1u);
  EXPECT_NE(vmware[0]->evidence.find("enabled at boot"), std::string::npos);

  auto statics = run.Findings("migration.network.static_address");
  ASSERT_EQ(statics.size(), 1u);  // eth0; ifcfg-lo is skipped
  EXPECT_EQ(statics[0]->path, "/etc/sysconfig/network-scripts/ifcfg-eth0");
  EXPECT_NE(statics[0]->evidence.find("10.20.30.40"), std::string::npos);

  auto mac = run.Findings("migration.network.mac_bound_names");
  ASSERT_EQ(mac.size(), 2u);  // the udev rule and HWADDR=
  EXPECT_EQ(mac[0]->path, "/etc/udev/rules.d/70-persistent-net.rules");
  EXPECT_EQ(mac[0]->line, 8u);

  auto devices = run.Findings("migration.fstab.device_name");
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0]->severity, Severity::kHigh);
  EXPECT_NE(devices[0]->evidence.find("/dev/sdb1"), std::string::npos);
  auto nfs = run.Findings("migration.fstab.network_mount");
  ASSERT_EQ(nfs.size(), 1u);
  EXPECT_NE(nfs[0]->evidence.find("filer01.corp.example"), std::string::npos);

  // /lib -> usr/lib; the 3.10.0-327 kernel has nvme (drivers/block) but no ena.
  const Fact* kernel = run.FindFact("migration/kernel", "3.10.0-327.el7.x86_64");
  ASSERT_NE(kernel, nullptr) << run.out.facts().back().kind << " "
                             << run.out.facts().back().data.dump();
  EXPECT_TRUE(kernel->data["known"]);
  EXPECT_TRUE(kernel->data["nvme"]);
  EXPECT_FALSE(kernel->data["ena"]);
  auto drivers = run.Findings("migration.kernel.missing_nitro_drivers");
  ASSERT_EQ(drivers.size(), 1u);
  EXPECT_EQ(drivers[0]->severity, Severity::kMedium);
  EXPECT_EQ(drivers[0]->evidence.rfind("no ena ", 0), 0u) << drivers[0]->evidence;
}

TEST(LiftAndShiftProbe, UbuntuEicFixtureIsClean) {
  testing::MemoryFs fs;
  testing::LoadFixtureRoot("ubuntu-eic", fs);
  auto run = testing::RunProbe(LiftAndShiftProbe(), fs);
  EXPECT_TRUE(run.out.errors().empty());
  EXPECT_TRUE(run.out.findings().empty()) << run.out.findings()[0].rule_id;
  const Fact* kernel = run.FindFact("migration/kernel", "5.15.0-1050-aws");
  ASSERT_NE(kernel, nullptr);
  EXPECT_TRUE(kernel->data["ena"]);
  EXPECT_TRUE(kernel->data["nvme"]);
  ASSERT_NE(run.FindFact("migration/network_interface", "/etc/netplan/50-cloud-init.yaml|eth0"),
            nullptr);
}

TEST(LiftAndShiftProbe, KernelWithNeitherDriverAndModuleFilesInFolders) {
  testing::MemoryFs fs;
  fs.File("/lib/modules/4.18.0-old/modules.dep", "kernel/fs/xfs/xfs.ko.xz:\n");
  fs.File("/lib/modules/5.14.0-new/kernel/drivers/nvme/host/nvme.ko.xz", "");
  fs.File("/lib/modules/5.14.0-new/extra/ena/ena.ko", "");
  fs.Dir("/lib/modules/empty-dir");
  auto run = testing::RunProbe(LiftAndShiftProbe(), fs);
  auto drivers = run.Findings("migration.kernel.missing_nitro_drivers");
  ASSERT_EQ(drivers.size(), 1u);
  EXPECT_EQ(drivers[0]->severity, Severity::kHigh);
  EXPECT_EQ(drivers[0]->path, "/lib/modules/4.18.0-old");
  const Fact* fresh = run.FindFact("migration/kernel", "5.14.0-new");
  ASSERT_NE(fresh, nullptr);
  EXPECT_TRUE(fresh->data["ena"]);
  EXPECT_TRUE(fresh->data["nvme"]);
  EXPECT_FALSE(run.FindFact("migration/kernel", "empty-dir")->data["known"]);
}

TEST(LiftAndShiftProbe, NoModulesAtAllIsUnknownNotAFinding) {
  testing::MemoryFs fs;
  fs.File("/etc/fstab", "UUID=1 / ext4 defaults 0 1\n");
  auto run = testing::RunProbe(LiftAndShiftProbe(), fs);
  EXPECT_TRUE(run.out.findings().empty());
  const Fact* modules = run.FindFact("migration/kernel_modules", "/lib/modules");
  ASSERT_NE(modules, nullptr);
  EXPECT_EQ(modules->data["status"], "unknown");
}

TEST(LiftAndShiftProbe, DebianInterfacesNetplanAndDpkgVmwareTools) {
  testing::MemoryFs fs;
  fs.File("/etc/network/interfaces",
          "source /etc/network/interfaces.d/*\nauto lo\niface lo inet loopback\n");
  fs.File("/etc/network/interfaces.d/ens192",
          "iface ens192 inet static\n  address 192.168.1.5/24\n");
  fs.File("/etc/netplan/01-netcfg.yaml",
          "network:\n  ethernets:\n    ens160:\n      match: {macaddress: '00:0C:29:11:22:33'}\n"
          "      dhcp4: true\n");
  fs.File("/etc/netplan/02-broken.yaml", "network: [\n");
  fs.File("/var/lib/dpkg/status",
          "Package: open-vm-tools\nStatus: install ok installed\nVersion: 2:11.3.0-2\n\n");
  auto run = testing::RunProbe(LiftAndShiftProbe(), fs);
  ASSERT_EQ(run.Findings("migration.network.static_address").size(), 1u);
  ASSERT_EQ(run.Findings("migration.network.mac_bound_names").size(), 1u);
  auto vmware = run.Findings("migration.vmware_tools.installed");
  ASSERT_EQ(vmware.size(), 1u);
  EXPECT_NE(vmware[0]->evidence.find("open-vm-tools 2:11.3.0-2"), std::string::npos);
  ASSERT_EQ(run.out.errors().size(), 1u);
  EXPECT_EQ(run.out.errors()[0].path, "/etc/netplan/02-broken.yaml");
}

}  // namespace
}  // namespace imageprobe::probes

namespace imageprobe::probes {
namespace {

TEST(LiftAndShiftProbe, CloudInitNetplanIsLowSeverity) {
  testing::MemoryFs fs;
  fs.File("/etc/netplan/50-cloud-init.yaml",
          "network:\n  ethernets:\n    ens5:\n      match:\n        macaddress: 0a:1b:2c:3d:4e:5f\n"
          "      set-name: ens5\n      dhcp4: true\n  version: 2\n");
  fs.File("/etc/netplan/60-static.yaml",
          "network:\n  ethernets:\n    ens6:\n      match: {macaddress: 0a:1b:2c:3d:4e:60}\n");
  auto run = testing::RunProbe(LiftAndShiftProbe(), fs);
  auto mac = run.Findings("migration.network.mac_bound_names");
  ASSERT_EQ(mac.size(), 2u);
  EXPECT_EQ(mac[0]->severity, Severity::kLow);
  EXPECT_NE(mac[0]->evidence.find("cloud-init"), std::string::npos);
  EXPECT_EQ(mac[1]->severity, Severity::kMedium);
}

}  // namespace
}  // namespace imageprobe::probes

namespace imageprobe::probes {
namespace {

TEST(LiftAndShiftProbe, SwapEntriesKeepDistinctKeysAndIdentities) {
  testing::MemoryFs fs;
  fs.File("/etc/fstab",
          "/dev/sda2 swap swap defaults 0 0\n/dev/sdb2 none swap sw 0 0\n"
          "/dev/xvdf /scratch ext4 defaults,nofail 0 2\nbroken\n");
  auto run = testing::RunProbe(LiftAndShiftProbe(), fs);
  EXPECT_NE(run.FindFact("migration/fstab_entry", "/dev/sda2"), nullptr);
  EXPECT_NE(run.FindFact("migration/fstab_entry", "/dev/sdb2"), nullptr);
  auto devices = run.Findings("migration.fstab.device_name");
  ASSERT_EQ(devices.size(), 3u);
  EXPECT_NE(devices[0]->identity, devices[1]->identity);
  EXPECT_EQ(devices[2]->severity, Severity::kLow);  // nofail: the boot carries on
  ASSERT_EQ(run.out.errors().size(), 1u);
  EXPECT_NE(run.out.errors()[0].message.find("line 4"), std::string::npos);
}

}  // namespace
}  // namespace imageprobe::probes
