// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/ssm_parsers.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "probes/common/dpkg_status.h"

namespace imageprobe::probes {
namespace {

using namespace std::string_literals;

TEST(ParseSsmRegistration, ReadsIdAndRegion) {
  auto r =
      ParseSsmRegistration(R"({"ManagedInstanceID":"mi-0123456789abcdef0","Region":"eu-west-1"})");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->managed_instance_id, "mi-0123456789abcdef0");
  EXPECT_EQ(r->region, "eu-west-1");
  EXPECT_TRUE(r->IsHybrid());
}

TEST(ParseSsmRegistration, KeysMatchCaseInsensitivelyLikeGo) {
  auto r =
      ParseSsmRegistration("{\r\n\"managedinstanceid\": \"i-0abc\",\r\n\"REGION\": \"x\"}\r\n");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->managed_instance_id, "i-0abc");
  EXPECT_FALSE(r->IsHybrid());
}

TEST(ParseSsmRegistration, RejectsMalformedInput) {
  EXPECT_FALSE(ParseSsmRegistration("").has_value());
  EXPECT_FALSE(ParseSsmRegistration("[1,2]").has_value());
  EXPECT_FALSE(ParseSsmRegistration(R"({"ManagedInstanceID": 5})").has_value());
  EXPECT_FALSE(ParseSsmRegistration(R"({"Region":"x"})").has_value());
  EXPECT_FALSE(ParseSsmRegistration("{\"ManagedInstanceID\":\"mi-1\0\"}"s).has_value());
  // Bytes that are not UTF-8 become U+FFFD, as Go's encoding/json (the agent's reader) does.
  EXPECT_EQ(ParseSsmRegistration("{\"ManagedInstanceID\":\"\xff\xfe\"}")->managed_instance_id,
            "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_FALSE(ParseSsmRegistration(std::string(100000, '[')).has_value());  // depth bound
  std::string huge =
      R"({"ManagedInstanceID":"mi-)" + std::string(8 << 20, 'a') + R"(","Region":"r"})";
  auto r = ParseSsmRegistration(huge);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->managed_instance_id.size(), (8u << 20) + 3);
}

TEST(ParseSsmInstanceInfo, RegisteredRecordKeepsOnlyTheKeyLength) {
  std::string key =
      "-----BEGIN RSA PRIVATE KEY-----\\nMIIsecretMATERIAL\\n-----END RSA PRIVATE KEY-----";
  auto info = ParseSsmInstanceInfo(
      R"({"instanceID":"mi-0a","region":"eu-west-1","instanceType":"",)"
      R"("availabilityZone":"","privateKey":")" +
      key + R"(","privateKeyType":"Rsa","privateKeyCreatedDate":"2024-01-01"})");
  ASSERT_TRUE(info.has_value()) << info.error();
  EXPECT_EQ(info->state, SsmIdentityState::kRegistered);
  EXPECT_EQ(info->private_key_length, 79u);  // 31 + 1 + 17 + 1 + 29: "\n" decodes to one byte
  nlohmann::json j = *info;
  EXPECT_EQ(j.dump().find("MIIsecret"), std::string::npos);
  EXPECT_EQ(j["private_key_present"], true);
}

TEST(ParseSsmInstanceInfo, ClearedAndPartialStates) {
  auto cleared = ParseSsmInstanceInfo(
      R"({"instanceID":"","region":"","instanceType":"","availabilityZone":"","privateKey":"",)"
      R"("privateKeyType":"","privateKeyCreatedDate":"0001-01-01 00:00:00 +0000 UTC"})");
  ASSERT_TRUE(cleared.has_value());
  EXPECT_EQ(cleared->state, SsmIdentityState::kCleared);
  auto partial = ParseSsmInstanceInfo(R"({"instanceID":"mi-1","privateKey":""})");
  ASSERT_TRUE(partial.has_value());
  EXPECT_EQ(partial->state, SsmIdentityState::kPartial);
  auto nulls = ParseSsmInstanceInfo(R"({"instanceID":null})");
  ASSERT_TRUE(nulls.has_value());
  EXPECT_EQ(nulls->state, SsmIdentityState::kCleared);
}

TEST(ParseSsmInstanceInfo, ErrorsNeverQuoteTheInput) {
  // A raw newline inside the key string is invalid JSON; nlohmann's own message would quote
  // the last token read (part of the key). Ours must not.
  auto info = ParseSsmInstanceInfo("{\"privateKey\":\"MIIsecretMATERIAL\nmore\"}");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().find("MIIsecret"), std::string::npos);
  auto typed = ParseSsmInstanceInfo(R"({"privateKey":["MIIsecretMATERIAL"]})");
  ASSERT_FALSE(typed.has_value());
  EXPECT_EQ(typed.error().find("MIIsecret"), std::string::npos);
}

