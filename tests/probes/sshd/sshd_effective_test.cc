// SPDX-License-Identifier: Apache-2.0
// Semantics of the effective configuration: first value wins, Include order, Match per user,
// `-o` before the file, defaults, origins. The sshd -T oracle (sshd_oracle_test.cc) checks the
// same against the real sshd; these pin the rules down on small inline trees.
#include <gtest/gtest.h>

#include "probes/sshd/sshd_config.h"
#include "probes/sshd/sshd_fs_source.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::probes {
namespace {

using testing::MemoryFs;

struct Tree {
  MemoryFs fs;
  ScanLimits limits;
  SshdParsedConfig Parse(std::vector<SshdCommandLineOption> command_line = {}) {
    FilesystemConfigSource source(fs, limits);
    return ParseSshdConfigTree(source, "/etc/ssh/sshd_config", command_line);
  }
};

std::string Value(const SshdSettings& settings, std::string_view keyword) {
  auto it = settings.find(keyword);
  return it == settings.end() ? "<unset>" : it->second.Joined();
}

std::string Origin(const SshdSettings& settings, std::string_view keyword) {
  auto it = settings.find(keyword);
  return it == settings.end() ? "<unset>" : it->second.values.front().origin.Describe();
}

TEST(SshdEffective, FirstValueWinsCaseInsensitiveAndEqualsSeparator) {
  Tree tree;
  tree.fs.File("/etc/ssh/sshd_config",
               "# comment\r\n"
               "  permitrootlogin=no\r\n"
               "PermitRootLogin yes\n"
               "PASSWORDAUTHENTICATION   =  no   \n"
               "AuthorizedKeysFile .ssh/a \"/etc/keys/%u\" # trailing comment\n"
               "AuthorizedKeysFile .ssh/b\n");
  SshdParsedConfig parsed = tree.Parse();
  EXPECT_TRUE(parsed.main_present);
  EXPECT_TRUE(parsed.problems.empty());
  SshdSettings global = EvaluateSshdGlobal(parsed);
  EXPECT_EQ(Value(global, "PermitRootLogin"), "no");
  EXPECT_EQ(Origin(global, "PermitRootLogin"), "/etc/ssh/sshd_config:2");
  EXPECT_EQ(Value(global, "PasswordAuthentication"), "no");
  EXPECT_EQ(Value(global, "AuthorizedKeysFile"), ".ssh/a /etc/keys/%u");
  EXPECT_EQ(Value(global, "StrictModes"), "yes");
  EXPECT_EQ(Origin(global, "StrictModes"), "default");
}

TEST(SshdEffective, IncludeGlobSortedRelativeToEtcSshAndBeatsLaterLines) {
  Tree tree;
  tree.fs.File("/etc/ssh/sshd_config",
               "Include sshd_config.d/*.conf\n"
               "PasswordAuthentication yes\n"
               "Include /nonexistent/*.conf\n");
  tree.fs.File("/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication no\n");
  tree.fs.File("/etc/ssh/sshd_config.d/10-first.conf", "X11Forwarding yes\n");
  tree.fs.File("/etc/ssh/sshd_config.d/.hidden.conf", "PermitRootLogin yes\n");
  tree.fs.File("/etc/ssh/sshd_config.d/notconf", "PermitRootLogin yes\n");
  SshdParsedConfig parsed = tree.Parse();
  EXPECT_TRUE(parsed.problems.empty());
  ASSERT_EQ(parsed.files_read.size(), 3u);
  EXPECT_EQ(parsed.files_read[1], "/etc/ssh/sshd_config.d/10-first.conf");
  EXPECT_EQ(parsed.files_read[2], "/etc/ssh/sshd_config.d/50-cloud-init.conf");
  SshdSettings global = EvaluateSshdGlobal(parsed);
  EXPECT_EQ(Value(global, "PasswordAuthentication"), "no");
  EXPECT_EQ(Origin(global, "PasswordAuthentication"),
            "/etc/ssh/sshd_config.d/50-cloud-init.conf:1");
  EXPECT_EQ(Value(global, "PermitRootLogin"), "prohibit-password");
}

TEST(SshdEffective, MatchUserAndGroupWithNegationAndWildcards) {
  Tree tree;
  tree.fs.File("/etc/ssh/sshd_config",
               "PasswordAuthentication no\n"
               "AuthorizedKeysFile .ssh/authorized_keys\n"
               "Match User deploy*,!deploy-ro\n"
               "  PasswordAuthentication yes\n"
               "Match Group admins,!contractors\n"
               "  AuthorizedKeysFile /etc/ssh/keys/%u\n"
               "  PasswordAuthentication no\n"
               "Match Address 10.0.0.0/8 User alice\n"
               "  PermitRootLogin yes\n");
  SshdParsedConfig parsed = tree.Parse();
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems.front().message;
  SshdSettings global = EvaluateSshdGlobal(parsed);
  EXPECT_EQ(Value(global, "PasswordAuthentication"), "no");

  SshdUserSettings deploy = EvaluateSshdForUser(parsed, global, "deploy1", {"deploy1", "admins"});
  EXPECT_EQ(Value(deploy.settings, "PasswordAuthentication"), "yes");  // first matching block
  EXPECT_EQ(Value(deploy.settings, "AuthorizedKeysFile"), "/etc/ssh/keys/%u");
  EXPECT_EQ(Origin(deploy.settings, "AuthorizedKeysFile"), "/etc/ssh/sshd_config:6");

  SshdUserSettings ro = EvaluateSshdForUser(parsed, global, "deploy-ro", {"deploy-ro"});
  EXPECT_EQ(Value(ro.settings, "PasswordAuthentication"), "no");
  EXPECT_EQ(Value(ro.settings, "AuthorizedKeysFile"), ".ssh/authorized_keys");

  SshdUserSettings contractor =
      EvaluateSshdForUser(parsed, global, "bob", {"bob", "admins", "contractors"});
  EXPECT_EQ(Value(contractor.settings, "AuthorizedKeysFile"), ".ssh/authorized_keys");

  SshdUserSettings alice = EvaluateSshdForUser(parsed, global, "alice", {"alice"});
  EXPECT_EQ(Value(alice.settings, "PermitRootLogin"), "prohibit-password");
  ASSERT_EQ(alice.conditional_blocks.size(), 1u);
  EXPECT_EQ(parsed.match_blocks[alice.conditional_blocks[0]].text, "Address 10.0.0.0/8 User alice");
  SshdUserSettings carol = EvaluateSshdForUser(parsed, global, "carol", {"carol"});
  EXPECT_TRUE(carol.conditional_blocks.empty());
}

TEST(SshdEffective, IncludedFileCannotChangeIncludersMatchState) {
  Tree tree;
  tree.fs.File("/etc/ssh/sshd_config",
               "Match User alice\n"
               "  Include /etc/ssh/inner.conf\n"
               "  X11Forwarding yes\n");
  tree.fs.File("/etc/ssh/inner.conf",
               "PermitTTY no\n"
               "Match User bob\n"
               "  AllowTcpForwarding no\n");
  SshdParsedConfig parsed = tree.Parse();
  ASSERT_TRUE(parsed.problems.empty());
  SshdSettings global = EvaluateSshdGlobal(parsed);
  EXPECT_EQ(Value(global, "PermitTTY"), "yes");
  SshdUserSettings alice = EvaluateSshdForUser(parsed, global, "alice", {});
  EXPECT_EQ(Value(alice.settings, "PermitTTY"), "no");
  EXPECT_EQ(Value(alice.settings, "X11Forwarding"), "yes");  // back in alice's block
  EXPECT_EQ(Value(alice.settings, "AllowTcpForwarding"), "yes");
  // bob's block sits in a file included from alice's block: it never matches for bob.
  SshdUserSettings bob = EvaluateSshdForUser(parsed, global, "bob", {});
  EXPECT_EQ(Value(bob.settings, "AllowTcpForwarding"), "yes");
  EXPECT_EQ(Value(bob.settings, "X11Forwarding"), "no");
}

TEST(SshdEffective, CommandLineOptionsWinOverTheFile) {
  Tree tree;
  tree.fs.File("/etc/ssh/sshd_config",
               "AuthorizedKeysCommand /usr/local/bin/keys %u\n"
               "AuthorizedKeysCommandUser nobody\n");
  SshdParsedConfig parsed =
      tree.Parse({{"AuthorizedKeysCommand /opt/aws/bin/eic_run_authorized_keys %u %f",
                   "/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf"}});
  SshdSettings global = EvaluateSshdGlobal(parsed);
  EXPECT_EQ(Value(global, "AuthorizedKeysCommand"), "/opt/aws/bin/eic_run_authorized_keys %u %f");
  EXPECT_EQ(Origin(global, "AuthorizedKeysCommand"),
            "systemd drop-in /lib/systemd/system/sshd.service.d/ec2-instance-connect.conf");
  EXPECT_EQ(Value(global, "AuthorizedKeysCommandUser"), "nobody");
}

TEST(SshdEffective, AccumulatingKeywordsAndMatchAll) {
  Tree tree;
  tree.fs.File("/etc/ssh/sshd_config",
               "HostKey /etc/ssh/ssh_host_ed25519_key\n"
               "PasswordAuthentication yes\n"
               "HostKey /etc/ssh/ssh_host_rsa_key\n"
               "AllowUsers a b\n"
               "AllowUsers c\n"
               "Match all\n"
               "  PasswordAuthentication no\n"
               "  AllowUsers d\n");
  SshdParsedConfig parsed = tree.Parse();
  ASSERT_TRUE(parsed.problems.empty());
  SshdSettings global = EvaluateSshdGlobal(parsed);
  EXPECT_EQ(Value(global, "HostKey"), "/etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_rsa_key");
  // Every connection re-applies "Match All" over the global values (sshd -T agrees).
  EXPECT_EQ(Value(global, "PasswordAuthentication"), "no");
  EXPECT_EQ(Value(global, "AllowUsers"), "d");
  SshdUserSettings user = EvaluateSshdForUser(parsed, global, "x", {});
  EXPECT_EQ(Value(user.settings, "PasswordAuthentication"), "no");
  EXPECT_EQ(Value(user.settings, "AllowUsers"), "d");
}

TEST(SshdEffective, ApiOverMemoryFsWithSystemdDropIn) {
  MemoryFs fs;
  fs.File("/usr/sbin/sshd", "ELF", {.mode = 0755});
  fs.File("/lib/systemd/system/sshd.service", "[Service]\nExecStart=/usr/sbin/sshd -D $OPTIONS\n");
  fs.File("/lib/systemd/system/sshd.service.d/ec2-instance-connect.conf",
          "[Service]\nExecStart=\nExecStart=/usr/sbin/sshd -D -o \"AuthorizedKeysCommand "
          "/opt/aws/bin/eic_run_authorized_keys %%u %%f\" -o \"AuthorizedKeysCommandUser "
          "ec2-instance-connect\" $SSHD_OPTS\n");
  fs.File("/etc/ssh/sshd_config",
          "StrictModes no\nMatch User ec2-user\n AuthorizedKeysFile none\n");
  SshdConfig config = CollectSshdConfig(fs, ScanLimits{});
  EXPECT_TRUE(config.present);
  EXPECT_TRUE(config.server_installed);
  EXPECT_FALSE(config.StrictModes());
  ASSERT_EQ(config.unit_files.size(), 2u);
  std::optional<SshdAuthorizedKeysCommand> command = config.AuthorizedKeysCommand("x", {});
  ASSERT_TRUE(command.has_value());
  EXPECT_EQ(command->command,
            (std::vector<std::string>{"/opt/aws/bin/eic_run_authorized_keys", "%u", "%f"}));
  EXPECT_EQ(command->user, "ec2-instance-connect");
  EXPECT_EQ(command->origin.kind, SshdOrigin::Kind::kCommandLine);
  EXPECT_EQ(config.AuthorizedKeysFiles("root", {"root"}).patterns,
            (std::vector<std::string>{".ssh/authorized_keys", ".ssh/authorized_keys2"}));
  EXPECT_TRUE(config.AuthorizedKeysFiles("ec2-user", {"ec2-user"}).patterns.empty());
  EXPECT_EQ(ExpandAuthorizedKeysPath(".ssh/%u_keys%%", "bob", 1000, "/home/bob"),
            "/home/bob/.ssh/bob_keys%");
  EXPECT_EQ(ExpandAuthorizedKeysPath("/etc/keys/%U", "bob", 1000, "/home/bob"), "/etc/keys/1000");
  EXPECT_EQ(ExpandAuthorizedKeysPath("%h/.ssh/%x", "bob", 1000, "/home/bob"), std::nullopt);
}

TEST(SshdEffective, MissingConfig) {
  MemoryFs fs;
  fs.File("/usr/sbin/sshd", "ELF", {.mode = 0755});
  SshdConfig config = CollectSshdConfig(fs, ScanLimits{});
  EXPECT_FALSE(config.present);
  EXPECT_TRUE(config.StrictModes());
}

}  // namespace
}  // namespace imageprobe::probes

