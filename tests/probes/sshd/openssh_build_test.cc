// SPDX-License-Identifier: Apache-2.0
// Which OpenSSH an image has (dpkg, rpmdb, the binary), its packaging family, and the
// compiled-in defaults of that version applied to what sshd_config leaves unset.
#include "probes/sshd/openssh_build.h"

#include <gtest/gtest.h>

#include "probes/sshd/openssh_defaults.h"
#include "probes/sshd/sshd_config.h"
#include "probes/sshd/sshd_config_probe.h"
#include "probes/sshd/sshd_keywords.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::probes {
namespace {

using imageprobe::testing::MemoryFs;
using Family = OpensshBuild::Family;

OpensshBuild Build(int major, int minor) {
  OpensshBuild build;
  build.major = major;
  build.minor = minor;
  return build;
}

TEST(ParseOpensshVersion, PackageVersionsAndBanners) {
  auto v = ParseOpensshVersion("1:9.2p1-2+deb12u3");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->version, "9.2p1");
  EXPECT_EQ(v->major, 9);
  EXPECT_EQ(v->minor, 2);
  EXPECT_EQ(ParseOpensshVersion("8.7p1-38.el9_4.1")->version, "8.7p1");
  EXPECT_EQ(ParseOpensshVersion("7.4p1")->minor, 4);
  EXPECT_EQ(ParseOpensshVersion("OpenSSH_10.0p2")->major, 10);
  auto trusty = ParseOpensshVersion("1:6.6p1-2ubuntu2.13");
  ASSERT_TRUE(trusty);
  EXPECT_EQ(trusty->version, "6.6p1");
  EXPECT_EQ(ParseOpensshVersion("6.6.1p1-2ubuntu2")->version, "6.6.1p1");
  EXPECT_EQ(ParseOpensshVersion("6.6.1p1-2ubuntu2")->minor, 6);
  EXPECT_EQ(ParseOpensshVersion("9.2")->version, "9.2");
  EXPECT_FALSE(ParseOpensshVersion(""));
  EXPECT_FALSE(ParseOpensshVersion("1:"));
  EXPECT_FALSE(ParseOpensshVersion("openssh"));
  EXPECT_FALSE(ParseOpensshVersion("9"));
  EXPECT_FALSE(ParseOpensshVersion("0.9p1"));
  EXPECT_FALSE(ParseOpensshVersion("99999.1"));
}

TEST(FindOpensshVersionInBinary, SkipsCompatPatterns) {
  std::string bytes(
      "\x7f"
      "ELF",
      4);
  bytes += std::string("OpenSSH_2*,OpenSSH_3*,OpenSSH_4*\0OpenSSH_6.6.1*\0OpenSSH_7.4*\0", 49);
  EXPECT_FALSE(FindOpensshVersionInBinary(bytes));
  bytes += std::string("OpenSSH_9.2\0", 12);
  EXPECT_EQ(FindOpensshVersionInBinary(bytes)->version, "9.2");
  bytes += std::string("OpenSSH_9.2p1 Debian-2+deb12u10\0", 32);
  auto v = FindOpensshVersionInBinary(bytes);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->version, "9.2p1");
  EXPECT_EQ(v->minor, 2);
  EXPECT_FALSE(FindOpensshVersionInBinary(""));
  EXPECT_FALSE(FindOpensshVersionInBinary("OpenSSH_"));
  EXPECT_FALSE(FindOpensshVersionInBinary(std::string(100000, 'O') + "OpenSSH_x"));
}

