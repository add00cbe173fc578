// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "probes/aws/ssm_agent_probe.h"
#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

using testing::FixturesDir;
using testing::LoadFixtureTree;
using testing::MemoryFs;
using testing::RunProbe;
using namespace std::string_literals;

MemoryFs Fixture(std::string_view name) {
  MemoryFs fs;
  LoadFixtureTree(FixturesDir() / name / "root", fs);
  return fs;
}

TEST(SsmAgentProbe, LiftAndShiftImageWithStaleHybridIdentity) {
  MemoryFs fs = Fixture("ssm_lift_and_shift");
  auto r = RunProbe(SsmAgentProbe(), fs);
  EXPECT_TRUE(r.out.applicable());
  EXPECT_TRUE(r.errors().empty()) << r.errors()[0].path << ": " << r.errors()[0].message;

  const Fact* agent = r.FindFact("ssm/agent", "agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->data["packaging"], "deb");
  EXPECT_EQ(agent->data["version"], "3.3.131.0-1");
  EXPECT_EQ(agent->data["version_source"], "/var/lib/dpkg/status");
  EXPECT_EQ(agent->data["enabled"], true);
  EXPECT_EQ(agent->data["wanted_by"][0],
            "/etc/systemd/system/multi-user.target.wants/amazon-ssm-agent.service");

  const Fact* reg = r.FindFact("ssm/registration", "registration");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->data["managed_instance_id"], "mi-0a1b2c3d4e5f60718");
  const Finding* baked = r.FirstFinding("ssm.registration.present");
  ASSERT_NE(baked, nullptr);
  EXPECT_EQ(baked->severity, Severity::kCritical);
  EXPECT_NE(baked->evidence.find("RegistrationKey is populated"), std::string::npos);

  const Finding* key = r.FirstFinding("ssm.vault.registration_key");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->severity, Severity::kCritical);
  EXPECT_NE(key->evidence.find("privateKey present ("), std::string::npos);
  EXPECT_EQ(key->evidence.find("MIIE"), std::string::npos);

  const Fact* fingerprint = r.FindFact("ssm/fingerprint", "InstanceFingerprint");
  ASSERT_NE(fingerprint, nullptr);
  EXPECT_EQ(fingerprint->data["machine_id_matches_image"], false);
  EXPECT_EQ(fingerprint->data["machine_id"], "fedc…3210");  // redacted
  ASSERT_NE(r.FirstFinding("ssm.fingerprint.machine_id_mismatch"), nullptr);
  EXPECT_EQ(r.FirstFinding("ssm.fingerprint.machine_id_reused"), nullptr);

  // Two per-instance folders: the registered one (low) and another machine's (medium).
  EXPECT_EQ(r.Facts("ssm/instance_folder").size(), 2u);
  const Fact* other = r.FindFact("ssm/instance_folder", "mi-0ffee0ffee0ffee01");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->data["top_level"], (nlohmann::json{"channels", "document"}));
  EXPECT_EQ(other->data["newest_mtime_utc"], "2023-11-14T22:13:20Z");
  auto folders = r.Findings("ssm.instance_folder.leftover");
  ASSERT_EQ(folders.size(), 2u);
  for (const Finding* f : folders) {
    bool is_other = f->path.ends_with("mi-0ffee0ffee0ffee01");
    EXPECT_EQ(f->severity, is_other ? Severity::kMedium : Severity::kLow) << f->path;
  }

  const Finding* debug = r.FirstFinding("ssm.seelog.debug");
  ASSERT_NE(debug, nullptr);
  EXPECT_EQ(debug->evidence, "minlevel=\"debug\"");
  const Finding* endpoint = r.FirstFinding("ssm.config.endpoint_override");
  ASSERT_NE(endpoint, nullptr);
  EXPECT_EQ(endpoint->evidence, "Ssm.Endpoint = https://ssm.corp.example.internal");
  ASSERT_NE(r.FirstFinding("ssm.config.identity_override"), nullptr);
  ASSERT_NE(r.FirstFinding("ssm.session_manager.sudoers"), nullptr);
  EXPECT_EQ(r.FindFact("ssm/session_manager", "ssm-user")->data["user_exists"], true);
}

