// SPDX-License-Identifier: Apache-2.0
#include "probes/os/os_probe.h"

#include <gtest/gtest.h>

#include <set>

#include "probes/os/end_of_life.h"
#include "scanner/core/runner.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::probes::os {
namespace {

using namespace std::chrono;
using namespace std::string_literals;

constexpr year_month_day kScanDate{year{2025}, month{1}, day{15}};

RootReport Scan(const Filesystem& fs, year_month_day today = kScanDate) {
  OsProbe probe([today] { return today; });
  const Probe* probes[] = {&probe};
  return RunProbes(fs, {"/", "test"}, probes, ScanLimits{});
}

std::string X86Elf() {
  std::string h(64, '\0');
  h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F', h[4] = 2, h[5] = 1, h[18] = 62;
  return h;
}

TEST(OsProbe, Ubuntu1404IsPastAllSupport) {
  testing::MemoryFs fs;
  fs.File("/usr/lib/os-release",
          "NAME=\"Ubuntu\"\nVERSION=\"14.04.6 LTS, Trusty Tahr\"\nID=ubuntu\nID_LIKE=debian\n"
          "PRETTY_NAME=\"Ubuntu 14.04.6 LTS\"\nVERSION_ID=\"14.04\"\n");
  fs.Symlink("/etc/os-release", "../usr/lib/os-release");
  fs.File("/etc/hostname", "trusty-builder\n");
  fs.Symlink("/bin", "usr/bin");  // merged /usr: /bin/sh resolves inside the image
  fs.File("/usr/bin/dash", X86Elf());
  fs.Symlink("/usr/bin/sh", "dash");
  fs.File("/var/lib/dpkg/status", "Package: base-files\n");

  RootReport report = Scan(fs);
  EXPECT_TRUE(report.os.detected);
  EXPECT_EQ(report.os.id, "ubuntu");
  EXPECT_EQ(report.os.version_id, "14.04");
  EXPECT_EQ(report.os.hostname, "trusty-builder");
  EXPECT_EQ(report.os.arch, "x86_64");
  EXPECT_EQ(report.os.package_format, "deb");
  EXPECT_EQ(report.os.source, "/etc/os-release");
  EXPECT_FALSE(report.partial);

  ASSERT_EQ(report.facts.size(), 1u);
  EXPECT_EQ(report.facts[0].kind, "os/release");
  EXPECT_EQ(report.facts[0].key, "release");
  EXPECT_EQ(report.facts[0].data["version"], "14.04.6 LTS, Trusty Tahr");
  EXPECT_EQ(report.facts[0].data["standard_support_end"], "2019-04-30");
  EXPECT_EQ(report.facts[0].data["extended_support_end"], "2024-04-30");

  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& f = report.findings[0];
  EXPECT_EQ(f.rule_id, "os.end_of_life");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.path, "/etc/os-release");
  EXPECT_NE(f.evidence.find("ESM ended 2024-04-30"), std::string::npos) << f.evidence;
  EXPECT_NE(f.evidence.find("https://ubuntu.com/about/release-cycle"), std::string::npos);
  EXPECT_EQ(f.identity, "os.end_of_life|/etc/os-release||ubuntu 14.04");
}

TEST(OsProbe, CentOS7IsEndOfLifeAndRpmBased) {
  testing::MemoryFs fs;
  fs.File("/etc/os-release",
          "NAME=\"CentOS Linux\"\r\nVERSION=\"7 (Core)\"\r\nID=\"centos\"\r\n"
          "ID_LIKE=\"rhel fedora\"\r\nVERSION_ID=\"7\"\r\n");
  fs.File("/etc/sysconfig/network", "NETWORKING=yes\nHOSTNAME=legacy.example.com\n");
  fs.File("/var/lib/rpm/Packages", "");
  RootReport report = Scan(fs);
  EXPECT_EQ(report.os.id, "centos");
  EXPECT_EQ(report.os.hostname, "legacy.example.com");
  EXPECT_EQ(report.os.package_format, "rpm");
  EXPECT_EQ(report.os.arch, "");  // no binary to read: unknown, not guessed
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].severity, Severity::kHigh);  // no extended tier for CentOS
  EXPECT_NE(report.findings[0].title.find("CentOS Linux 7"), std::string::npos);
}