TEST(ParseSsmVaultManifest, MapsKeysToPaths) {
  auto m = ParseSsmVaultManifest(
      R"({"RegistrationKey":"/var/lib/amazon/ssm/Vault/Store/RegistrationKey"})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->at("RegistrationKey"), "/var/lib/amazon/ssm/Vault/Store/RegistrationKey");
  EXPECT_FALSE(ParseSsmVaultManifest(R"({"a":1})").has_value());
  EXPECT_FALSE(ParseSsmVaultManifest("{").has_value());
}

TEST(ParseSsmFingerprint, MachineIdAndClearedForm) {
  auto f = ParseSsmFingerprint(
      R"({"fingerprint":"uuid","hardwareHash":{"machine-id":"abc","ipaddress-info":"10.0.0.1"},"similarityThreshold":40})");
  ASSERT_TRUE(f.has_value()) << f.error();
  EXPECT_EQ(f->MachineId(), "abc");
  EXPECT_EQ(f->similarity_threshold, 40);
  EXPECT_FALSE(f->cleared);
  // Its JSON never holds the confidential machine-id (the probe adds a redacted form).
  nlohmann::json j = *f;
  EXPECT_FALSE(j.contains("machine_id"));
  EXPECT_EQ(j.dump().find("abc"), std::string::npos) << j.dump();
  EXPECT_EQ(j["ipaddress_info"], "10.0.0.1");
  auto cleared =
      ParseSsmFingerprint(R"({"fingerprint":"","hardwareHash":null,"similarityThreshold":0})");
  ASSERT_TRUE(cleared.has_value());
  EXPECT_TRUE(cleared->cleared);
  EXPECT_EQ(cleared->MachineId(), std::nullopt);
  EXPECT_FALSE(ParseSsmFingerprint(R"({"hardwareHash":[1]})").has_value());
  EXPECT_FALSE(ParseSsmFingerprint(R"({"similarityThreshold":"40"})").has_value());
}

TEST(ParseSeelogLevels, RootElementAttributesIgnoringComments) {
  auto s = ParseSeelogLevels(
      "<?xml version=\"1.0\"?>\r\n"
      "<!-- <seelog minlevel=\"trace\"> -->\r\n"
      "<seelog type=\"adaptive\" minlevel='debug'\r\n   maxlevel=\"critical\">\r\n"
      "<exceptions><exception minlevel=\"error\"/></exceptions></seelog>\r\n");
  EXPECT_TRUE(s.seelog_element_found);
  EXPECT_EQ(s.minlevel, "debug");
  EXPECT_EQ(s.maxlevel, "critical");
  EXPECT_TRUE(s.VerboseLogging());
}

// What Go's encoding/xml (seelog's reader) gives seelog: references decoded, ">" inside a quoted
// value, either quote. tests/fixtures/formats/seelog.xml.editor-saved adds a byte order mark,
// CRLF, an XML declaration, a commented-out and a CDATA "<seelog" before and after the root.
TEST(ParseSeelogLevels, AttributesAsGoEncodingXmlReadsThem) {
  std::ifstream in(std::string(IMAGEPROBE_FIXTURES_DIR) + "/formats/seelog.xml.editor-saved",
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto saved = ParseSeelogLevels(text.str());
  EXPECT_TRUE(saved.seelog_element_found);
  EXPECT_EQ(saved.minlevel, "debug");  // minlevel="&#x64;ebug"
  EXPECT_EQ(saved.maxlevel, "critical");
  EXPECT_TRUE(saved.VerboseLogging());

  auto entities = ParseSeelogLevels(
      "<seelog asyncinterval=\"a>b\" minlevel='&#100;ebug' maxlevel=\"&quot;&amp;&lt;&gt;&apos;\""
      " levels=\"&unknown;&#0;&#xZZ;&#1114112;\"/>");
  EXPECT_EQ(entities.minlevel, "debug");  // found past a ">" inside a quoted value
  EXPECT_EQ(entities.maxlevel, "\"&<>'");
  EXPECT_EQ(entities.levels, "&unknown;&#0;&#xZZ;&#1114112;");  // not references: kept as written
  EXPECT_EQ(ParseSeelogLevels("<seelog minlevel=\"&#xe9;\">").minlevel, "\xc3\xa9");
}

TEST(ParseSeelogLevels, InfoLevelsListAndMissingElement) {
  EXPECT_FALSE(ParseSeelogLevels("<seelog minlevel=\"info\"/>").VerboseLogging());
  EXPECT_TRUE(ParseSeelogLevels("<seelog minlevel=\"trace\"/>").VerboseLogging());
  EXPECT_TRUE(ParseSeelogLevels("<seelog levels=\"trace,error\"/>").VerboseLogging());
  EXPECT_TRUE(ParseSeelogLevels("<seelog levels=\"info, de bug\">").VerboseLogging());
  EXPECT_FALSE(ParseSeelogLevels("<seelogx minlevel=\"debug\">").seelog_element_found);
  EXPECT_FALSE(
      ParseSeelogLevels("<!-- <seelog minlevel=\"debug\"> unterminated").seelog_element_found);
  // A NUL right after the name: not the seelog element; no crash.
  EXPECT_FALSE(ParseSeelogLevels("\0\xff<seelog\0 minlevel=\"debug\">"s).minlevel.has_value());
  auto huge = ParseSeelogLevels("<seelog " + std::string(4 << 20, ' ') + "minlevel=\"trace\">");
  EXPECT_EQ(huge.minlevel, "trace");
}

// As seelog's own reader decides (internals_xmlnode.go, cfg_parser.go getConstraints): attribute
// names are exact and keyed by local name, a duplicate or an unknown level refuses the whole
// configuration, and a root without minlevel= logs from trace up.
TEST(ParseSeelogLevels, AttributesAndLevelsAsSeelogReadsThem) {
  EXPECT_TRUE(ParseSeelogLevels("<seelog type=\"sync\"><outputs/></seelog>").VerboseLogging());
  EXPECT_TRUE(ParseSeelogLevels("<seelog maxlevel=\"info\"/>").VerboseLogging());
  EXPECT_FALSE(ParseSeelogLevels("<seelog minlevel=\"off\"/>").VerboseLogging());
  EXPECT_FALSE(ParseSeelogLevels("<seelog levels=\" off \"/>").VerboseLogging());

  auto upper = ParseSeelogLevels("<seelog MinLevel=\"info\"/>");  // not seelog's minlevel
  EXPECT_FALSE(upper.minlevel.has_value());
  EXPECT_TRUE(upper.VerboseLogging());
  EXPECT_EQ(ParseSeelogLevels("<seelog x:minlevel=\"info\"/>").minlevel, "info");

  auto duplicate = ParseSeelogLevels("<seelog minlevel=\"debug\" minlevel=\"info\"/>");
  EXPECT_EQ(duplicate.refused, "duplicate attribute minlevel=");
  EXPECT_FALSE(duplicate.VerboseLogging());
  auto unknown = ParseSeelogLevels("<seelog levels=\"info,Debug\"/>");
  EXPECT_EQ(unknown.refused, "unknown level \"Debug\" in levels=");
  EXPECT_FALSE(unknown.VerboseLogging());
  EXPECT_EQ(ParseSeelogLevels("<seelog minlevel=\"Debug\"/>").refused,
            "unknown minlevel \"Debug\"");
  EXPECT_EQ(
      ParseSeelogLevels("<seelog levels=\"debug\" minlevel=\"info\" maxlevel=\"error\"/>").refused,
      "levels= beside both minlevel= and maxlevel=");
  EXPECT_FALSE(ParseSeelogLevels("<seelog minlevel=\"debug\" maxlevel=\"error\"/>").refused);
}

// Go's encoding/xml stops at bytes that are not UTF-8 or characters XML forbids, and at a
// declared encoding it cannot read; seelog then refuses the file, up to its root's end only.
TEST(ParseSeelogLevels, RefusesWhatEncodingXmlCannotReadBeforeTheRootEnds) {
  auto latin1 = ParseSeelogLevels(
      "<seelog minlevel=\"debug\">\n<outputs><file path=\"/var/log/caf\xe9.log\"/></outputs>\n"
      "</seelog>\n");
  EXPECT_EQ(latin1.refused, "not readable as XML: bytes at offset 59 are not UTF-8");
  EXPECT_FALSE(latin1.VerboseLogging());
  EXPECT_EQ(ParseSeelogLevels("<seelog minlevel=\"trace\">\x01</seelog>").refused,
            "not readable as XML: character U+0001 at offset 25 is not allowed in XML");
  // Overlong and surrogate forms are not UTF-8 either (utf8.DecodeRune refuses them).
  EXPECT_TRUE(ParseSeelogLevels("<seelog minlevel=\"trace\">\xc0\xaf</seelog>").refused);
  EXPECT_TRUE(ParseSeelogLevels("<seelog minlevel=\"trace\">\xed\xa0\x80</seelog>").refused);
  EXPECT_EQ(ParseSeelogLevels("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                              "<seelog minlevel=\"debug\"/>")
                .refused,
            "not readable as XML: encoding ISO-8859-1 declared; seelog reads only UTF-8");

  // Read as encoding/xml reads them: comments and processing instructions unchecked, UTF-8 of
  // any plane, an encoding named in any case, and nothing after the root's end.
  for (std::string_view readable : {
           "<?xml version='1.0' encoding='UTF-8'?><seelog minlevel=\"debug\"/>",
           "<!-- caf\xe9 --><seelog minlevel=\"debug\"/>",
           "<seelog minlevel=\"debug\"><!-- \x01 --><file path=\"/l/\xc3\xa9\xf0\x9f\x94\x91\"/>"
           "</seelog>",
           "<seelog minlevel=\"debug\"/>\xff\x01",
           "<seelog minlevel=\"debug\" format=\"a/>b\"></seelog>\xff",
       }) {
    SeelogLevels levels = ParseSeelogLevels(readable);
    EXPECT_FALSE(levels.refused) << readable << ": " << levels.refused.value_or("");
    EXPECT_TRUE(levels.VerboseLogging()) << readable;
  }
}

TEST(ParseSsmAgentConfig, OverridesIdentityAndProfile) {
  auto c = ParseSsmAgentConfig(R"({
    "Profile": {"ShareCreds": true, "ShareProfile": "ssm", "ForceUpdateCreds": false},
    "Mds": {"Endpoint": ""},
    "Ssm": {"Endpoint": "https://ssm.corp.example", "SessionLogsDestination": "disk"},
    "mgs": {"region": "us-west-2"},
    "Agent": {"SelfUpdate": true},
    "Identity": {"ConsumptionOrder": ["CustomIdentity", "EC2"],
                 "CustomIdentities": [{"InstanceID": "i-1", "Region": "r", "CredentialsProvider": "SharedCredentialsProvider"}]}
  })");
  ASSERT_TRUE(c.has_value()) << c.error();
  EXPECT_EQ(c->overrides.size(), 2u);
  EXPECT_EQ(c->overrides.at("Ssm.Endpoint"), "https://ssm.corp.example");
  EXPECT_EQ(c->overrides.at("Mgs.Region"), "us-west-2");
  EXPECT_EQ(c->share_creds, true);
  EXPECT_EQ(c->share_profile, "ssm");
  EXPECT_EQ(c->self_update, true);
  EXPECT_EQ(c->consumption_order, (std::vector<std::string>{"CustomIdentity", "EC2"}));
  ASSERT_EQ(c->custom_identities.size(), 1u);
  EXPECT_EQ(c->custom_identities[0].credentials_provider, "SharedCredentialsProvider");
  EXPECT_TRUE(c->problems.empty());
}

TEST(ParseSsmAgentConfig, WrongTypesAreProblemsNotFailures) {
  auto c = ParseSsmAgentConfig(
      R"({"Profile": {"ShareCreds": "yes"}, "Ssm": 5, "Identity": {"ConsumptionOrder": "EC2",)"
      R"( "CustomIdentities": [1]}})");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->share_creds, std::nullopt);
  EXPECT_EQ(c->problems.size(), 4u);
  EXPECT_FALSE(ParseSsmAgentConfig("{\"Ssm\": {\"Endpoint\": \"x\"}").has_value());
  EXPECT_FALSE(ParseSsmAgentConfig("// comment\n{}").has_value());
}

TEST(InstalledDpkgVersion, FindsInstalledPackageOnly) {
  std::string status =
      "Package: amazon-ssm-agent\r\nStatus: deinstall ok config-files\r\nVersion: 2.0\r\n\r\n"
      "Package: other\nStatus: install ok installed\nVersion: 9\n\n"
      "Package: amazon-ssm-agent\nStatus: install ok installed\nVersion: 3.3.131.0-1\n"
      "Description: x\n continuation: Version: 1\n";
  EXPECT_EQ(InstalledDpkgVersion(status, "amazon-ssm-agent"), "3.3.131.0-1");
  EXPECT_EQ(InstalledDpkgVersion(status, "absent"), std::nullopt);
  EXPECT_EQ(InstalledDpkgVersion("Package: amazon-ssm-agent\nStatus: deinstall ok config-files\n",
                                 "amazon-ssm-agent"),
            std::nullopt);
  EXPECT_EQ(InstalledDpkgVersion("\0\xff\n:::\n"s, "amazon-ssm-agent"), std::nullopt);
}

}  // namespace
}  // namespace imageprobe::probes
