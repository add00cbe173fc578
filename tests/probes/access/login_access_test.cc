// SPDX-License-Identifier: Apache-2.0
// The access verdict on in-memory trees: what the real-sshd oracle (tests/e2e/
// sshd_login_oracle_e2e.py, Debian 12's 9.2p1 from 127.0.0.1) cannot show: other distribution
// families, other PAM stacks, client-dependent Match blocks and options, programs sshd would run.
// Each case cites the OpenSSH (or Linux-PAM) code whose decision it follows.
#include "probes/access/login_access.h"

#include <gtest/gtest.h>

#include "probes/access/pam_stack.h"
#include "tests/probes/ssh/test_keys.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::probes::access {
namespace {

using testing::MemoryFs;
namespace k = ssh::test_keys;

constexpr const char* kHash = "$6$salt$0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGH";

// root and alice (uid 1000, private group), a shell, alice's key in a healthy home.
// `alice_shadow`: her shadow line after the name.
MemoryFs Tree(std::string sshd_config,
              std::string alice_shadow = std::string(kHash) + ":19000:0:99999:7:::") {
  MemoryFs fs;
  fs.File("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\n"
          "alice:x:1000:1000::/home/alice:/bin/bash\n");
  fs.File("/etc/group", "root:x:0:\nalice:x:1000:\n");
  fs.File("/etc/shadow",
          "root:" + std::string(kHash) + ":19000:0:99999:7:::\nalice:" + alice_shadow + "\n",
          {.mode = 0640});
  fs.File("/bin/sh", "", {.mode = 0755});
  fs.File("/bin/bash", "", {.mode = 0755});
  fs.File("/usr/sbin/sshd", "", {.mode = 0755});
  fs.File("/etc/ssh/sshd_config", std::move(sshd_config));
  fs.Dir("/root", {.mode = 0700});
  fs.Dir("/home/alice", {.mode = 0755, .uid = 1000, .gid = 1000});
  fs.Dir("/home/alice/.ssh", {.mode = 0700, .uid = 1000, .gid = 1000});
  fs.File("/home/alice/.ssh/authorized_keys",
          "ssh-ed25519 " + std::string(k::kEdABlob) + " alice\n",
          {.mode = 0600, .uid = 1000, .gid = 1000});
  return fs;
}

struct Scan {
  OsInfo os;
  ScanLimits limits;
  Context context;
  std::optional<std::chrono::year_month_day> as_of = std::chrono::year_month_day{
      std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{1}};