TEST(OsProbe, Ubuntu2404IsSupported) {
  testing::MemoryFs fs;
  fs.File("/etc/os-release", "ID=ubuntu\nVERSION_ID=\"24.04\"\nNAME=\"Ubuntu\"\n");
  RootReport report = Scan(fs, year_month_day{year{2026}, month{11}, day{23}});
  EXPECT_TRUE(report.os.detected);
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.facts.at(0).data["standard_support_end"], "2029-05-31");
}

TEST(OsProbe, StandardSupportEndedIsMedium) {
  testing::MemoryFs fs;
  fs.File("/etc/os-release", "ID=ubuntu\nVERSION_ID=\"20.04\"\nNAME=\"Ubuntu\"\n");
  RootReport report = Scan(fs, year_month_day{year{2026}, month{1}, day{1}});
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].severity, Severity::kMedium);
  EXPECT_NE(report.findings[0].evidence.find("ESM runs until 2030-04-30"), std::string::npos);
  // The last day of support is still supported.
  EXPECT_TRUE(Scan(fs, year_month_day{year{2025}, month{5}, day{31}}).findings.empty());
}

TEST(OsProbe, UnknownDistroIsIdentifiedWithoutFinding) {
  testing::MemoryFs fs;
  fs.File("/etc/os-release", "ID=frobnix\nVERSION_ID=1.0\nNAME=Frobnix\n");
  RootReport report = Scan(fs);
  EXPECT_TRUE(report.os.detected);
  EXPECT_EQ(report.os.id, "frobnix");
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.facts.at(0).data["standard_support_end"], "");
}

TEST(OsProbe, MalformedOsReleaseMarksPartialButStillIdentifies) {
  testing::MemoryFs fs;
  fs.File("/etc/os-release",
          "ID=debian\nGARBAGE LINE\nVERSION_ID=\"9\nVERSION_ID=9\0\n"s
          "VERSION_ID=\"9\"\n");
  RootReport report = Scan(fs);
  EXPECT_EQ(report.os.id, "debian");
  EXPECT_EQ(report.os.version_id, "9");
  EXPECT_TRUE(report.partial);
  ASSERT_EQ(report.errors.size(), 3u);
  EXPECT_EQ(report.errors[0].path, "/etc/os-release");
  EXPECT_EQ(report.errors[0].message, "line 2: not a KEY=value assignment");
  EXPECT_EQ(report.errors[0].source, "os");
}

TEST(OsProbe, LegacyFilesWhenThereIsNoOsRelease) {
  testing::MemoryFs redhat;
  redhat.File("/etc/redhat-release", "CentOS release 6.10 (Final)\n");
  RootReport report = Scan(redhat);
  EXPECT_EQ(report.os.id, "centos");
  EXPECT_EQ(report.os.version_id, "6");
  EXPECT_EQ(report.os.source, "/etc/redhat-release");
  EXPECT_EQ(report.findings.size(), 1u);

  testing::MemoryFs amazon;
  amazon.File("/etc/system-release", "Amazon Linux AMI release 2018.03\n");
  report = Scan(amazon);
  EXPECT_EQ(report.os.id, "amzn");
  EXPECT_EQ(report.findings.at(0).severity, Severity::kHigh);

  testing::MemoryFs lsb;
  lsb.File("/etc/lsb-release",
           "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=16.04\nDISTRIB_CODENAME=xenial\n"
           "DISTRIB_DESCRIPTION=\"Ubuntu 16.04.7 LTS\"\n");
  lsb.File("/etc/debian_version", "stretch/sid\n");
  report = Scan(lsb);
  EXPECT_EQ(report.os.id, "ubuntu");
  EXPECT_EQ(report.os.pretty_name, "Ubuntu 16.04.7 LTS");
  EXPECT_EQ(report.findings.at(0).severity, Severity::kMedium);  // ESM until 2026-04

  testing::MemoryFs debian;
  debian.File("/etc/debian_version", "8.11\n");
  report = Scan(debian);
  EXPECT_EQ(report.os.id, "debian");
  EXPECT_EQ(report.os.version_id, "8");
  EXPECT_EQ(report.findings.at(0).severity, Severity::kHigh);
}