TEST(OpensshFamilyFor, FromOsReleaseIdAndIdLike) {
  EXPECT_EQ(OpensshFamilyFor("debian", ""), Family::kDebian);
  EXPECT_EQ(OpensshFamilyFor("ubuntu", "debian"), Family::kDebian);
  EXPECT_EQ(OpensshFamilyFor("linuxmint", "ubuntu debian"), Family::kDebian);
  EXPECT_EQ(OpensshFamilyFor("rhel", "fedora"), Family::kRedHat);
  EXPECT_EQ(OpensshFamilyFor("centos", "rhel fedora"), Family::kRedHat);
  EXPECT_EQ(OpensshFamilyFor("amzn", "centos rhel fedora"), Family::kRedHat);
  EXPECT_EQ(OpensshFamilyFor("rocky", "rhel centos fedora"), Family::kRedHat);
  EXPECT_EQ(OpensshFamilyFor("AlmaLinux", ""), Family::kRedHat);
  EXPECT_EQ(OpensshFamilyFor("ol", "fedora"), Family::kRedHat);
  EXPECT_EQ(OpensshFamilyFor("alpine", ""), Family::kUpstream);
  EXPECT_EQ(OpensshFamilyFor("opensuse-leap", "suse opensuse"), Family::kUpstream);
  EXPECT_EQ(OpensshFamilyFor("", ""), Family::kUpstream);
  EXPECT_EQ(FamilyName(Family::kRedHat), "redhat");
}

constexpr std::string_view kDpkgStatus =
    "Package: openssh-client\nStatus: install ok installed\nVersion: 1:9.2p1-2+deb12u3\n\n"
    "Package: openssh-server\nStatus: install ok installed\nPriority: optional\n"
    "Version: 1:9.2p1-2+deb12u3\nDescription: secure shell (SSH) server\n continued\n";

TEST(CollectOpensshBuild, DpkgFirst) {
  MemoryFs fs;
  fs.File("/var/lib/dpkg/status", std::string(kDpkgStatus));
  fs.File("/usr/sbin/sshd", std::string("OpenSSH_8.4p1\0", 14));
  fs.File("/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
  OpensshBuild build = CollectOpensshBuild(fs, ScanLimits{});
  EXPECT_EQ(build.version, "9.2p1");
  EXPECT_EQ(build.package_version, "1:9.2p1-2+deb12u3");
  EXPECT_EQ(build.source, "/var/lib/dpkg/status");
  EXPECT_EQ(build.family, Family::kDebian);
  EXPECT_EQ(build.defaults, "OpenSSH 9.2");
  EXPECT_TRUE(build.known());
  EXPECT_TRUE(build.AtLeast(8, 8));
  EXPECT_FALSE(build.AtLeast(9, 3));
}

TEST(CollectOpensshBuild, RpmThenBinary) {
  MemoryFs fs;
  fs.File("/usr/sbin/sshd", std::string("OpenSSH_8.7p1\0", 14));
  RpmDatabase rpm;
  rpm.path = "/var/lib/rpm/rpmdb.sqlite";
  rpm.format = "sqlite";
  rpm.packages.push_back({"openssh-server", std::nullopt, "8.7p1", "38.el9", "x86_64", {}});
  OsInfo os;
  os.detected = true;
  os.id = "rocky";
  os.id_like = "rhel centos fedora";
  OpensshBuild build = CollectOpensshBuild(fs, ScanLimits{}, &os, &rpm);
  EXPECT_EQ(build.version, "8.7p1");
  EXPECT_EQ(build.package_version, "8.7p1-38.el9");
  EXPECT_EQ(build.source, "/var/lib/rpm/rpmdb.sqlite");
  EXPECT_EQ(build.family, Family::kRedHat);

  rpm.packages.clear();  // no openssh-server package: the binary says
  build = CollectOpensshBuild(fs, ScanLimits{}, &os, &rpm);
  EXPECT_EQ(build.version, "8.7p1");
  EXPECT_EQ(build.package_version, "");
  EXPECT_EQ(build.source, "/usr/sbin/sshd");
  EXPECT_EQ(build.defaults, "OpenSSH 8.7");
}

TEST(CollectOpensshBuild, UnknownVersionTakesTheNewestTableAndSaysSo) {
  MemoryFs fs;
  fs.File("/usr/sbin/sshd",
          "\x7f"
          "ELF");
  OpensshBuild build = CollectOpensshBuild(fs, ScanLimits{});
  EXPECT_FALSE(build.known());
  EXPECT_FALSE(build.AtLeast(1, 0));
  EXPECT_EQ(build.source, "");
  EXPECT_EQ(build.family, Family::kUpstream);
  EXPECT_EQ(build.defaults, "OpenSSH 10.3 (version unknown: newest table)");
  EXPECT_EQ(OpensshTableVersion(build), kOpensshNewestTable);
  const OpensshDefaultRow* row = FindOpensshDefault("PubkeyAcceptedAlgorithms", build);
  ASSERT_NE(row, nullptr);
  EXPECT_NE(row->value.find("webauthn"), std::string_view::npos);
}

// --- the defaults per version ---

SshdConfig ConfigWith(std::string_view server_version, std::string_view sshd_config) {
  MemoryFs fs;
  fs.File("/var/lib/dpkg/status",
          "Package: openssh-server\nStatus: install ok installed\n"
          "Version: " +
              std::string(server_version) + "\n");
  fs.File("/etc/ssh/sshd_config", std::string(sshd_config));
  return CollectSshdConfig(fs, ScanLimits{});
}

TEST(OpensshDefaults, PermitRootLoginYesBefore70) {
  SshdConfig trusty = ConfigWith("1:6.6p1-2ubuntu2.13", "PasswordAuthentication yes\n");
  EXPECT_EQ(trusty.build.defaults, "OpenSSH 6.6");
  const SshdSetting* root = trusty.Global("PermitRootLogin");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->First(), "yes");
  EXPECT_TRUE(root->is_default());
  EXPECT_EQ(root->values.front().origin.Describe(), "default");
  EXPECT_EQ(ConfigWith("1:7.0p1-1", "").Global("PermitRootLogin")->First(), "prohibit-password");
  // A configured value wins whatever the version.
  EXPECT_EQ(ConfigWith("1:6.6p1-2", "PermitRootLogin no\n").Global("PermitRootLogin")->First(),
            "no");
}

