// SPDX-License-Identifier: Apache-2.0
// The SARIF, Markdown and HTML renderers (scan and diff) and the rules catalogue: golden files
// under tests/golden/ (refresh with tools/update-golden) plus the properties a golden file
// cannot state on its own: hostile strings stay text, suppressed findings are listed apart and
// never counted, Markdown is cut to fit a comment without breaking, every SARIF ruleIndex is
// valid, and fields the diff gains later are still shown.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "probes/all_probes.h"
#include "probes/os/os_records.h"
#include "probes/ssh/authorized_keys_records.h"
#include "probes/users/users_records.h"
#include "scanner/core/diff.h"
#include "scanner/report/diff_html.h"
#include "scanner/report/diff_json.h"
#include "scanner/report/diff_markdown.h"
#include "scanner/report/escape.h"
#include "scanner/report/html_renderer.h"
#include "scanner/report/login_table.h"
#include "scanner/report/markdown_renderer.h"
#include "scanner/report/rules_renderer.h"
#include "scanner/report/sarif_renderer.h"
#include "tests/report/golden.h"
#include "tests/report/sample_report.h"

namespace imageprobe::report {
namespace {

using nlohmann::json;

using testing::ExpectGolden;

std::string Kind(const RecordKind& kind) { return std::string(kind.name); }

// An image string that tries everything a Markdown comment or an HTML page would act on.
constexpr std::string_view kHostile =
    "<script>alert(1)</script> <img src=https://evil.example/x.png> [link](http://evil.example) "
    "@octocat #12 | `code` *bold* $x$ www.evil.example &amp; \xE2\x80\xAEtxt.exe";

constexpr RuleInfo kRules[] = {
    {"os.end_of_life", Severity::kHigh, "The OS release is past its end of life",
     "No security updates.", "Rebuild the image on a supported release."},
    {"ssh.authorized_keys.group_writable", Severity::kHigh, "authorized_keys is group-writable",
     "Another user could add a key.", "chmod 600 the file."},
    {"ssm.registration.present", Severity::kMedium, "SSM registration left in the image",
     "Every instance would share one managed-instance identity.",
     "Remove the registration before release."},
    {"cloud_init.leftover", Severity::kInfo, "cloud-init instance data present",
     "The next boot may skip first-boot setup.", "Run cloud-init clean."},
};

// The sample report with what the new formats show: login facts (users/user with sudo, keys
// with type and file), a finding whose severity the profile raised, a suppressed finding, and
// a hostile OS name.
Report FormatsSample() {
  Report r = testing::SampleReport();
  r.profile = "release";
  RootReport& web = r.roots[0];
  web.facts = {
      {Kind(probes::kOsReleaseRecord), "release", {{"id", "ubuntu"}, {"version_id", "14.04"}}},
      {Kind(probes::kAuthorizedKeyRecord),
       "deploy|SHA256:abc",
       {{"user", "deploy"},
        {"type", "ssh-ed25519"},
        {"label", "ED25519"},
        {"bits", 256},
        {"fingerprint", "SHA256:abc"},
        {"path", "/home/deploy/.ssh/authorized_keys"},
        {"accepted", false}}},
      {Kind(probes::kAuthorizedKeyRecord),
       "root|SHA256:def",
       {{"user", "root"},
        {"type", "ssh-rsa"},
        {"label", "RSA"},
        {"bits", 4096},
        {"fingerprint", "SHA256:def"},
        {"path", "/root/.ssh/authorized_keys"},
        {"accepted", true}}},
      {Kind(probes::kUserRecord),
       "deploy",
       {{"name", "deploy"},
        {"login_shell", true},
        {"can_log_in", true},
        {"log_in_with", {"authorized_keys"}},
        {"sudo",
         {{"rules", json::array({{{"file", "/etc/sudoers.d/deploy"}}})},
          {"all_commands", true},
          {"nopasswd", true},
          {"nopasswd_all", true}}}}},
      {Kind(probes::kUserRecord),
       "root",
       {{"name", "root"},
        {"login_shell", true},
        {"can_log_in", true},
        {"log_in_with", {"password", "authorized_keys"}},
        {"password_source", "/etc/shadow"},
        {"sudo",
         {{"rules", json::array()},
          {"all_commands", true},
          {"nopasswd", false},
          {"nopasswd_all", false}}}}},
      {Kind(probes::kUserRecord),
       "svc",
       {{"name", "svc"},
        {"login_shell", false},
        {"shell", "/usr/sbin/nologin"},
        {"log_in_with", {"password"}},
        {"password_source", "/etc/shadow"},
        {"sudo", {{"rules", json::array()}, {"all_commands", false}}}}},
  };
  for (Finding& f : web.findings) {
    if (f.rule_id == "ssm.registration.present") {
      f.default_severity = f.severity;
      f.severity = Severity::kHigh;
    }
    if (f.rule_id == "cloud_init.leftover") {
      f.suppressed = Suppression{"ignore_file", "accepted until the next base image", "2027-01-31"};
    }
  }
  web.findings.push_back(
      {.rule_id = "secrets.unknown_rule",
       .severity = Severity::kLow,
       .title = std::string(kHostile),
       .path = "/home/deploy/my notes/100%.txt",
       .line = 7,
       .user = "deploy",
       .evidence = "AKIA…WXYZ",
       .remediation = "Delete it.",
       .identity = "secrets.unknown_rule|/home/deploy/my notes/100%.txt|deploy|"});
  web.os.pretty_name = "Ubuntu 14.04.6 LTS " + std::string(kHostile);
  return r;
}

std::string Sarif(const Report& r) {
  std::ostringstream out;
  RenderSarif(std::span<const Report>(&r, 1), kRules, out);
  return out.str();
}
std::string Markdown(const Report& r, size_t limit = kMarkdownCommentLimit) {
  std::ostringstream out;
  RenderMarkdown(std::span<const Report>(&r, 1), probes::AllRecordKinds(), out, limit);
  return out.str();
}
std::string Html(const Report& r) {
  std::ostringstream out;
  RenderHtml(std::span<const Report>(&r, 1), probes::AllRecordKinds(), out);
  return out.str();
}

// The next release of FormatsSample: deploy lost its key, root's key type changed, a critical
// finding is new, the EOL finding is resolved.
Report FormatsNext() {
  Report r = FormatsSample();
  r.input.path = "/images/web-v3.qcow2";
  RootReport& web = r.roots[0];
  std::erase_if(web.facts, [](const Fact& f) { return f.key == "deploy|SHA256:abc"; });
  for (Fact& f : web.facts) {
    if (f.key == "root|SHA256:def") f.data["path"] = "/root/.ssh/authorized_keys2";
  }
  std::erase_if(web.findings, [](const Finding& f) { return f.rule_id == "os.end_of_life"; });
  web.findings.push_back({.rule_id = "sshd.permit_root_login",
                          .severity = Severity::kCritical,
                          .title = "root may log in with a password",
                          .path = "/etc/ssh/sshd_config",
                          .line = 12,
                          .evidence = "PermitRootLogin yes",
                          .remediation = "Set PermitRootLogin no.",
                          .identity = "sshd.permit_root_login|/etc/ssh/sshd_config||"});
  return r;
}

DiffReport FormatsDiff() {
  DiffReport d = DiffReports(FormatsSample(), FormatsNext(), probes::AllRecordKinds());
  d.tool_version = "0.1.0";
  return d;
}

TEST(Golden, Sarif) { ExpectGolden("sample_report.sarif", Sarif(FormatsSample())); }
TEST(Golden, Markdown) { ExpectGolden("sample_report.md", Markdown(FormatsSample())); }
TEST(Golden, Html) { ExpectGolden("sample_report.html", Html(FormatsSample())); }
TEST(Golden, DiffMarkdown) {
  std::ostringstream out;
  RenderDiffMarkdown(FormatsDiff(), out);
  ExpectGolden("sample_diff.md", out.str());
}
TEST(Golden, DiffHtml) {
  std::ostringstream out;
  RenderDiffHtml(FormatsDiff(), out);
  ExpectGolden("sample_diff.html", out.str());
}

// --- escaping ---------------------------------------------------------------------------------

TEST(Escape, HtmlLeavesNoMarkup) {
  std::string e = EscapeHtml(kHostile);
  EXPECT_EQ(e.find('<'), std::string::npos);
  EXPECT_EQ(e.find('>'), std::string::npos);
  EXPECT_EQ(e.find('"'), std::string::npos);
  EXPECT_NE(e.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(e.find("&amp;amp;"), std::string::npos);
  EXPECT_NE(e.find("\\u{202E}"), std::string::npos);  // the bidi override shows, not acts
  EXPECT_EQ(EscapeHtml("a\x1b[2Jb\nc\xff"), "a\\x1B[2Jb\\x0Ac\\xFF");
}

TEST(Escape, MarkdownLeavesNoMarkupLinksOrMentions) {
  std::string e = EscapeMarkdown(kHostile);
  EXPECT_EQ(e.find('<'), std::string::npos);
  EXPECT_NE(e.find("\\](http"), std::string::npos);  // the bracket is escaped: not a link
  EXPECT_EQ(e.find("://"), std::string::npos);
  EXPECT_EQ(e.find("@octocat"), std::string::npos);
  EXPECT_EQ(e.find("#12"), std::string::npos);
  EXPECT_EQ(e.find("www."), std::string::npos);
  EXPECT_NE(e.find("\\|"), std::string::npos);
  EXPECT_NE(e.find("\\`code\\`"), std::string::npos);
  EXPECT_NE(e.find("\\*bold\\*"), std::string::npos);
  EXPECT_NE(e.find("\\$x\\$"), std::string::npos);
  EXPECT_NE(e.find("\\[link\\]"), std::string::npos);
  // Block markers only matter at the start.
  EXPECT_EQ(EscapeMarkdown("# title"), "\\#\u200B title");
  EXPECT_EQ(EscapeMarkdown("- item"), "\\- item");
  EXPECT_EQ(EscapeMarkdown("12. item"), "12\\. item");
  EXPECT_EQ(EscapeMarkdown("a-b 1.2"), "a-b 1.2");
  EXPECT_EQ(EscapeMarkdown("line\nbreak"), "line\\\\x0Abreak");
}

// --- login table ------------------------------------------------------------------------------

TEST(LoginTable, KeysAndPasswordsWithSudoAndCaveats) {
  std::vector<LoginRow> rows = LoginRows(FormatsSample().roots[0], probes::AllRecordKinds());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].user, "deploy");
  EXPECT_EQ(rows[0].key_type, "ED25519 256");
  EXPECT_EQ(rows[0].source, "/home/deploy/.ssh/authorized_keys");
  EXPECT_EQ(rows[0].sudo, "ALL (NOPASSWD)");
  EXPECT_EQ(rows[0].caveat, "sshd refuses this file (StrictModes)");
  EXPECT_EQ(rows[1].user, "root");
  EXPECT_EQ(rows[1].method, "key");
  EXPECT_EQ(rows[1].fingerprint, "SHA256:def");
  EXPECT_EQ(rows[1].sudo, "ALL");
  EXPECT_EQ(rows[1].caveat, "");
  EXPECT_EQ(rows[2].method, "password");
  EXPECT_EQ(rows[2].source, "/etc/shadow");
  EXPECT_EQ(rows[3].user, "svc");
  EXPECT_EQ(rows[3].sudo, "no");
  EXPECT_EQ(rows[3].caveat, "no login shell (/usr/sbin/nologin)");
}

// Facts as the access verdict writes them (probes/access): every refusal and condition shows
// its reason; a password sshd refuses although the account has one is listed, a locked one not.
TEST(LoginTable, VerdictsGiveTheirReasons) {
  auto decision = [](const char* verdict, const char* reason) {
    return json{{"verdict", verdict}, {"reason", reason}, {"source", "/etc/ssh/sshd_config:3"}};
  };
  RootReport root;
  root.facts = {
      {Kind(probes::kAuthorizedKeyRecord),
       "ops|SHA256:a",
       {{"user", "ops"},
        {"type", "ssh-ed25519"},
        {"fingerprint", "SHA256:a"},
        {"accepted", false},
        {"verdict", "refused"},
        {"reason", "listed in DenyUsers (ops)"}}},
      {Kind(probes::kAuthorizedKeyRecord),
       "ops|SHA256:b",
       {{"user", "ops"},
        {"type", "ssh-ed25519"},
        {"fingerprint", "SHA256:b"},
        {"accepted", false},
        {"verdict", "conditional"},
        {"reason", "from=\"10.0.0.0/8\": only from matching clients"}}},
      {Kind(probes::kAuthorizedKeyRecord),
       "ci|SHA256:c",
       {{"user", "ci"},
        {"type", "ssh-ed25519"},
        {"fingerprint", "SHA256:c"},
        {"accepted", true},
        {"verdict", "accepted"},
        {"reason", "key in /home/ci/.ssh/authorized_keys"},
        {"restriction", "forced command: /usr/bin/deploy"}}},
      {Kind(probes::kUserRecord),
       "root",
       {{"name", "root"},
        {"password_state", "usable"},
        {"password_source", "/etc/shadow"},
        {"access",
         {{"methods",
           {{"password",
             decision("refused", "PermitRootLogin prohibit-password refuses password for uid 0")},
            {"keyboard-interactive", decision("refused", "KbdInteractiveAuthentication no")},
            {"none", decision("refused", "PermitEmptyPasswords no")}}}}}}},
      {Kind(probes::kUserRecord),
       "ci",
       {{"name", "ci"},
        {"password_state", "locked"},
        {"access",
         {{"methods",
           {{"password", decision("refused", "password locked")},
            {"keyboard-interactive", decision("accepted", "")},
            {"none", decision("refused", "PermitEmptyPasswords no")}}}}}}},
  };
  std::vector<LoginRow> rows = LoginRows(root, probes::AllRecordKinds());
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].user, "ci");
  EXPECT_EQ(rows[0].method, "key");
  EXPECT_EQ(rows[0].caveat, "restricted: forced command: /usr/bin/deploy");
  EXPECT_EQ(rows[1].method, "keyboard-interactive");
  EXPECT_EQ(rows[1].caveat, "");
  EXPECT_EQ(rows[2].caveat, "refused: listed in DenyUsers (ops)");
  EXPECT_EQ(rows[3].caveat, "conditional: from=\"10.0.0.0/8\": only from matching clients");
  EXPECT_EQ(rows[4].user, "root");
  EXPECT_EQ(rows[4].method, "password");
  EXPECT_EQ(rows[4].caveat,
            "refused: PermitRootLogin prohibit-password refuses password for uid 0");
}

