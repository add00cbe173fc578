// SPDX-License-Identifier: Apache-2.0
#include "probes/cloudinit/cloud_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace imageprobe::probes {
namespace {

CloudConfigSource Source(std::string path, std::string_view yaml) {
  auto parsed = parse::ParseBoundedYaml(yaml);
  EXPECT_FALSE(parsed.problem) << path << ": " << parsed.problem->message;
  return {std::move(path), parsed.root.value_or(parse::YamlNode{})};
}

TEST(MergeCloudConfigs, LaterFilesWinScalarsAndListsDictsMergeRecursively) {
  std::vector<CloudConfigSource> sources = {
      Source("/etc/cloud/cloud.cfg",
             "disable_root: true\nssh_genkeytypes: [rsa, ecdsa, ed25519]\n"
             "system_info:\n  distro: ubuntu\n  default_user: {name: ubuntu, shell: /bin/bash}\n"),
      Source("/etc/cloud/cloud.cfg.d/50-a.cfg", "disable_root: false\nssh_genkeytypes: [rsa]\n"),
      Source("/etc/cloud/cloud.cfg.d/90-b.cfg",
             "ssh_genkeytypes: [ed25519]\nsystem_info:\n  default_user: {name: admin}\n"),
  };
  parse::YamlNode merged = MergeCloudConfigs(sources);
  EXPECT_EQ(merged.Find("disable_root")->scalar, "false");
  const parse::YamlNode* types = merged.Find("ssh_genkeytypes");
  ASSERT_EQ(types->items.size(), 1u);  // lists are replaced, not appended
  EXPECT_EQ(types->items[0].scalar, "ed25519");
  const parse::YamlNode* user = merged.Find("system_info")->Find("default_user");
  EXPECT_EQ(user->Find("name")->scalar, "admin");
  EXPECT_EQ(user->Find("shell")->scalar, "/bin/bash");  // kept from the lower file
  EXPECT_EQ(merged.Find("system_info")->Find("distro")->scalar, "ubuntu");

  EXPECT_EQ(SourceOfSetting(sources, "disable_root"), "/etc/cloud/cloud.cfg.d/50-a.cfg");
  EXPECT_EQ(SourceOfSetting(sources, "ssh_genkeytypes"), "/etc/cloud/cloud.cfg.d/90-b.cfg");
  EXPECT_EQ(SourceOfSetting(sources, "ssh_pwauth"), "");
}

TEST(ReadCloudInitSettings, DefaultsWhenUnset) {
  parse::YamlNode empty;
  empty.kind = parse::YamlNode::Kind::kMap;
  auto settings = ReadCloudInitSettings(empty);
  EXPECT_TRUE(settings.disable_root);
  EXPECT_TRUE(settings.ssh_deletekeys);
  EXPECT_EQ(settings.ssh_pwauth, "unchanged");
  EXPECT_EQ(settings.ssh_genkeytypes, (std::vector<std::string>{"rsa", "ecdsa", "ed25519"}));
  EXPECT_FALSE(settings.users_set);
}

TEST(ReadCloudInitSettings, CloudInitBooleanRules) {
  auto read = [](std::string_view yaml) {
    return ReadCloudInitSettings(*parse::ParseBoundedYaml(yaml).root);
  };
  EXPECT_FALSE(read("disable_root: 'maybe'\n").disable_root);  // translate_bool: not a true word
  EXPECT_TRUE(read("disable_root: '1'\n").disable_root);
  EXPECT_FALSE(read("disable_root: ~\n").disable_root);
  EXPECT_FALSE(read("ssh_deletekeys: no\n").ssh_deletekeys);
  EXPECT_EQ(read("ssh_pwauth: yes\n").ssh_pwauth, "yes");
  EXPECT_EQ(read("ssh_pwauth: '0'\n").ssh_pwauth, "no");
  EXPECT_EQ(read("ssh_pwauth: unchanged\n").ssh_pwauth, "unchanged");
  auto odd = read("ssh_pwauth: sometimes\n");
  EXPECT_EQ(odd.ssh_pwauth, "unchanged");
  EXPECT_EQ(odd.problems.size(), 1u);
}

TEST(ReadCloudInitSettings, UsersInEveryForm) {
  auto parsed = parse::ParseBoundedYaml(
      "system_info:\n  default_user:\n    name: ec2-user\n    groups: [wheel, adm]\n"
      "    sudo: ['ALL=(ALL) NOPASSWD:ALL']\n"
      "users:\n  - default\n  - bob\n"
      "  - name: carol\n    groups: docker, wheel\n    sudo: false\n    lock_passwd: false\n"
      "    passwd: $6$abc$def\n"
      "    ssh_authorized_keys:\n      - ssh-ed25519 AAAA carol@x\n      - ssh-rsa AAAA\n"
      "  - groups: nameless\n");
  auto settings = ReadCloudInitSettings(*parsed.root);
  ASSERT_EQ(settings.users.size(), 3u);
  EXPECT_EQ(settings.users[0].name, "ec2-user");
  EXPECT_TRUE(settings.users[0].is_default);
  EXPECT_EQ(settings.users[0].sudo.size(), 1u);
  EXPECT_EQ(settings.users[1].name, "bob");
  EXPECT_TRUE(settings.users[1].lock_passwd);
  const auto& carol = settings.users[2];
  EXPECT_EQ(carol.groups, (std::vector<std::string>{"docker", "wheel"}));
  EXPECT_TRUE(carol.sudo.empty());
  EXPECT_FALSE(carol.lock_passwd);
  EXPECT_TRUE(carol.has_password);
  EXPECT_EQ(carol.ssh_authorized_key_count, 2u);
  EXPECT_EQ(carol.ssh_authorized_key_types, (std::vector<std::string>{"ssh-ed25519", "ssh-rsa"}));
  EXPECT_EQ(settings.problems.size(), 1u);  // the entry without a name

  auto old_style = ReadCloudInitSettings(*parse::ParseBoundedYaml("users: 'alice, bob'\n").root);
  ASSERT_EQ(old_style.users.size(), 2u);
  EXPECT_EQ(old_style.users[1].name, "bob");
}

TEST(ReadCloudInitSettings, WrongTypesAreProblemsNotCrashes) {
  auto parsed = parse::ParseBoundedYaml(
      "ssh_genkeytypes: rsa\nusers: 42\nssh_pwauth: [a]\nsystem_info: []\ndisable_root: {}\n");
  auto settings = ReadCloudInitSettings(*parsed.root);
  EXPECT_FALSE(settings.disable_root);  // a dict is not a true word
  EXPECT_EQ(settings.ssh_genkeytypes.size(), 3u);
  EXPECT_EQ(settings.problems.size(), 2u);
}

// Real files, as an editor or a build tool leaves them (tests/fixtures/formats/cloud.cfg.d): each
// is read the way cloud-init reads it, with PyYAML's safe_load (the parse oracle test compares
// the trees with PyYAML itself).
CloudInitSettings SettingsOfFixture(std::string_view name) {
  std::ifstream in(
      std::string(IMAGEPROBE_FIXTURES_DIR) + "/formats/cloud.cfg.d/" + std::string(name),
      std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<CloudConfigSource> sources = {Source(std::string(name), text.str())};
  return ReadCloudInitSettings(MergeCloudConfigs(sources));
}

TEST(ReadCloudInitSettings, FilesAsPyYamlReadsThem) {
  // A UTF-8 byte order mark: PyYAML skips it, so the first key is disable_root.
  CloudInitSettings bom = SettingsOfFixture("10_byte-order-mark.cfg");
  EXPECT_FALSE(bom.disable_root);
  EXPECT_EQ(bom.ssh_pwauth, "yes");

  CloudInitSettings crlf = SettingsOfFixture("20_crlf.cfg");
  EXPECT_FALSE(crlf.ssh_deletekeys);
  ASSERT_EQ(crlf.users.size(), 1u);
  EXPECT_EQ(crlf.users[0].name, "deploy");
  EXPECT_FALSE(crlf.users[0].lock_passwd);

  // Merge keys: the user settings come from the anchored defaults (PyYAML applies "<<").
  CloudInitSettings merged = SettingsOfFixture("30_merge-keys.cfg");
  ASSERT_EQ(merged.users.size(), 3u);
  EXPECT_EQ(merged.users[0].name, "builder");
  EXPECT_FALSE(merged.users[0].lock_passwd);
  EXPECT_EQ(merged.users[0].sudo, (std::vector<std::string>{"ALL=(ALL) NOPASSWD:ALL"}));
  EXPECT_EQ(merged.users[1].name, "ops");
  EXPECT_FALSE(merged.users[1].lock_passwd);
  EXPECT_TRUE(merged.users[1].sudo.empty());  // its own "sudo: false" wins over the merged one
  EXPECT_EQ(merged.users[1].groups, (std::vector<std::string>{"adm", "sudo"}));
  EXPECT_TRUE(merged.users[2].lock_passwd);  // a quoted "<<" is an ordinary key

  // Duplicate keys: the last one is what cloud-init gets.
  EXPECT_EQ(SettingsOfFixture("40_duplicate-keys.cfg").ssh_pwauth, "yes");

  EXPECT_EQ(SettingsOfFixture("50_document-markers.cfg").ssh_genkeytypes,
            (std::vector<std::string>{"ed25519"}));
}

}  // namespace
}  // namespace imageprobe::probes