TEST(SsmAgentProbe, ClearedRpmImageKeepsOnlyAStaleRegistrationFile) {
  MemoryFs fs = Fixture("ssm_cleared");
  auto r = RunProbe(SsmAgentProbe(), fs);
  const Fact* agent = r.FindFact("ssm/agent", "agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->data["packaging"], "rpm");
  EXPECT_EQ(agent->data["enabled"], false);
  EXPECT_EQ(agent->data["version"], "");
  EXPECT_EQ(agent->data["version_source"], "unknown (no rpm database in the image)");
  const Finding* reg = r.FirstFinding("ssm.registration.present");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->severity, Severity::kMedium);
  EXPECT_NE(reg->evidence.find("Vault RegistrationKey is cleared"), std::string::npos);
  EXPECT_EQ(r.FindFact("ssm/vault_identity", "RegistrationKey")->data["state"], "cleared");
  EXPECT_EQ(r.FirstFinding("ssm.vault.registration_key"), nullptr);
  EXPECT_EQ(r.FirstFinding("ssm.fingerprint.machine_id_mismatch"), nullptr);
  EXPECT_EQ(r.FindFact("ssm/fingerprint", "InstanceFingerprint")->data["cleared"], true);
  EXPECT_EQ(r.FirstFinding("ssm.seelog.debug"), nullptr);  // only the .template exists
}

