// SPDX-License-Identifier: Apache-2.0
#include "probes/users/users_probe.h"

#include <gtest/gtest.h>

#include "tests/probes/ssh/test_keys.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes::users {
namespace {

using testing::MemoryFs;
using testing::RunProbe;

MemoryFs ImageTree() {
  MemoryFs fs;
  fs.File("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\n"
          "toor:x:0:0::/root:/bin/sh\n"
          "admin:x:1000:1000::/home/admin:/bin/bash\n"
          "ssm-user:x:1001:1001::/home/ssm-user:/bin/bash\n"
          "legacy:$1$salt$inpasswd:1002:1002::/home/legacy:/bin/bash\n"
          "nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n"
          "guest:x:1003:1003::/home/guest:/bin/bash\n");
  fs.File("/etc/group", "root:x:0:\nadmin:x:1000:\nsudo:x:27:admin\nnogroup:x:65534:\n");
  fs.File("/etc/shadow",
          "root:*:19000:0:99999:7:::\n"
          "toor:$6$salt$hashhashhash:19000:0:99999:7:::\n"
          "admin:!:19000:0:99999:7:::\n"
          "ssm-user:!:19000:0:99999:7:::\n"
          "nobody:*:19000:0:99999:7:::\n"
          "guest::19000:0:99999:7:::\n",
          {.mode = 0640});
  fs.File("/etc/sudoers",
          "root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n"
          "@includedir /etc/sudoers.d\n",
          {.mode = 0440});
  fs.File("/etc/sudoers.d/90-cloud-init-users", "admin ALL=(ALL) NOPASSWD:ALL\n", {.mode = 0440});
  fs.File("/etc/sudoers.d/ssm-agent-users", "ssm-user ALL=(ALL) NOPASSWD:ALL\n", {.mode = 0440});
  fs.Dir("/home/admin/.ssh", {.mode = 0700, .uid = 1000});
  fs.Dir("/home/admin", {.mode = 0755, .uid = 1000});
  fs.File("/home/admin/.ssh/authorized_keys",
          "ssh-ed25519 " + std::string(ssh::test_keys::kEdABlob) + " admin\n",
          {.mode = 0600, .uid = 1000});
  return fs;
}

TEST(UsersProbe, FactsPerUser) {
  MemoryFs fs = ImageTree();
  auto run = RunProbe(UsersProbe(), fs);
  EXPECT_TRUE(run.out.errors().empty()) << run.out.errors()[0].message;
  ASSERT_EQ(run.Facts("users/user").size(), 7u);
  const Fact* admin = run.FindFact("users/user", "admin");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->data["uid"], 1000);
  EXPECT_EQ(admin->data["home"], "/home/admin");
  EXPECT_EQ(admin->data["password_state"], "locked");
  EXPECT_EQ(admin->data["can_log_in"], true);  // locked password, but a key
  EXPECT_EQ(admin->data["log_in_with"], nlohmann::json::array({"authorized_keys"}));
  EXPECT_EQ(admin->data["groups"], nlohmann::json::array({"admin", "sudo"}));
  EXPECT_EQ(admin->data["sudo"]["nopasswd_all"], true);
  EXPECT_EQ(admin->data["sudo"]["rules"].size(), 2u);  // %sudo and the cloud-init rule

  const Fact* toor = run.FindFact("users/user", "toor");
  EXPECT_EQ(toor->data["password_state"], "usable");
  EXPECT_EQ(toor->data["password_scheme"], "sha512crypt");
  // uid 0 with a usable hash, but PermitRootLogin's default (prohibit-password) refuses it.
  EXPECT_EQ(toor->data["can_log_in"], false);
  EXPECT_EQ(toor->data["access"]["methods"]["password"]["verdict"], "refused");
  EXPECT_EQ(toor->data["access"]["methods"]["password"]["reason"],
            "PermitRootLogin prohibit-password refuses password for uid 0");
  const Fact* nobody = run.FindFact("users/user", "nobody");
  EXPECT_EQ(nobody->data["can_log_in"], false);
  EXPECT_EQ(nobody->data["login_shell"], false);
  const Fact* legacy = run.FindFact("users/user", "legacy");
  EXPECT_EQ(legacy->data["password_source"], "/etc/passwd");
  EXPECT_EQ(legacy->data["password_scheme"], "md5crypt");

  // No fact or finding ever carries a hash.
  for (const auto& f : run.out.facts()) {
    EXPECT_EQ(f.data.dump().find("hashhash"), std::string::npos);
    EXPECT_EQ(f.data.dump().find("inpasswd"), std::string::npos);
  }
  for (const auto& f : run.out.findings()) {
    EXPECT_EQ(f.evidence.find("hashhash"), std::string::npos);
    EXPECT_EQ(f.evidence.find("inpasswd"), std::string::npos);
  }
}

TEST(UsersProbe, Findings) {
  MemoryFs fs = ImageTree();
  auto run = RunProbe(UsersProbe(), fs);
  auto uid0 = run.Findings("users.uid0_extra");
  ASSERT_EQ(uid0.size(), 1u);
  EXPECT_EQ(uid0[0]->user, "toor");
  auto hashes = run.Findings("users.password.usable_hash");
  ASSERT_EQ(hashes.size(), 2u);  // toor (uid 0: high) and legacy (hash in passwd)
  EXPECT_EQ(hashes[0]->user, "toor");
  EXPECT_EQ(hashes[0]->severity, Severity::kHigh);
  EXPECT_EQ(hashes[1]->path, "/etc/passwd");
  auto empty = run.Findings("users.password.empty");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0]->user, "guest");
  auto nopasswd = run.Findings("users.sudo.nopasswd_all");
  ASSERT_EQ(nopasswd.size(), 2u);
  EXPECT_EQ(nopasswd[0]->path, "/etc/sudoers.d/90-cloud-init-users");
  EXPECT_EQ(nopasswd[1]->user, "ssm-user");
  auto ssm = run.Findings("users.ssm_user.present");
  ASSERT_EQ(ssm.size(), 1u);
  EXPECT_EQ(ssm[0]->evidence, "account ssm-user (uid 1001) and /etc/sudoers.d/ssm-agent-users");
}

TEST(UsersProbe, SsmSudoersFileAloneIsEnough) {
  MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0::/root:/bin/bash\n");
  fs.File("/etc/sudoers.d/ssm-agent-users", "ssm-user ALL=(ALL) NOPASSWD:ALL\n");
  auto run = RunProbe(UsersProbe(), fs);
  ASSERT_EQ(run.Findings("users.ssm_user.present").size(), 1u);
  EXPECT_TRUE(run.Findings("users.sudo.nopasswd_all").empty());  // not included by any sudoers
  const Fact* root = run.FindFact("users/user", "root");
  EXPECT_EQ(root->data["password_state"], "unknown");  // no /etc/shadow
}

TEST(UsersProbe, BrokenFilesBecomeErrorsNotCrashes) {
  MemoryFs fs;
  fs.File("/etc/passwd", "root:x:0:0::/root:/bin/bash\n\xff\xfe\n");
  fs.Special("/etc/shadow", FileType::kFifo);
  fs.File("/etc/sudoers", "@include /etc/sudoers\nnonsense\n");
  auto run = RunProbe(UsersProbe(), fs);
  EXPECT_EQ(run.Facts("users/user").size(), 1u);
  std::vector<std::string> paths;
  for (const auto& e : run.out.errors()) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/etc/passwd", "/etc/shadow", "/etc/sudoers",
                                             "/etc/sudoers"}));
}

}  // namespace
}  // namespace imageprobe::probes::users
