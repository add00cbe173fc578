// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/authorized_keys_probe.h"

#include <gtest/gtest.h>

#include "probes/ssh/authorized_keys_files.h"
#include "tests/probes/ssh/test_keys.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes::ssh {
namespace {

using testing::MemoryFs;
using testing::RunProbe;
namespace k = test_keys;

std::string Line(std::string_view blob, std::string_view comment, std::string_view options = "") {
  std::string type = blob == k::kDsaBlob       ? "ssh-dss"
                     : blob == k::kRsa1024Blob ? "ssh-rsa"
                                               : "ssh-ed25519";
  return (options.empty() ? "" : std::string(options) + " ") + type + " " + std::string(blob) +
         " " + std::string(comment) + "\n";
}

// A small, healthy tree: root, alice (login), svc (nologin), modes as useradd makes them.
MemoryFs BaseTree() {
  MemoryFs fs;
  fs.File("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\n"
          "alice:x:1000:1000::/home/alice:/bin/bash\n"
          "bob:x:1001:1001::/home/bob:/bin/sh\n"
          "svc:x:998:998::/var/lib/svc:/usr/sbin/nologin\n");
  fs.File("/etc/group", "root:x:0:\nalice:x:1000:\nbob:x:1001:\nsvc:x:998:\n");
  fs.Dir("/root", {.mode = 0700});
  fs.Dir("/root/.ssh", {.mode = 0700});
  fs.Dir("/home/alice", {.mode = 0750, .uid = 1000, .gid = 1000});
  fs.Dir("/home/alice/.ssh", {.mode = 0700, .uid = 1000, .gid = 1000});
  fs.Dir("/home/bob", {.mode = 0755, .uid = 1001, .gid = 1001});
  fs.Dir("/var/lib/svc/.ssh", {.mode = 0700, .uid = 998});
  return fs;
}

TEST(AuthorizedKeysProbe, FactsForEveryAccountSshdReadsKeysFor) {
  MemoryFs fs = BaseTree();
  fs.File("/home/alice/.ssh/authorized_keys", Line(k::kEdABlob, "alice@laptop"),
          {.mode = 0600, .uid = 1000});
  fs.File("/home/alice/.ssh/authorized_keys2", Line(k::kEdBBlob, "old"),
          {.mode = 0600, .uid = 1000});
  fs.File("/var/lib/svc/.ssh/authorized_keys", Line(k::kEdCBlob, "svc"),
          {.mode = 0600, .uid = 998});
  auto run = RunProbe(AuthorizedKeysProbe(), fs);
  EXPECT_TRUE(run.out.errors().empty());
  auto facts = run.Facts("ssh/authorized_key");
  // svc has a nologin shell, but sshd still authenticates it with its key (and forwarding
  // works): its keys count.
  ASSERT_EQ(facts.size(), 3u);
  const Fact* svc = run.FindFact("ssh/authorized_key", "svc|" + std::string(k::kEdCFingerprint));
  ASSERT_NE(svc, nullptr);
  EXPECT_EQ(svc->data["verdict"], "accepted");
  const Fact* a = run.FindFact("ssh/authorized_key", "alice|" + std::string(k::kEdAFingerprint));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->data["path"], "/home/alice/.ssh/authorized_keys");
  EXPECT_EQ(a->data["type"], "ssh-ed25519");
  EXPECT_EQ(a->data["bits"], 256);
  EXPECT_EQ(a->data["comment"], "alice@laptop");
  EXPECT_EQ(a->data["line"], 1);
  EXPECT_EQ(a->data["accepted"], true);
  ASSERT_NE(run.FindFact("ssh/authorized_key", "alice|" + std::string(k::kEdBFingerprint)),
            nullptr);
  // Healthy keys: the only judgement is about root's empty ~/.ssh.
  ASSERT_EQ(run.out.findings().size(), 1u);
  EXPECT_EQ(run.out.findings()[0].rule_id, "ssh.authorized_keys.ssh_dir_without_keys");
}

