// SPDX-License-Identifier: Apache-2.0
#include "probes/migration/fstab.h"

#include <gtest/gtest.h>

namespace imageprobe::probes {
namespace {

using namespace std::string_literals;

FstabAssessment Assess(std::string_view line) {
  auto parsed = parse::ParseFstab(line);
  EXPECT_EQ(parsed.entries.size(), 1u) << line;
  return AssessFstabEntryForNitro(parsed.entries.at(0));
}

TEST(AssessFstabEntryForNitro, DeviceNames) {
  EXPECT_EQ(Assess("/dev/sdb1 /data xfs defaults 0 0").risk, NitroRisk::kDeviceName);
  EXPECT_EQ(Assess("/dev/xvdf /data ext4 defaults 0 0").risk, NitroRisk::kDeviceName);
  EXPECT_EQ(Assess("/dev/hda2 /old ext3 defaults 0 0").risk, NitroRisk::kDeviceName);
  auto soft = Assess("/dev/sdc /scratch ext4 defaults,nofail 0 2");
  EXPECT_EQ(soft.risk, NitroRisk::kDeviceName);
  EXPECT_TRUE(soft.nofail);
  for (auto ok : {"UUID=1234 / xfs defaults 0 0", "LABEL=root / ext4 defaults 0 0",
                  "/dev/mapper/rhel-root / xfs defaults 0 0", "/dev/vg0/lv_data /d xfs defaults",
                  "/dev/nvme1n1p1 /d xfs defaults", "tmpfs /tmp tmpfs defaults 0 0",
                  "proc /proc proc defaults 0 0"}) {
    EXPECT_EQ(Assess(ok).risk, NitroRisk::kNone) << ok;
  }
}

TEST(AssessFstabEntryForNitro, NetworkMounts) {
  auto nfs = Assess("filer:/export/home /home nfs defaults 0 0");
  EXPECT_EQ(nfs.risk, NitroRisk::kNetworkMount);
  EXPECT_NE(nfs.reason.find("filer:/export/home"), std::string::npos);
  EXPECT_EQ(Assess("//winsrv/share /mnt/share cifs credentials=/root/.smb 0 0").risk,
            NitroRisk::kNetworkMount);
  EXPECT_EQ(Assess("10.0.0.5:/vol /vol nfs4 _netdev 0 0").risk, NitroRisk::kNetworkMount);
  EXPECT_EQ(Assess("filer:/export /x nfs defaults,nofail 0 0").risk, NitroRisk::kNone);
}

}  // namespace
}  // namespace imageprobe::probes