TEST(OsProbe, CentOSStreamHasItsOwnDates) {
  testing::MemoryFs fs;
  fs.File("/etc/os-release", "NAME=\"CentOS Stream\"\nID=\"centos\"\nVERSION_ID=\"8\"\n");
  RootReport report = Scan(fs, year_month_day{year{2024}, month{1}, day{1}});
  EXPECT_TRUE(report.findings.empty());  // CentOS Linux 8 ended 2021-12-31, Stream 8 later
  report = Scan(fs, year_month_day{year{2024}, month{6}, day{1}});
  EXPECT_EQ(report.findings.size(), 1u);
}

TEST(OsProbe, NoEtcIsNotApplicable) {
  testing::MemoryFs fs;
  fs.File("/data/readme.txt", "not an OS");
  RootReport report = Scan(fs);
  EXPECT_FALSE(report.os.detected);
  ASSERT_EQ(report.probes.size(), 1u);
  EXPECT_EQ(report.probes[0].status, ProbeStatus::kNotApplicable);
  EXPECT_EQ(report.probes[0].reason, "no /etc directory in this root");
  EXPECT_TRUE(report.facts.empty());
  EXPECT_FALSE(report.partial);
}

TEST(OsProbe, UnrecognisableEtcIsNotApplicable) {
  testing::MemoryFs fs;
  fs.File("/etc/hostname", "box\n");
  fs.File("/etc/debian_version", "\x01\x02 junk");
  RootReport report = Scan(fs);
  EXPECT_FALSE(report.os.detected);
  EXPECT_EQ(report.os.hostname, "box");
  EXPECT_EQ(report.probes[0].status, ProbeStatus::kNotApplicable);
}

TEST(OsProbe, OsReleaseThatIsADeviceIsAnError) {
  testing::MemoryFs fs;
  fs.Special("/etc/os-release", FileType::kCharDevice);
  fs.File("/usr/lib/os-release", "ID=debian\nVERSION_ID=12\n");
  RootReport report = Scan(fs);
  EXPECT_TRUE(report.partial);
  EXPECT_EQ(report.os.id, "debian");  // falls back to /usr/lib/os-release
}

TEST(EndOfLifeTable, RowsAreConsistent) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const EolEntry& e : EndOfLifeTable()) {
    SCOPED_TRACE(std::string(e.distro) + " " + std::string(e.version));
    EXPECT_TRUE(e.standard_end.ok());
    if (e.extended_end) {
      EXPECT_TRUE(e.extended_end->ok());
      EXPECT_LE(sys_days(e.standard_end), sys_days(*e.extended_end));
      EXPECT_FALSE(e.extended_name.empty());
    }
    EXPECT_TRUE(e.source.starts_with("https://"));
    EXPECT_TRUE(seen.insert({e.distro, e.version}).second) << "duplicate row";
  }
  for (std::string_view distro : {"ubuntu", "debian", "rhel", "centos", "centos-stream", "amzn",
                                  "rocky", "almalinux", "sles", "ol"}) {
    EXPECT_TRUE(std::ranges::any_of(EndOfLifeTable(), [&](const EolEntry& e) {
      return e.distro == distro;
    })) << distro;
  }
}

TEST(EndOfLifeTable, MajorMatchDoesNotConfuseVersions) {
  OsInfo os{.detected = true, .id = "rhel", .version_id = "7.9"};
  ASSERT_NE(FindEndOfLife(os, EndOfLifeTable()), nullptr);
  EXPECT_EQ(FindEndOfLife(os, EndOfLifeTable())->version, "7");
  os.id = "ubuntu";
  os.version_id = "14.10";  // interim release: not in the table, not matched as 14.04
  EXPECT_EQ(FindEndOfLife(os, EndOfLifeTable()), nullptr);
  os.id = "sles";
  os.version_id = "15.9";
  EXPECT_EQ(FindEndOfLife(os, EndOfLifeTable()), nullptr);
}

}  // namespace
}  // namespace imageprobe::probes::os