TEST(AuthorizedKeysProbe, StrictModesNamesTheFailingPath) {
  MemoryFs fs = BaseTree();
  fs.Dir("/home/alice", {.mode = 0775, .uid = 1000, .gid = 1000});  // group-writable home
  fs.File("/home/alice/.ssh/authorized_keys", Line(k::kEdABlob, "a"), {.mode = 0600, .uid = 1000});
  fs.Dir("/home/bob/.ssh", {.mode = 0700, .uid = 1001});
  fs.File("/home/bob/.ssh/authorized_keys", Line(k::kEdBBlob, "b"), {.mode = 0600, .uid = 1000});
  fs.File("/root/.ssh/authorized_keys", Line(k::kEdCBlob, "r", "restrict"), {.mode = 0666});
  auto run = RunProbe(AuthorizedKeysProbe(), fs);
  auto findings = run.Findings("ssh.authorized_keys.strict_modes");
  ASSERT_EQ(findings.size(), 3u);
  std::map<std::string, std::string> evidence;
  for (const auto* f : findings) evidence[f->user] = f->evidence;
  EXPECT_EQ(evidence["alice"], "/home/alice: mode 0775 is group-writable");
  EXPECT_EQ(evidence["bob"],
            "/home/bob/.ssh/authorized_keys: owned by uid 1000, neither root nor the user (uid "
            "1001)");
  EXPECT_EQ(evidence["root"], "/root/.ssh/authorized_keys: mode 0666 is group- and world-writable");
  const Fact* a = run.FindFact("ssh/authorized_key", "alice|" + std::string(k::kEdAFingerprint));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->data["accepted"], false);
}

TEST(AuthorizedKeysProbe, StrictModesOffTurnsWritableIntoTakeover) {
  MemoryFs fs = BaseTree();
  fs.File("/home/alice/.ssh/authorized_keys", Line(k::kEdABlob, "a"), {.mode = 0664, .uid = 1000});
  UserDb db = BuildUserDb(parse::ParsePasswd(*fs.ReadFile("/etc/passwd", 1 << 20)),
                          parse::ParseGroup(*fs.ReadFile("/etc/group", 1 << 20)));
  auto inv = CollectAuthorizedKeys(fs, db, ScanLimits{}, [](const User&) {
    AuthorizedKeysSettings s;
    s.strict_modes = false;
    return s;
  });
  ASSERT_EQ(inv.users.size(), 4u);  // root, alice, bob, svc
  const auto& alice = inv.users[1];
  ASSERT_EQ(alice.files.size(), 1u);
  EXPECT_FALSE(alice.files[0].refused);
  ASSERT_TRUE(alice.files[0].violation);
  EXPECT_EQ(alice.files[0].violation->failure, StrictModesFailure::kWritable);
  EXPECT_EQ(alice.files[0].parsed.keys.size(), 1u);
}

TEST(AuthorizedKeysProbe, SymlinkedKeysFileIsCheckedWhereItPoints) {
  MemoryFs fs = BaseTree();
  fs.Dir("/srv/keys", {.mode = 0777});
  fs.File("/srv/keys/alice", Line(k::kEdABlob, "a"), {.mode = 0600, .uid = 1000});
  fs.Symlink("/home/alice/.ssh/authorized_keys", "/srv/keys/alice");
  auto run = RunProbe(AuthorizedKeysProbe(), fs);
  auto findings = run.Findings("ssh.authorized_keys.strict_modes");
  ASSERT_EQ(findings.size(), 1u);
  // The walk follows the real path up to "/" because the home is not above it.
  EXPECT_EQ(findings[0]->evidence, "/srv/keys: mode 0777 is group- and world-writable");
}

TEST(AuthorizedKeysProbe, JudgementsOnKeys) {
  MemoryFs fs = BaseTree();
  std::string cloud_init =
      "no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command=\"echo 'Please login as "
      "the user \\\"admin\\\" rather than the user \\\"root\\\".';echo;sleep 10;exit 142\"";
  fs.File("/root/.ssh/authorized_keys",
          Line(k::kEdABlob, "ops", cloud_init) + Line(k::kEdBBlob, "break-glass"), {.mode = 0600});
  fs.File("/home/alice/.ssh/authorized_keys",
          Line(k::kEdBBlob, "packer_5f3a1c00-aaaa-bbbb-cccc-0123456789ab") +
              Line(k::kDsaBlob, "old dsa") + Line(k::kRsa1024Blob, "old rsa") +
              Line(k::kEdCBlob, "ca", "cert-authority,principals=\"alice\"") +
              "this is not a key\n",
          {.mode = 0600, .uid = 1000});
  auto run = RunProbe(AuthorizedKeysProbe(), fs);

  auto root = run.Findings("ssh.authorized_keys.root_unrestricted");
  ASSERT_EQ(root.size(), 1u);  // the cloud-init disable_root key is restricted
  EXPECT_NE(root[0]->evidence.find(k::kEdBFingerprint), std::string::npos);
  const Fact* ci = run.FindFact("ssh/authorized_key", "root|" + std::string(k::kEdAFingerprint));
  ASSERT_NE(ci, nullptr);
  EXPECT_EQ(ci->data["cloud_init_disable_root"], true);

  auto packer = run.Findings("ssh.authorized_keys.packer_key");
  ASSERT_EQ(packer.size(), 1u);
  EXPECT_NE(packer[0]->title.find("2020-08-17T05:56:16Z"), std::string::npos) << packer[0]->title;

  EXPECT_EQ(run.Findings("ssh.authorized_keys.weak_key").size(), 2u);
  EXPECT_EQ(run.Findings("ssh.authorized_keys.cert_authority").size(), 1u);
  auto shared = run.Findings("ssh.authorized_keys.shared_key");
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared[0]->evidence, std::string(k::kEdBFingerprint) + " authorized for: root alice");
  auto malformed = run.Findings("ssh.authorized_keys.malformed_line");
  ASSERT_EQ(malformed.size(), 1u);
  EXPECT_EQ(malformed[0]->line, 5u);
  EXPECT_NE(malformed[0]->evidence.find("line 5: "), std::string::npos);
}