TEST(OpensshDefaults, DsaAndSha1RsaInThePubkeyDefaultList) {
  auto list = [](std::string_view version) {
    SshdConfig config = ConfigWith(version, "");
    const SshdSetting* setting = config.Global("PubkeyAcceptedKeyTypes");
    return setting == nullptr ? std::string() : std::string(setting->First());
  };
  auto has = [](const std::string& list, std::string_view name) {
    return ("," + list + ",").find("," + std::string(name) + ",") != std::string::npos;
  };
  EXPECT_TRUE(has(list("1:6.6p1-2"), "ssh-dss"));  // no keyword yet: every type accepted
  EXPECT_TRUE(has(list("1:6.9p1-1"), "ssh-dss"));
  EXPECT_FALSE(has(list("1:7.4p1-10+deb9u7"), "ssh-dss"));
  EXPECT_TRUE(has(list("1:7.4p1-10+deb9u7"), "ssh-rsa"));
  EXPECT_TRUE(has(list("1:8.4p1-5"), "ssh-rsa"));
  EXPECT_FALSE(has(list("1:8.8p1-1"), "ssh-rsa"));
  EXPECT_TRUE(has(list("1:8.8p1-1"), "rsa-sha2-512"));
  EXPECT_FALSE(has(list("1:7.1p2-1"), "rsa-sha2-512"));
  EXPECT_TRUE(has(list("1:7.2p2-4"), "rsa-sha2-512"));

  EXPECT_EQ(FindOpensshDefault("PubkeyAcceptedAlgorithms", Build(6, 6))->spelled, "");
  EXPECT_EQ(FindOpensshDefault("PubkeyAcceptedAlgorithms", Build(7, 4))->spelled,
            "PubkeyAcceptedKeyTypes");
  EXPECT_EQ(FindOpensshDefault("PubkeyAcceptedKeyTypes", Build(8, 5))->spelled,
            "PubkeyAcceptedAlgorithms");
  // DSA removed in 10.0: even "+ssh-dss" cannot turn it back on.
  EXPECT_EQ(OpensshSupportedAlgorithms("PubkeyAcceptedAlgorithms", Build(9, 2)).find("ssh-dss"),
            SupportedAlgorithms("PubkeyAcceptedAlgorithms").find("ssh-dss"));
  EXPECT_EQ(OpensshSupportedAlgorithms("PubkeyAcceptedAlgorithms", Build(10, 0)).find("ssh-dss"),
            std::string::npos);
}