  const UserAccess& Of(const Filesystem& fs, std::string_view user) {
    Target target{fs, os, limits, context, as_of};
    const UserAccess* access = AccessOf(target).Find(user);
    EXPECT_NE(access, nullptr) << user;
    return *access;
  }
};

Verdict MethodOf(const UserAccess& a, const char* method) { return a.methods.at(method).verdict; }

TEST(LoginAccess, DefaultsWithDebianLikeConfig) {
  MemoryFs fs = Tree("UsePAM yes\nKbdInteractiveAuthentication no\n");
  Scan scan;
  const UserAccess& alice = scan.Of(fs, "alice");
  EXPECT_EQ(MethodOf(alice, "publickey"), Verdict::kAccepted);
  EXPECT_EQ(MethodOf(alice, "password"), Verdict::kAccepted);
  EXPECT_EQ(MethodOf(alice, "keyboard-interactive"), Verdict::kRefused);
  EXPECT_EQ(alice.methods.at("keyboard-interactive").reason, "KbdInteractiveAuthentication no");
  EXPECT_EQ(alice.methods.at("keyboard-interactive").source, "/etc/ssh/sshd_config:2");
  EXPECT_EQ(MethodOf(alice, "none"), Verdict::kRefused);
  EXPECT_EQ(alice.overall.verdict, Verdict::kAccepted);
  // root: auth.c auth_root_allowed under the default prohibit-password.
  const UserAccess& root = scan.Of(fs, "root");
  EXPECT_EQ(MethodOf(root, "password"), Verdict::kRefused);
  EXPECT_EQ(root.methods.at("password").source, "default");
}

// auth2-kbdint.c: keyboard-interactive through PAM is a password login that
// PasswordAuthentication does not govern.
TEST(LoginAccess, KeyboardInteractiveThroughPamIgnoresPasswordAuthentication) {
  MemoryFs fs = Tree("UsePAM yes\nPasswordAuthentication no\n");
  Scan scan;
  const UserAccess& alice = scan.Of(fs, "alice");
  EXPECT_EQ(MethodOf(alice, "password"), Verdict::kRefused);
  EXPECT_EQ(MethodOf(alice, "keyboard-interactive"), Verdict::kAccepted);
}

// servconf.c match_cfg_line: an Address criterion is decided per connection.
TEST(LoginAccess, MatchAddressMakesTheVerdictConditional) {
  MemoryFs fs = Tree(
      "UsePAM yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
      "Match Address 10.0.0.0/8\n  PasswordAuthentication yes\n");
  Scan scan;
  const Decision& password = scan.Of(fs, "alice").methods.at("password");
  EXPECT_EQ(password.verdict, Verdict::kConditional);
  EXPECT_NE(password.reason.find("Match Address 10.0.0.0/8"), std::string::npos) << password.reason;
  EXPECT_EQ(password.source, "/etc/ssh/sshd_config:4");
  // The key does not depend on it.
  EXPECT_EQ(MethodOf(scan.Of(fs, "alice"), "publickey"), Verdict::kAccepted);
}

// auth2-pubkey.c user_key_command_allowed2: keys from a program sshd runs.
TEST(LoginAccess, AuthorizedKeysCommandIsConditionalAndNamed) {
  MemoryFs fs = Tree(
      "UsePAM yes\nAuthorizedKeysFile none\n"
      "AuthorizedKeysCommand /opt/aws/bin/eic_run_authorized_keys %u %f\n"
      "AuthorizedKeysCommandUser ec2-instance-connect\n");
  Scan scan;
  const Decision& publickey = scan.Of(fs, "alice").methods.at("publickey");
  EXPECT_EQ(publickey.verdict, Verdict::kConditional);
  EXPECT_NE(publickey.reason.find("/opt/aws/bin/eic_run_authorized_keys"), std::string::npos);
}

// misc.c safe_path without Debian's user-group-modes patch (Fedora, RHEL, Amazon Linux).
TEST(LoginAccess, GroupWritableHomeDependsOnTheDistributionsPatch) {
  MemoryFs fs = Tree("UsePAM yes\n");
  fs.Dir("/home/alice", {.mode = 0775, .uid = 1000, .gid = 1000});
  Scan debian;
  debian.os.detected = true;
  debian.os.id = "ubuntu";
  debian.os.id_like = "debian";
  const KeyAccess* key = debian.Of(fs, "alice").FindKey(k::kEdAFingerprint);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->decision.verdict, Verdict::kAccepted);
  Scan rhel;
  rhel.os.detected = true;
  rhel.os.id = "rhel";
  rhel.os.id_like = "fedora";
  key = rhel.Of(fs, "alice").FindKey(k::kEdAFingerprint);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->decision.verdict, Verdict::kRefused);
  EXPECT_EQ(key->decision.reason, "StrictModes: /home/alice mode 0775 is group-writable");
}

// auth.c allowed_user: ChrootDirectory skips the shell check.
TEST(LoginAccess, MissingShellRefusesUnlessChrooted) {
  MemoryFs fs = Tree("UsePAM yes\n");
  fs.File("/etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/zsh\n");
  Scan scan;
  EXPECT_EQ(scan.Of(fs, "alice").gates.reason, "shell /bin/zsh does not exist");
  MemoryFs chrooted = Tree("UsePAM yes\nMatch User alice\n  ChrootDirectory /srv/jail\n");
  chrooted.File("/etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/zsh\n");
  Scan again;
  EXPECT_EQ(again.Of(chrooted, "alice").gates.verdict, Verdict::kAccepted);
}

// auth-shadow.c auth_shadow_acctexpired (expire < today) against pam_unix
// check_shadow_expiry (today >= expire): on the expiry day itself they differ.
TEST(LoginAccess, ExpiryDayIsJudgedAsSshdOrPamJudgesIt) {
  // 2026-12-01 is day 20788 since 1970-01-01.
  std::string expiring_today = std::string(kHash) + ":19000:0:99999:7::20788:";
  MemoryFs pam_no = Tree("UsePAM no\n", expiring_today);
  Scan a;
  EXPECT_EQ(a.Of(pam_no, "alice").gates.verdict, Verdict::kAccepted);
  MemoryFs pam_yes = Tree("UsePAM yes\n", expiring_today);
  Scan b;
  const Decision& gates = b.Of(pam_yes, "alice").gates;
  EXPECT_EQ(gates.verdict, Verdict::kRefused);
  EXPECT_EQ(gates.reason, "account expired on 2026-12-01 (pam_unix, UsePAM yes)");
}

