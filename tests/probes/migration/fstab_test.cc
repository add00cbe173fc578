// SPDX-License-Identifier: Apache-2.0
#include "probes/migration/fstab.h"

#include <gtest/gtest.h>

namespace imageprobe::probes {
namespace {

using namespace std::string_literals;

TEST(ParseFstab, FieldsEscapesAndProblems) {
  auto parsed = ParseFstab(
      "# comment\r\n"
      "UUID=abc / ext4 defaults 0 1\r\n"
      "/dev/sdb1\t/mnt/My\\040Disk  xfs\n"
      "onlytwo fields\n"
      "a b c d e f g\n"
      "\n");
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].options, "defaults");
  EXPECT_EQ(parsed.entries[1].mount_point, "/mnt/My Disk");
  EXPECT_EQ(parsed.entries[1].options, "defaults");  // missing field
  EXPECT_EQ(parsed.entries[1].line, 3u);
  ASSERT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(parsed.problems[0].line, 4u);
  EXPECT_EQ(parsed.problems[1].line, 5u);
}

TEST(ParseFstab, JunkNeverCrashes) {
  EXPECT_NO_THROW(ParseFstab("\0\xff\xfe \\0 \\\n"s + std::string(100'000, 'x') + " / ext4\n"));
  auto parsed = ParseFstab("/dev/sda1 / ext4 \\12\n");
  ASSERT_EQ(parsed.entries.size(), 1u);
  EXPECT_EQ(parsed.entries[0].options, "\\12");  // too short to be an escape: kept
}

FstabAssessment Assess(std::string_view line) {
  auto parsed = ParseFstab(line);
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