TEST(SsmAgentProbe, SnapInstallWithRevisionAndEnabledUnit) {
  MemoryFs fs;
  fs.Symlink("/snap/amazon-ssm-agent/current", "7628");
  fs.Dir("/snap/amazon-ssm-agent/7628");
  fs.File("/etc/systemd/system/snap.amazon-ssm-agent.amazon-ssm-agent.service", "[Unit]\n");
  fs.Symlink(
      "/etc/systemd/system/multi-user.target.wants/snap.amazon-ssm-agent.amazon-ssm-agent.service",
      "/etc/systemd/system/snap.amazon-ssm-agent.amazon-ssm-agent.service");
  auto r = RunProbe(SsmAgentProbe(), fs);
  const Fact* agent = r.FindFact("ssm/agent", "agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->data["packaging"], "snap");
  EXPECT_EQ(agent->data["version"], "snap revision 7628");
  EXPECT_EQ(agent->data["enabled"], true);
  EXPECT_EQ(agent->data["unit_path_confidence"], "unconfirmed");
  EXPECT_TRUE(r.out.findings().empty());
}

TEST(SsmAgentProbe, MergedUsrLayoutThroughSymlinkedDirectories) {
  // Debian 12 / Ubuntu: /lib -> usr/lib, and /etc/systemd/system reached through a symlink.
  MemoryFs fs;
  fs.Symlink("/lib", "usr/lib");
  fs.File("/usr/lib/systemd/system/amazon-ssm-agent.service", "[Unit]\n");
  fs.Symlink("/etc/systemd/system", "/srv/units");
  fs.Symlink("/srv/units/multi-user.target.wants/amazon-ssm-agent.service",
             "/lib/systemd/system/amazon-ssm-agent.service");
  fs.Symlink("/snap", "/var/lib/snapd/snap");
  fs.Dir("/var/lib/snapd/snap");
  auto r = RunProbe(SsmAgentProbe(), fs);
  const Fact* agent = r.FindFact("ssm/agent", "agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->data["packaging"], "deb");
  EXPECT_EQ(agent->data["unit_path"], "/lib/systemd/system/amazon-ssm-agent.service");
  EXPECT_EQ(agent->data["enabled"], true);
}

TEST(SsmAgentProbe, MaskedUnitIsNotEnabled) {
  MemoryFs fs;
  fs.File("/lib/systemd/system/amazon-ssm-agent.service", "[Unit]\n");
  fs.Symlink("/etc/systemd/system/amazon-ssm-agent.service", "/dev/null");
  fs.Symlink("/etc/systemd/system/multi-user.target.wants/amazon-ssm-agent.service",
             "/lib/systemd/system/amazon-ssm-agent.service");
  auto r = RunProbe(SsmAgentProbe(), fs);
  const Fact* agent = r.FindFact("ssm/agent", "agent");
  EXPECT_EQ(agent->data["masked"], true);
  EXPECT_EQ(agent->data["enabled"], false);
  EXPECT_EQ(agent->data["version_source"],
            "unknown (no installed amazon-ssm-agent in /var/lib/dpkg/status)");
}

TEST(SsmAgentProbe, NotApplicableWithoutAgent) {
  MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  auto r = RunProbe(SsmAgentProbe(), fs);
  EXPECT_FALSE(r.out.applicable());
  EXPECT_TRUE(r.out.findings().empty());
  EXPECT_EQ(r.FindFact("ssm/agent", "agent")->data["installed"], false);
}

TEST(SsmAgentProbe, SameMachineIdWithLiveRegistrationMeansSharedIdentity) {
  MemoryFs fs;
  fs.File("/etc/machine-id", "abcdefabcdefabcdefabcdefabcdef00\n");
  fs.File("/var/lib/amazon/ssm/Vault/Store/RegistrationKey",
          R"({"instanceID":"mi-0123456789abcdef0","region":"r","privateKey":"k"})");
  fs.File(
      "/var/lib/amazon/ssm/Vault/Store/InstanceFingerprint",
      R"({"fingerprint":"f","hardwareHash":{"machine-id":"abcdefabcdefabcdefabcdefabcdef00"}})");
  auto r = RunProbe(SsmAgentProbe(), fs);
  ASSERT_NE(r.FirstFinding("ssm.fingerprint.machine_id_reused"), nullptr);
  EXPECT_EQ(r.FirstFinding("ssm.fingerprint.machine_id_mismatch"), nullptr);
  EXPECT_EQ(r.FindFact("ssm/fingerprint", "InstanceFingerprint")->data["machine_id_matches_image"],
            true);
  // privateKey "k" (1 byte) is still reported, by size only.
  EXPECT_NE(
      r.FirstFinding("ssm.vault.registration_key")->evidence.find("privateKey present (1 bytes)"),
      std::string::npos);
}

TEST(SsmAgentProbe, ManifestPathIsFollowedAndFolderWalkIsBounded) {
  MemoryFs fs;
  fs.File("/var/lib/amazon/ssm/Vault/EC2Manifest",
          R"({"EC2RegistrationKey":"/var/lib/amazon/ssm/Vault/Store/Other"})");
  fs.File("/var/lib/amazon/ssm/Vault/Store/Other",
          R"({"instanceID":"i-0abc","region":"r","privateKey":"PRIVATE-KEY-MATERIAL"})");
  std::string deep = "/var/lib/amazon/ssm/i-0123456789abcdef0";
  for (int i = 0; i < 20; ++i) deep += "/d";
  fs.File(deep + "/f", "x", {.mtime = 1800000000});
  fs.File("/var/lib/amazon/ssm/i-0123456789abcdef0/document/x", "", {.mtime = 1750000000});
  auto r = RunProbe(SsmAgentProbe(), fs);
  const Fact* identity = r.FindFact("ssm/vault_identity", "EC2RegistrationKey");
  ASSERT_NE(identity, nullptr);
  EXPECT_EQ(identity->data["path"], "/var/lib/amazon/ssm/Vault/Store/Other");
  ASSERT_NE(r.FirstFinding("ssm.vault.ec2_registration_key"), nullptr);
  const Fact* folder = r.FindFact("ssm/instance_folder", "i-0123456789abcdef0");
  ASSERT_NE(folder, nullptr);
  EXPECT_EQ(folder->data["truncated"], true);  // depth bound reached before the deep file
  EXPECT_EQ(folder->data["newest_mtime"], 1750000000);
  // The image's EC2 identity is i-0abc, so this folder belongs to another instance.
  EXPECT_EQ(r.FirstFinding("ssm.instance_folder.leftover")->severity, Severity::kMedium);
}

TEST(SsmAgentProbe, AFolderOverTheEntryBoundCountsUpToItAndNoFurther) {
  MemoryFs fs;
  for (int i = 0; i < 20'005; ++i) {
    fs.File("/var/lib/amazon/ssm/i-0123456789abcdef0/f" + std::to_string(i), "");
  }
  auto r = RunProbe(SsmAgentProbe(), fs);
  const Fact* folder = r.FindFact("ssm/instance_folder", "i-0123456789abcdef0");
  ASSERT_NE(folder, nullptr);
  EXPECT_EQ(folder->data["entries"], 20'000);
  EXPECT_EQ(folder->data["top_level"].size(), 20'000u);
  EXPECT_EQ(folder->data["truncated"], true);
}

TEST(SsmAgentProbe, MalformedStateBecomesErrorsWithoutSecrets) {
  MemoryFs fs;
  fs.File("/var/lib/amazon/ssm/registration", "\0\xff{not json"s);
  fs.File("/var/lib/amazon/ssm/Vault/Store/RegistrationKey",
          "{\"privateKey\":\"SECRETKEYMATERIAL\n\"}");
  fs.File("/etc/amazon/ssm/seelog.xml", "<nothing/>");
  fs.File("/etc/amazon/ssm/amazon-ssm-agent.json", "{\"Profile\": []}");
  fs.Special("/var/lib/amazon/ssm/credentials", FileType::kFifo);
  auto r = RunProbe(SsmAgentProbe(), fs);
  EXPECT_EQ(r.errors().size(), 5u);
  for (const auto& e : r.errors()) EXPECT_EQ(e.message.find("SECRETKEY"), std::string::npos);
  EXPECT_EQ(r.FindFact("ssm/registration", "registration"), nullptr);
}

TEST(SsmAgentProbe, SharedCredentialsFileRaisesOneFindingPerKeyKindRedacted) {
  MemoryFs fs;
  fs.File("/usr/bin/amazon-ssm-agent", "ELF");
  fs.File("/var/lib/amazon/ssm/credentials",
          "[default]\n"
          "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
          "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
          "[session]\r\n"
          "aws_access_key_id=ASIAQWERTYUIOPASDFGH\r\n"
          "aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\r\n"
          "aws_session_token=FwoGZXIvYXdzEBYaDHqa0AP1/SESSIONTOKENEXAMPLE\r\n"
          "[odd]\n"
          "aws_secret_access_key = AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjj\n");
  auto r = RunProbe(SsmAgentProbe(), fs);
  const Finding* long_term = r.FirstFinding("ssm.credentials_file.long_term_key");
  const Finding* temporary = r.FirstFinding("ssm.credentials_file.temporary_key");
  const Finding* other = r.FirstFinding("ssm.credentials_file.secret");
  ASSERT_NE(long_term, nullptr);
  ASSERT_NE(temporary, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(long_term->severity, Severity::kCritical);
  EXPECT_EQ(temporary->severity, Severity::kHigh);
  EXPECT_EQ(long_term->path, "/var/lib/amazon/ssm/credentials");
  EXPECT_EQ(r.Facts("ssm/credentials_profile").size(), 3u);
  for (const Finding* f : {long_term, temporary, other}) {
    for (const char* secret :
         {"IOSFODNN7", "wJalrXUtnFEMI/K7MDENG", "je7MtGbClwBF", "SESSIONTOKEN", "bbbbCCCCdddd"}) {
      EXPECT_EQ(f->evidence.find(secret), std::string::npos) << f->evidence;
      EXPECT_EQ(f->title.find(secret), std::string::npos) << f->title;
    }
  }
  for (const auto& fact : r.out.facts()) {
    EXPECT_EQ(fact.data.dump().find("IOSFODNN7"), std::string::npos) << fact.data.dump();
    EXPECT_EQ(fact.data.dump().find("je7MtGbClwBF"), std::string::npos) << fact.data.dump();
  }
}

// Issue 13: a number beyond double range is valid JSON (RFC 8259 sets no limit); the hybrid
// registration must be reported, not lost to a failed probe.
TEST(SsmAgentProbe, RegistrationWithANumberBeyondDoubleRangeIsReported) {
  MemoryFs fs = Fixture("ssm_lift_and_shift");
  fs.File("/var/lib/amazon/ssm/registration",
          R"({"ManagedInstanceID":"mi-0123456789abcdef0","Region":"eu-north-1","Ts":1e400})");
  auto r = RunProbe(SsmAgentProbe(), fs);
  EXPECT_TRUE(r.errors().empty()) << r.errors()[0].path << ": " << r.errors()[0].message;
  const Fact* reg = r.FindFact("ssm/registration", "registration");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->data["managed_instance_id"], "mi-0123456789abcdef0");
  EXPECT_EQ(reg->data["hybrid"], true);
  ASSERT_NE(r.FirstFinding("ssm.registration.present"), nullptr);
}

// Containment per file (issue 13): each JSON file the probe reads, replaced in turn by junk, a
// truncated copy and valid-but-odd content (a byte order mark, a duplicate member, a number
// beyond double range), costs at most its own facts; the others are still reported.
TEST(SsmAgentProbe, OneBadFileCostsOnlyItsOwnFacts) {
  const std::string kRegistration = "/var/lib/amazon/ssm/registration";
  const std::string kKey = "/var/lib/amazon/ssm/Vault/Store/RegistrationKey";
  const std::string kFingerprint = "/var/lib/amazon/ssm/Vault/Store/InstanceFingerprint";
  const std::string kConfig = "/etc/amazon/ssm/amazon-ssm-agent.json";
  for (const std::string& path : {kRegistration, kKey, kFingerprint, kConfig}) {
    MemoryFs original = Fixture("ssm_lift_and_shift");
    std::string text = *original.ReadFile(path, 1 << 20);
    ASSERT_TRUE(text.starts_with("{")) << path;
    const std::pair<std::string_view, std::string> variants[] = {
        {"junk", "\x01\xff\xfe junk ]]] \0 {"s},
        {"truncated", text.substr(0, text.size() / 2)},
        {"odd", "\xEF\xBB\xBF{\"Ts\":1e400,\"Ts\":-1e-400,\"Big\":123456789012345678901234567890," +
                    text.substr(1)},
    };
    for (const auto& [variant, content] : variants) {
      SCOPED_TRACE(path + " as " + std::string(variant));
      MemoryFs fs = Fixture("ssm_lift_and_shift");
      fs.File(path, content);
      testing::ProbeResult r;
      ASSERT_NO_THROW(r = RunProbe(SsmAgentProbe(), fs));
      bool bad = variant != "odd";
      size_t errors_for_path =
          std::ranges::count_if(r.errors(), [&](const Diagnostic& d) { return d.path == path; });
      EXPECT_EQ(errors_for_path > 0, bad);
      for (const Diagnostic& d : r.errors()) {
        EXPECT_EQ(d.path, path) << d.message;  // no other file suffers
        EXPECT_EQ(d.message.find("json.exception"), std::string::npos) << d.message;
        if (bad) {
          EXPECT_TRUE(d.message.starts_with("invalid JSON at line ")) << d.message;
        }
      }
      EXPECT_NE(r.FindFact("ssm/agent", "agent"), nullptr);
      EXPECT_EQ(r.Facts("ssm/instance_folder").size(), 2u);
      EXPECT_EQ(r.FindFact("ssm/registration", "registration") != nullptr,
                !(bad && path == kRegistration));
      EXPECT_EQ(r.FindFact("ssm/vault_identity", "RegistrationKey") != nullptr,
                !(bad && path == kKey));
      EXPECT_EQ(r.FindFact("ssm/fingerprint", "InstanceFingerprint") != nullptr,
                !(bad && path == kFingerprint));
      if (path != kRegistration || !bad) {
        EXPECT_NE(r.FirstFinding("ssm.registration.present"), nullptr);
      }
      if (path != kKey || !bad) {
        EXPECT_NE(r.FirstFinding("ssm.vault.registration_key"), nullptr);
      }
    }
  }
}

}  // namespace
}  // namespace imageprobe::probes