// Linux-PAM pam_unix(8) nullok; auth-passwd.c: PermitEmptyPasswords first.
TEST(LoginAccess, EmptyPasswordNeedsPermitEmptyPasswordsAndNullok) {
  const std::string config = "UsePAM yes\nPermitEmptyPasswords yes\n";
  MemoryFs nullok = Tree(config, ":19000:0:99999:7:::");
  nullok.File("/etc/pam.d/sshd", "@include common-auth\naccount required pam_nologin.so\n");
  nullok.File("/etc/pam.d/common-auth",
              "auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n");
  Scan a;
  const UserAccess& alice = a.Of(nullok, "alice");
  EXPECT_EQ(MethodOf(alice, "none"), Verdict::kAccepted);
  EXPECT_EQ(MethodOf(alice, "password"), Verdict::kAccepted);

  MemoryFs strict = Tree(config, ":19000:0:99999:7:::");
  strict.File("/etc/pam.d/sshd", "auth required pam_unix.so\n");
  Scan b;
  const UserAccess& refused = b.Of(strict, "alice");
  EXPECT_EQ(MethodOf(refused, "none"), Verdict::kRefused);
  EXPECT_EQ(refused.methods.at("none").reason, "empty password and pam_unix without nullok");
}

// pam_nologin(8): non-root users are refused while /etc/nologin exists.
TEST(LoginAccess, NologinFileRefusesNonRootThroughPam) {
  MemoryFs fs = Tree("UsePAM yes\nPermitRootLogin yes\n");
  fs.File("/etc/nologin", "maintenance\n");
  fs.File("/etc/pam.d/sshd", "account    required     pam_nologin.so\n@include common-account\n");
  fs.File("/etc/pam.d/common-account",
          "account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\n");
  Scan scan;
  EXPECT_EQ(scan.Of(fs, "alice").overall.verdict, Verdict::kRefused);
  EXPECT_EQ(scan.Of(fs, "alice").gates.source, "/etc/pam.d/sshd:1");
  EXPECT_EQ(scan.Of(fs, "root").overall.verdict, Verdict::kAccepted);
}

// auth2.c auth2_update_methods_lists: a chain needs every method; "keyboard-interactive:pam"
// names a submethod.
TEST(LoginAccess, AuthenticationMethodsChains) {
  MemoryFs fs = Tree("UsePAM yes\nAuthenticationMethods publickey,keyboard-interactive:pam\n");
  Scan scan;
  const UserAccess& alice = scan.Of(fs, "alice");
  EXPECT_EQ(MethodOf(alice, "publickey"), Verdict::kRefused);
  EXPECT_NE(alice.methods.at("publickey").reason.find("only a partial success"), std::string::npos);
  ASSERT_EQ(alice.chains.size(), 1u);
  EXPECT_EQ(alice.chains[0].chain, "publickey,keyboard-interactive:pam");
  EXPECT_EQ(alice.chains[0].decision.verdict, Verdict::kAccepted);
  EXPECT_EQ(alice.overall.verdict, Verdict::kAccepted);
}

// sshd refuses to start without its configuration file (sshd.c load_server_config).
TEST(LoginAccess, InstalledSshdWithoutConfigLetsNobodyIn) {
  MemoryFs fs = Tree("");
  fs = MemoryFs();
  fs.File("/etc/passwd", "alice:x:1000:1000::/home/alice:/bin/sh\n");
  fs.File("/bin/sh", "", {.mode = 0755});
  fs.File("/usr/sbin/sshd", "", {.mode = 0755});
  Scan scan;
  const UserAccess& alice = scan.Of(fs, "alice");
  EXPECT_EQ(alice.overall.verdict, Verdict::kRefused);
  EXPECT_EQ(alice.overall.reason, "sshd does not start: /etc/ssh/sshd_config is missing");
}

// User lists with a host part (match.c match_user) cannot be decided offline.
TEST(LoginAccess, AllowUsersWithHostPartIsConditional) {
  MemoryFs fs = Tree("UsePAM yes\nAllowUsers alice@10.0.0.* root\n");
  Scan scan;
  EXPECT_EQ(scan.Of(fs, "alice").overall.verdict, Verdict::kConditional);
  EXPECT_EQ(scan.Of(fs, "root").gates.verdict, Verdict::kAccepted);
}