namespace imageprobe::probes {
namespace {

TEST(SshdEffective, TildeIsRootsHomeFromTheImagePasswd) {
  testing::MemoryFs fs;
  fs.File("/etc/passwd",
          "toor:x:0:0:first uid 0:/var/root:/bin/sh\nroot:x:0:0:root:/root:/bin/sh\n"
          "alice:x:1000:1000::/home/alice:/bin/sh\n");
  fs.File("/etc/ssh/sshd_config", "AuthorizedKeysFile ~/.ssh/keys ~alice/keys .ssh/own\n");
  SshdConfig config = CollectSshdConfig(fs, ScanLimits{});
  EXPECT_TRUE(config.parsed.problems.empty());
  // getpwuid(0) is the first uid-0 line; "~alice" is alice's home in the image.
  EXPECT_EQ(config.AuthorizedKeysFiles("bob", {}).patterns,
            (std::vector<std::string>{"/var/root/.ssh/keys", "/home/alice/keys", ".ssh/own"}));
}

TEST(SshdEffective, TildeOfAnUnknownUserStopsSshd) {
  testing::MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  fs.File("/etc/ssh/sshd_config", "AuthorizedKeysFile ~ghost/keys\n");
  SshdConfig config = CollectSshdConfig(fs, ScanLimits{});
  ASSERT_EQ(config.parsed.problems.size(), 1u);
  EXPECT_TRUE(config.parsed.problems[0].fatal);
  EXPECT_EQ(config.parsed.problems[0].line, 1u);
  EXPECT_NE(config.parsed.problems[0].message.find("~ghost/keys: no such user"), std::string::npos)
      << config.parsed.problems[0].message;
}

TEST(SshdTilde, ExpandsAsOpenSshTildeExpand) {
  SshdParseOptions options;
  options.root_home = "/root";
  options.homes = {{"daemon", "/usr/sbin"}, {"slash", "/srv/x/"}, {"none", ""}};
  auto expand = [&](std::string_view arg) { return ExpandSshdTilde(arg, options); };
  EXPECT_EQ(expand("~"), "/root/");
  EXPECT_EQ(expand("~/"), "/root/");
  EXPECT_EQ(expand("~//.ssh/k"), "/root/.ssh/k");
  EXPECT_EQ(expand("~daemon"), "/usr/sbin/");
  EXPECT_EQ(expand("~daemon//keys"), "/usr/sbin/keys");
  EXPECT_EQ(expand("~slash/k"), "/srv/x/k");
  EXPECT_EQ(expand("~none/k"), "/k");
  EXPECT_EQ(expand("~ghost/k"), std::nullopt);
  EXPECT_EQ(expand(".ssh/~x"), ".ssh/~x");
}

// A user no Match block applies to gets the global settings themselves, not a copy (every probe
// evaluates every user of passwd); a user with a block gets their own, and the global ones stay
// as they were.
TEST(SshdEffective, UsersWithoutAMatchingBlockShareTheGlobalSettings) {
  Tree tree;
  tree.fs.File("/etc/ssh/sshd_config",
               "PasswordAuthentication no\n"
               "Match User deploy\n"
               "  PasswordAuthentication yes\n");
  SshdParsedConfig parsed = tree.Parse();
  SharedSshdSettings global = EvaluateSshdGlobal(parsed);

  SshdUserSettings alice = EvaluateSshdForUser(parsed, global, "alice", {"alice"});
  EXPECT_EQ(&alice.settings.map(), &global.map());
  EXPECT_EQ(Value(alice.settings, "PasswordAuthentication"), "no");

  SshdUserSettings deploy = EvaluateSshdForUser(parsed, global, "deploy", {"deploy"});
  EXPECT_NE(&deploy.settings.map(), &global.map());
  EXPECT_EQ(Value(deploy.settings, "PasswordAuthentication"), "yes");
  EXPECT_EQ(Value(global, "PasswordAuthentication"), "no");
  EXPECT_EQ(deploy.settings.size(), global.size());
}

}  // namespace
}  // namespace imageprobe::probes
