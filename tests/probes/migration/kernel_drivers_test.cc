// SPDX-License-Identifier: Apache-2.0
#include "probes/migration/kernel_drivers.h"

#include <gtest/gtest.h>

#include "probes/common/dpkg_status.h"

namespace imageprobe::probes {
namespace {

using namespace std::string_literals;

TEST(IsModuleFile, NamesAndCompression) {
  EXPECT_TRUE(IsModuleFile("kernel/drivers/nvme/host/nvme.ko.xz", "nvme"));
  EXPECT_TRUE(IsModuleFile("ena.ko", "ena"));
  EXPECT_TRUE(IsModuleFile("updates/dkms/ena.ko.zst", "ena"));
  EXPECT_FALSE(IsModuleFile("kernel/drivers/nvme/host/nvme-core.ko", "nvme"));
  EXPECT_FALSE(IsModuleFile("kernel/drivers/net/ethernet/amazon/ena/ena.ko.bak", "ena"));
  EXPECT_FALSE(IsModuleFile("kena.ko", "ena"));
  EXPECT_FALSE(IsModuleFile("", "ena"));
}

TEST(NoteModuleList, DepAndBuiltinFormats) {
  KernelDrivers drivers;
  NoteModuleList(
      "kernel/drivers/net/ethernet/amazon/ena/ena.ko.xz: kernel/lib/x.ko\r\n"
      "kernel/drivers/nvme/host/nvme-core.ko.xz:\r\n",
      "modules.dep", drivers);
  EXPECT_TRUE(drivers.known);
  EXPECT_TRUE(drivers.ena);
  EXPECT_FALSE(drivers.nvme);
  NoteModuleList("kernel/drivers/nvme/host/nvme.ko\n", "modules.builtin", drivers);
  EXPECT_TRUE(drivers.nvme);
  EXPECT_EQ(drivers.evidence, (std::vector<std::string>{"modules.dep", "modules.builtin"}));

  KernelDrivers junk;
  NoteModuleList("\0\xff:::\n:\n"s + std::string(100'000, ':'), "modules.dep", junk);
  EXPECT_FALSE(junk.ena || junk.nvme);
}

TEST(ParseDpkgStatus, InstalledPackages) {
  auto packages = ParseDpkgStatus(
      "Package: open-vm-tools\r\nStatus: install ok installed\r\nVersion: 2:12.1.5-3\r\n"
      "Description: tools\r\n long description\r\n\r\n"
      "Package: vmware-tools-old\nStatus: deinstall ok config-files\nVersion: 1\n\n"
      "Status: install ok installed\n\n"
      "garbage without colon\n\0\xff\n"s);
  ASSERT_EQ(packages.size(), 2u);
  EXPECT_EQ(packages[0].name, "open-vm-tools");
  EXPECT_EQ(packages[0].version, "2:12.1.5-3");
  EXPECT_TRUE(packages[0].installed());
  EXPECT_FALSE(packages[1].installed());
}

}  // namespace
}  // namespace imageprobe::probes