TEST(OpensshDefaults, ChallengeResponseBefore87AliasFrom87) {
  const OpensshDefaultRow* old_row =
      FindOpensshDefault("KbdInteractiveAuthentication", Build(8, 6));
  ASSERT_NE(old_row, nullptr);
  EXPECT_EQ(old_row->spelled, "ChallengeResponseAuthentication");
  EXPECT_EQ(old_row->value, "yes");
  const OpensshDefaultRow* new_row =
      FindOpensshDefault("ChallengeResponseAuthentication", Build(8, 7));
  ASSERT_NE(new_row, nullptr);
  EXPECT_EQ(new_row->spelled, "KbdInteractiveAuthentication");
  EXPECT_EQ(new_row->since, OpensshVersionCode(8, 7));
  // Either spelling in the file sets the one keyword.
  SshdConfig config = ConfigWith("1:8.7p1-1", "ChallengeResponseAuthentication no\n");
  EXPECT_EQ(config.Global("KbdInteractiveAuthentication")->First(), "no");
  EXPECT_EQ(ConfigWith("1:8.4p1-5", "").Global("KbdInteractiveAuthentication")->First(), "yes");
}

TEST(OpensshDefaults, RequiredRsaSizeFrom91) {
  SshdConfig bookworm = ConfigWith("1:9.2p1-2+deb12u3", "");
  ASSERT_NE(bookworm.Global("RequiredRSASize"), nullptr);
  EXPECT_EQ(bookworm.Global("RequiredRSASize")->First(), "1024");
  EXPECT_EQ(ConfigWith("1:9.0p1-1", "").Global("RequiredRSASize"), nullptr);
  EXPECT_EQ(ConfigWith("1:8.4p1-5", "").Global("CASignatureAlgorithms")->First().find("ssh-rsa,"),
            std::string_view::npos);
  EXPECT_EQ(ConfigWith("1:7.6p1-4", "").Global("CASignatureAlgorithms"), nullptr);
}

// Every 9.x version gets exactly the keyword table's defaults (what the sshd -T oracle checks
// against 9.2), and every row cites a release.
TEST(OpensshDefaults, NineXIsTheKeywordTable) {
  for (int minor = 0; minor <= 9; ++minor) {
    for (const SshdKeyword& keyword : AllSshdKeywords()) {
      const OpensshDefaultRow* row = FindOpensshDefault(keyword.name, Build(9, minor));
      if (row == nullptr) continue;
      if (keyword.name == "RequiredRSASize" && minor == 0) {
        EXPECT_EQ(row->value, "");
        continue;
      }
      EXPECT_EQ(row->value, keyword.default_value) << keyword.name << " at 9." << minor;
    }
  }
  for (const OpensshDefaultRow& row : OpensshDefaultRows()) {
    EXPECT_NE(FindSshdKeyword(row.keyword), nullptr) << row.keyword;
    EXPECT_NE(row.citation.find("OpenSSH "), std::string_view::npos) << row.keyword;
    EXPECT_TRUE(row.until == 0 || row.until > row.since) << row.keyword;
  }
}

TEST(SshdOpensshFact, EmittedByTheProbe) {
  MemoryFs fs;
  fs.File("/var/lib/dpkg/status", std::string(kDpkgStatus));
  fs.File("/usr/sbin/sshd",
          "\x7f"
          "ELF",
          {.mode = 0755});
  fs.File("/etc/ssh/sshd_config", "UsePAM yes\n");
  OsInfo os;
  os.detected = true;
  os.id = "debian";
  ScanLimits limits;
  Context context;
  Target target{fs, os, limits, context};
  Output out;
  SshdConfigProbe().Run(target, out);
  const Fact* fact = nullptr;
  for (const Fact& f : out.facts()) {
    if (f.kind == "sshd/openssh" && f.key == "sshd") fact = &f;
  }
  ASSERT_NE(fact, nullptr);
  EXPECT_EQ(fact->data["version"], "9.2p1");
  EXPECT_EQ(fact->data["package_version"], "1:9.2p1-2+deb12u3");
  EXPECT_EQ(fact->data["source"], "/var/lib/dpkg/status");
  EXPECT_EQ(fact->data["family"], "debian");
  EXPECT_EQ(fact->data["defaults"], "OpenSSH 9.2");
}

}  // namespace
}  // namespace imageprobe::probes