TEST(LoginTable, MalformedFactsGiveUnknownNotACrash) {
  RootReport root;
  root.facts = {{Kind(probes::kAuthorizedKeyRecord), "x", json::array({1, 2})},
                {Kind(probes::kAuthorizedKeyRecord), "y", {{"user", 7}, {"bits", "many"}}},
                {Kind(probes::kUserRecord), "z", "not an object"}};
  std::vector<LoginRow> rows = LoginRows(root, probes::AllRecordKinds());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].sudo, "unknown");
}

// --- SARIF -------------------------------------------------------------------------------------

TEST(Sarif, RulesResultsFingerprintsAndSuppressions) {
  json log = json::parse(Sarif(FormatsSample()));
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& run = log["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  // The registry's rules, then the one a finding names that the registry does not know.
  ASSERT_EQ(rules.size(), std::size(kRules) + 1);
  EXPECT_EQ(rules[0]["help"]["text"], "Rebuild the image on a supported release.");
  EXPECT_EQ(rules[0]["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(rules[0]["properties"]["security-severity"], "8.0");
  EXPECT_EQ(rules[4]["id"], "secrets.unknown_rule");
  size_t suppressed = 0;
  for (const json& result : run["results"]) {
    EXPECT_EQ(rules[result["ruleIndex"].get<size_t>()]["id"], result["ruleId"]);
    EXPECT_FALSE(
        result["partialFingerprints"]["imageprobe/identity/v1"].get<std::string>().empty());
    if (result.contains("suppressions")) {
      ++suppressed;
      EXPECT_EQ(result["ruleId"], "cloud_init.leftover");
      EXPECT_EQ(result["suppressions"][0]["kind"], "external");
      EXPECT_EQ(result["suppressions"][0]["justification"], "accepted until the next base image");
    }
    if (result["ruleId"] == "secrets.unknown_rule") {
      const json& loc = result["locations"][0]["physicalLocation"];
      EXPECT_EQ(loc["artifactLocation"]["uri"], "home/deploy/my%20notes/100%25.txt");
      EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "ROOT0");
      EXPECT_EQ(loc["region"]["startLine"], 7);
      // Literal brackets are escaped so they are not read as embedded links.
      EXPECT_NE(result["message"]["text"].get<std::string>().find("\\[link\\]"), std::string::npos);
    }
  }
  EXPECT_EQ(suppressed, 1u);
  EXPECT_EQ(run["properties"]["profile"], "release");
  // Each error is a notification.
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"].size(), 3u);
}

TEST(Sarif, OneRunPerReport) {
  std::vector<Report> reports = {FormatsSample(), FormatsNext()};
  std::ostringstream out;
  RenderSarif(reports, kRules, out);
  json log = json::parse(out.str());
  ASSERT_EQ(log["runs"].size(), 2u);
  EXPECT_EQ(log["runs"][1]["properties"]["input"]["path"], "/images/web-v3.qcow2");
}

TEST(Sarif, GuestPathUriEncodesWhatIsNotUnreserved) {
  EXPECT_EQ(GuestPathUri("/etc/ssh/sshd_config"), "etc/ssh/sshd_config");
  EXPECT_EQ(GuestPathUri("/a b/ü#?"), "a%20b/%C3%BC%23%3F");
  EXPECT_EQ(GuestPathUri("/"), "");
}

// --- Markdown ----------------------------------------------------------------------------------

TEST(Markdown, SuppressedFindingsAreApartAndNotCounted) {
  std::string md = Markdown(FormatsSample());
  // 5 findings, one suppressed: 4 counted.
  EXPECT_NE(md.find("**4 findings**"), std::string::npos) << md;
  EXPECT_NE(md.find("1 suppressed, not counted"), std::string::npos);
  size_t details = md.find("<summary>Suppressed findings (1, not counted)</summary>");
  ASSERT_NE(details, std::string::npos);
  EXPECT_GT(md.find("cloud-init instance data present", details), details);
  EXPECT_EQ(md.find("cloud-init instance data present"),
            md.find("cloud-init instance data present", details));
  EXPECT_NE(md.find("accepted until the next base image (expires 2027-01-31)"), std::string::npos);
}

TEST(Markdown, CutToFitWithBalancedDetails) {
  Report big = FormatsSample();
  for (int i = 0; i < 3000; ++i) {
    big.roots[0].findings.push_back({.rule_id = "ssm.registration.present",
                                     .severity = i % 2 ? Severity::kInfo : Severity::kMedium,
                                     .title = "finding number " + std::to_string(i),
                                     .path = "/var/lib/x" + std::to_string(i),
                                     .evidence = std::string(40, 'e'),
                                     .identity = "x|" + std::to_string(i)});
  }
  std::string md = Markdown(big);
  EXPECT_LE(md.size(), kMarkdownCommentLimit);
  EXPECT_GT(md.size(), kMarkdownCommentLimit - 2000);
  EXPECT_NE(md.find("**Truncated:**"), std::string::npos);
  size_t opened = 0, closed = 0;
  for (size_t p = 0; (p = md.find("<details>", p)) != std::string::npos; ++p) ++opened;
  for (size_t p = 0; (p = md.find("</details>", p)) != std::string::npos; ++p) ++closed;
  EXPECT_EQ(opened, closed);
  // A small report is not cut.
  EXPECT_EQ(Markdown(FormatsSample()).find("Truncated"), std::string::npos);
}

TEST(Markdown, DiffShowsFieldsTheModelDoesNotKnowYet) {
  json d = DiffJson(FormatsDiff());
  ASSERT_FALSE(d["facts"].empty());
  d["facts"][0]["unified_diff"] =
      "--- a/etc/ssh/sshd_config\n+++ b/etc/ssh/sshd_config\n"
      "-PermitRootLogin no\n+PermitRootLogin yes </pre><script>";
  d["packages"] = {{"added", {"nmap"}}};
  std::ostringstream md;
  RenderDiffMarkdownJson(d, md);
  EXPECT_NE(md.str().find("<pre>--- a/etc/ssh/sshd_config\n"), std::string::npos) << md.str();
  EXPECT_NE(md.str().find("+PermitRootLogin yes &lt;/pre&gt;&lt;script&gt;</pre>"),
            std::string::npos);
  EXPECT_NE(md.str().find("<summary>packages</summary>"), std::string::npos);
  std::ostringstream html;
  RenderDiffHtmlJson(d, html);
  EXPECT_EQ(html.str().find("unified\\_diff"), std::string::npos);  // not Markdown-escaped
  EXPECT_NE(html.str().find("<span class=\"mono\">unified_diff</span>:<pre>--- a/etc/ssh"),
            std::string::npos);
  EXPECT_NE(html.str().find("&quot;nmap&quot;"), std::string::npos);
  EXPECT_EQ(html.str().find("<script>"), std::string::npos);
}

TEST(Markdown, DiffHeadlineComesFirst) {
  std::ostringstream out;
  RenderDiffMarkdown(FormatsDiff(), out);
  std::string md = out.str();
  size_t regression = md.find("**REGRESSION:**");
  ASSERT_NE(regression, std::string::npos) << md;
  EXPECT_LT(regression, md.find("Old: "));
  EXPECT_LT(regression, md.find("### "));
}

// --- HTML --------------------------------------------------------------------------------------

TEST(Html, SelfContainedAndEscaped) {
  std::string html = Html(FormatsSample());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("src=\""), std::string::npos);  // (an escaped image string has no quotes)
  EXPECT_EQ(html.find("href=\""), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=https://evil.example/x.png&gt;"), std::string::npos);
  // Counted: 4 (one suppressed); the suppressed one sits in its own <details>.
  EXPECT_NE(html.find("<h3>Findings (4)</h3>"), std::string::npos);
  size_t details = html.find("Suppressed findings (1, not counted)");
  ASSERT_NE(details, std::string::npos);
  EXPECT_EQ(html.find("cloud-init instance data present"),
            html.find("cloud-init instance data present", details));
  EXPECT_NE(html.find("Who can log in"), std::string::npos);
  EXPECT_NE(html.find("<td>ALL (NOPASSWD)</td>"), std::string::npos);
  EXPECT_NE(html.find("Partial report:"), std::string::npos);
}

// --- rules catalogue ---------------------------------------------------------------------------

TEST(RulesCatalogue, MarkdownListsEveryRuleWithAnchors) {
  RuleGroup groups[] = {{"probe", "os", "OS identity", std::span<const RuleInfo>(kRules, 1)},
                        {"probe", "rest", "the others", std::span<const RuleInfo>(kRules + 1, 3)},
                        {"probe", "inventory", "facts only", {}}};
  std::ostringstream out;
  RenderRulesMarkdown(groups, out);
  std::string md = out.str();
  EXPECT_NE(md.find("4 rules: 0 critical, 2 high, 1 medium, 0 low, 1 info."), std::string::npos)
      << md;
  EXPECT_NE(md.find("| [ssh.authorized\\_keys.group\\_writable](#sshauthorized_keysgroup_writable) "
                    "| high | authorized\\_keys is group-writable |"),
            std::string::npos);
  EXPECT_NE(md.find("### ssh.authorized\\_keys.group\\_writable"), std::string::npos);
  EXPECT_NE(md.find("**Why it matters:** Another user could add a key."), std::string::npos);
  EXPECT_NE(md.find("No rules: this probe records inventory only."), std::string::npos);
  EXPECT_EQ(AllRules(groups).size(), 4u);
}

TEST(RulesCatalogue, ProbeTableShowsTheMostSevereRulesFirstAndLinksTheRest) {
  constexpr RuleInfo kMixed[] = {{"a.info", Severity::kInfo, "", "", ""},
                                 {"a.critical", Severity::kCritical, "", "", ""},
                                 {"a.medium", Severity::kMedium, "", "", ""}};
  RuleGroup groups[] = {{"probe", "mixed", "Reads *this*", kMixed},
                        {"probe", "aws.four", "four rules", kRules},
                        {"probe", "files.config", "facts only", {}},
                        {"gate", "expect", "not a probe", std::span<const RuleInfo>(kRules, 1)}};
  std::ostringstream out;
  RenderProbeTableMarkdown(groups, out);
  EXPECT_EQ(
      out.str(),
      "| probe | what it reads | most severe rules |\n|---|---|---|\n"
      "| `mixed` | Reads \\*this\\* | `a.critical`, `a.medium`, `a.info` |\n"
      "| `aws.four` | four rules | `os.end_of_life`, `ssh.authorized_keys.group_writable`, "
      "`ssm.registration.present`, [1 more](docs/rules.md#probe-awsfour) |\n"
      "| `files.config` | facts only | none: [inventory only](docs/rules.md#probe-filesconfig) "
      "|\n");
}

}  // namespace
}  // namespace imageprobe::report