MemoryFs WithOpenssh(MemoryFs fs, std::string_view package_version) {
  fs.File("/var/lib/dpkg/status",
          "Package: openssh-server\nStatus: install ok installed\n"
          "Version: " +
              std::string(package_version) + "\n\n");
  fs.File("/root/.ssh/authorized_keys",
          "ssh-dss " + std::string(k::kDsaBlob) +
              " old\n"
              "ssh-rsa " +
              std::string(k::kRsa1024Blob) + " rsa\n",
          {.mode = 0600});
  return fs;
}

// OpenSSH 7.0 release notes: PermitRootLogin's default became prohibit-password and ssh-dss
// left the accepted key types. An image lifted from Ubuntu 14.04 (6.6p1) with neither set
// lets root in with a password and a DSA key.
TEST(LoginAccess, TheImagesOwnVersionDecidesTheDefaults) {
  Scan old;
  MemoryFs trusty = WithOpenssh(Tree("UsePAM yes\n"), "1:6.6p1-2ubuntu2.13");
  const UserAccess& root = old.Of(trusty, "root");
  EXPECT_EQ(MethodOf(root, "password"), Verdict::kAccepted);
  ASSERT_NE(root.FindKey(k::kDsaFingerprint), nullptr);
  EXPECT_EQ(root.FindKey(k::kDsaFingerprint)->decision.verdict, Verdict::kAccepted);

  Scan current;
  MemoryFs bookworm = WithOpenssh(Tree("UsePAM yes\n"), "1:9.2p1-2+deb12u3");
  const UserAccess& root92 = current.Of(bookworm, "root");
  EXPECT_EQ(MethodOf(root92, "password"), Verdict::kRefused);
  const KeyAccess* dsa = root92.FindKey(k::kDsaFingerprint);
  ASSERT_NE(dsa, nullptr);
  EXPECT_EQ(dsa->decision.verdict, Verdict::kRefused);
  EXPECT_EQ(dsa->decision.reason, "ssh-dss not in PubkeyAcceptedAlgorithms");
  // 9.1 release notes: RequiredRSASize, default 1024: a 1024-bit key still passes.
  EXPECT_EQ(root92.FindKey(k::kRsa1024Fingerprint)->decision.verdict, Verdict::kAccepted);
}

// OpenSSH 10.0 release notes: DSA support is gone; "+ssh-dss" brings nothing back.
TEST(LoginAccess, DsaCannotBeReenabledFromTen) {
  Scan scan;
  MemoryFs fs = WithOpenssh(Tree("UsePAM yes\nPubkeyAcceptedAlgorithms +ssh-dss\n"), "1:10.0p1-1");
  EXPECT_EQ(scan.Of(fs, "root").FindKey(k::kDsaFingerprint)->decision.verdict, Verdict::kRefused);
  Scan nine;
  MemoryFs fs92 = WithOpenssh(Tree("UsePAM yes\nPubkeyAcceptedAlgorithms +ssh-dss\n"), "1:9.2p1-2");
  EXPECT_EQ(nine.Of(fs92, "root").FindKey(k::kDsaFingerprint)->decision.verdict,
            Verdict::kAccepted);
}

TEST(PamStack, ParsesControlsIncludesAndContinuations) {
  std::vector<PamLine> lines = ParsePamFile(
      "# comment\n"
      "auth [success=1 default=ignore] pam_unix.so nullok # trailing\n"
      "-session optional pam_systemd.so\n"
      "@include common-account\n"
      "account include \\\n  system-auth\n"
      "broken line\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].control, "[success=1 default=ignore]");
  EXPECT_EQ(lines[0].ModuleName(), "pam_unix.so");
  EXPECT_EQ(lines[0].args, (std::vector<std::string>{"nullok"}));
  EXPECT_EQ(lines[1].type, "session");
  EXPECT_EQ(lines[2].type, "@include");
  EXPECT_EQ(lines[3].module, "system-auth");
  EXPECT_TRUE(lines[3].IsInclude());
  EXPECT_EQ(lines[3].line, 5u);
}

TEST(PamStack, IncludeLoopsStop) {
  MemoryFs fs;
  fs.File("/etc/pam.d/sshd", "@include sshd\nauth required pam_unix.so\n");
  PamStack stack = CollectPamStack(fs, ScanLimits{});
  EXPECT_TRUE(stack.present);
  EXPECT_FALSE(stack.diagnostics.empty());
  EXPECT_NE(stack.Find("auth", "pam_unix.so"), nullptr);
}

}  // namespace
}  // namespace imageprobe::probes::access