TEST(AuthorizedKeysProbe, SshDirWithoutKeysAndNotRegular) {
  MemoryFs fs = BaseTree();
  fs.Dir("/home/alice/.ssh/authorized_keys", {.mode = 0700, .uid = 1000});
  auto run = RunProbe(AuthorizedKeysProbe(), fs);
  auto not_regular = run.Findings("ssh.authorized_keys.not_regular_file");
  ASSERT_EQ(not_regular.size(), 1u);
  EXPECT_EQ(not_regular[0]->user, "alice");
  auto no_keys = run.Findings("ssh.authorized_keys.ssh_dir_without_keys");
  ASSERT_EQ(no_keys.size(), 2u);  // root and svc: ~/.ssh exists and is empty
  EXPECT_EQ(no_keys[0]->user, "root");
  EXPECT_EQ(no_keys[1]->user, "svc");
}

TEST(AuthorizedKeysProbe, NoPasswdIsNotApplicable) {
  MemoryFs fs;
  fs.Dir("/etc");
  auto run = RunProbe(AuthorizedKeysProbe(), fs);
  EXPECT_FALSE(run.out.applicable());
}

TEST(PackerBuildTime, DatesTheBuildFromTheUuid) {
  EXPECT_EQ(PackerBuildTime("packer_65a8e27f-1234-5678-9abc-def012345678"), "2024-01-18T08:34:07Z");
  EXPECT_FALSE(PackerBuildTime("packer_65a8e27f"));
  EXPECT_FALSE(PackerBuildTime("xpacker_65a8e27f-1234-5678-9abc-def012345678"));
  EXPECT_FALSE(PackerBuildTime("packer-1700000000"));
}

}  // namespace
}  // namespace imageprobe::probes::ssh

namespace imageprobe::probes::ssh {
namespace {

// The effective sshd configuration decides which files are read, per user (Match), and
// whether StrictModes applies.
TEST(AuthorizedKeysProbe, FollowsTheEffectiveSshdConfig) {
  MemoryFs fs = BaseTree();
  fs.File("/etc/ssh/sshd_config",
          "AuthorizedKeysFile /etc/ssh/keys/%u\n"
          "StrictModes no\n"
          "Match User bob\n"
          "  AuthorizedKeysFile %h/.ssh/bob_keys\n");
  fs.File("/etc/ssh/keys/alice", Line(k::kEdABlob, "central"), {.mode = 0664, .uid = 1000});
  fs.File("/home/alice/.ssh/authorized_keys", Line(k::kEdCBlob, "ignored"),
          {.mode = 0600, .uid = 1000});
  fs.File("/home/bob/.ssh/bob_keys", Line(k::kEdBBlob, "bob"), {.mode = 0600, .uid = 1001});
  auto run = RunProbe(AuthorizedKeysProbe(), fs);
  const Fact* alice =
      run.FindFact("ssh/authorized_key", "alice|" + std::string(k::kEdAFingerprint));
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->data["path"], "/etc/ssh/keys/alice");
  EXPECT_EQ(alice->data["accepted"], true);  // group-writable, but StrictModes is off
  EXPECT_EQ(run.FindFact("ssh/authorized_key", "alice|" + std::string(k::kEdCFingerprint)),
            nullptr);
  const Fact* bob = run.FindFact("ssh/authorized_key", "bob|" + std::string(k::kEdBFingerprint));
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->data["path"], "/home/bob/.ssh/bob_keys");
  auto takeover = run.Findings("ssh.authorized_keys.writable_by_others");
  ASSERT_EQ(takeover.size(), 1u);
  EXPECT_EQ(takeover[0]->evidence, "/etc/ssh/keys/alice: mode 0664 is group-writable");
}

}  // namespace
}  // namespace imageprobe::probes::ssh
