// SPDX-License-Identifier: Apache-2.0
// The diff renderers (text and JSON): golden files under tests/golden/ (refresh with
// tools/update-golden) built from a real DiffReports run over two variants of the sample
// report, plus the properties a golden file cannot state on its own.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "probes/all_probes.h"
#include "probes/files/config_files_records.h"
#include "probes/os/os_records.h"
#include "probes/ssh/authorized_keys_records.h"
#include "probes/sshd/sshd_records.h"
#include "scanner/core/diff.h"
#include "scanner/report/diff_html.h"
#include "scanner/report/diff_json.h"
#include "scanner/report/diff_markdown.h"
#include "scanner/report/diff_text.h"
#include "tests/report/golden.h"
#include "tests/report/sample_report.h"

namespace imageprobe::report {
namespace {

using nlohmann::json;

using testing::ExpectGolden;

std::string Kind(const RecordKind& kind) { return std::string(kind.name); }

// The sample report, one release later: deploy lost its only key, a user with an escape in
// its name gained one, deploy's shell changed, root login was switched on, the EOL finding is
// resolved, the SSM registration finding was raised, a critical finding is new, and the
// second root gained a fact.
Report NextVersion() {
  Report r = testing::SampleReport();
  r.input.path = "/images/web-v3.qcow2";
  RootReport& web = r.roots[0];
  std::erase_if(web.facts, [](const Fact& f) { return f.key == "deploy|SHA256:abc"; });
  web.facts.push_back({Kind(probes::kAuthorizedKeyRecord),
                       "ops\x1b[2J|SHA256:xyz",
                       {{"user", "ops\x1b[2J"}, {"type", "ssh-ed25519"}}});
  for (Fact& f : web.facts) {
    if (f.kind == "user/account") f.data["shell"] = "/bin/sh\x07";
  }
  web.facts.push_back({Kind(probes::kSshdSettingRecord), "permitrootlogin", {{"value", "yes"}}});
  std::erase_if(web.findings, [](const Finding& f) { return f.rule_id == "os.end_of_life"; });
  for (Finding& f : web.findings) {
    if (f.rule_id == "ssm.registration.present") f.severity = Severity::kHigh;
  }
  web.findings.push_back({.rule_id = "sshd.permit_root_login",
                          .severity = Severity::kCritical,
                          .title = "root may log in with a password",
                          .path = "/etc/ssh/sshd_config",
                          .line = 12,
                          .evidence = "PermitRootLogin yes \x1b]0;x\x07",
                          .identity = "sshd.permit_root_login|/etc/ssh/sshd_config||"});
  r.roots[1].facts.push_back({Kind(probes::kOsReleaseRecord), "release", {{"id", "unknown"}}});
  return r;
}

// sshd_config as the config-file inventory shows it: mode and one line changed between the
// versions, with an escape sequence in the new text that must not reach a terminal.
Fact SshdConfigFile(std::string_view mode, std::string_view root_login) {
  std::string text = "Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n" +
                     std::string(root_login) + "\nX11Forwarding no\n";
  return {Kind(probes::kConfigFileRecord),
          "/etc/ssh/sshd_config",
          {{"path", "/etc/ssh/sshd_config"}, {"mode", mode}, {"content", "text"}, {"text", text}}};
}

DiffReport SampleDiff() {
  Report old_report = testing::SampleReport();
  old_report.roots[0].facts.push_back(SshdConfigFile("0644", "PermitRootLogin no"));
  Report new_report = NextVersion();
  new_report.roots[0].facts.push_back(SshdConfigFile("0755", "PermitRootLogin yes \x1b]0;x\x07"));
  return DiffReports(old_report, new_report, probes::AllRecordKinds());
}

std::string Text(const DiffReport& d, bool color = false) {
  std::ostringstream out;
  RenderDiffText(d, out, {.color = color});
  return out.str();
}

std::string Json(const DiffReport& d) {
  std::ostringstream out;
  RenderDiffJson(d, out);
  return out.str();
}

TEST(Golden, DiffText) { ExpectGolden("sample_diff.txt", Text(SampleDiff())); }
TEST(Golden, DiffJson) { ExpectGolden("sample_diff.json", Json(SampleDiff())); }

TEST(DiffJsonRenderer, FollowsTheDiffV1Model) {
  json j = json::parse(Json(SampleDiff()));
  EXPECT_EQ(j["schema"], "imageprobe/diff/v1");
  EXPECT_EQ(j["old"]["path"], "/images/web-v2.qcow2");
  EXPECT_EQ(j["new"]["path"], "/images/web-v3.qcow2");
  EXPECT_TRUE(j["regression"]);
  ASSERT_FALSE(j["headlines"].empty());
  EXPECT_TRUE(j["headlines"][0]["regression"]);
  EXPECT_EQ(j["headlines"][0]["text"], "authorized_keys removed for 1 user: deploy");
  bool saw_removed_key = false, saw_changed_shell = false;
  for (const json& f : j["facts"]) {
    if (f["change"] == "removed" && f["kind"] == Kind(probes::kAuthorizedKeyRecord)) {
      saw_removed_key = true;
      EXPECT_TRUE(f["new"].is_null());
      EXPECT_EQ(f["old"]["user"], "deploy");
    }
    if (f["change"] == "changed" && f["kind"] == "user/account") {
      saw_changed_shell = true;
      EXPECT_EQ(f["changed_fields"], json::array({"shell"}));
      EXPECT_EQ(f["root"], "/dev/sda1");
    }
  }
  EXPECT_TRUE(saw_removed_key);
  EXPECT_TRUE(saw_changed_shell);
  for (const json& f : j["findings"]) {
    if (f["change"] == "added") {
      EXPECT_FALSE(f.contains("old"));
    }
    if (f["change"] == "removed") {
      EXPECT_FALSE(f.contains("new"));
    }
    if (f["change"] == "changed") {
      EXPECT_EQ(f["old"]["severity"], "medium");
      EXPECT_EQ(f["new"]["severity"], "high");
    }
  }
  EXPECT_EQ(j["summary"]["findings"]["added"], 1);
  EXPECT_EQ(j["summary"]["findings"]["removed"], 1);
  EXPECT_EQ(j["summary"]["findings"]["changed"], 1);
  EXPECT_EQ(j["summary"]["facts"]["removed"], 1);
  EXPECT_EQ(j["summary"]["regressions"], 1);
}

TEST(DiffTextRenderer, RegressionHeadlineComesFirstAndIsMarked) {
  std::string text = Text(SampleDiff());
  size_t regression = text.find("! REGRESSION: authorized_keys removed for 1 user: deploy");
  ASSERT_NE(regression, std::string::npos) << text;
  EXPECT_LT(regression, text.find("ssh/authorized_key:"));
  EXPECT_LT(text.find("\nssh/authorized_key:"), text.find("\nfindings:"));
  EXPECT_NE(text.find("+ new [critical] root may log in with a password"), std::string::npos);
  EXPECT_NE(text.find("- resolved [high]"), std::string::npos);
  EXPECT_NE(text.find("~ raised [medium -> high]"), std::string::npos);
  EXPECT_NE(text.find("shell: /bin/bash -> /bin/sh\\x07"), std::string::npos);
  // Changes in two roots: each line says which.
  EXPECT_NE(text.find("(root /dev/sdb1)"), std::string::npos);
}

TEST(DiffTextRenderer, ImageStringsCannotEmitEscapes) {
  std::string text = Text(SampleDiff());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_NE(text.find("ops\\x1B[2J"), std::string::npos);
  std::string colored = Text(SampleDiff(), true);
  EXPECT_NE(colored.find("\x1b[1;31m! REGRESSION"), std::string::npos);
  EXPECT_EQ(colored.find("\x1b[2J"), std::string::npos);
  EXPECT_EQ(colored.find('\x07'), std::string::npos);
}

TEST(DiffTextRenderer, ConfigFileChangeShowsModeAndAUnifiedDiffNotTwoTexts) {
  std::string text = Text(SampleDiff());
  EXPECT_NE(text.find("  ~ /etc/ssh/sshd_config  (root /dev/sda1)\n      mode: 0644 -> 0755\n"
                      "        @@ -1,4 +1,4 @@\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("\n        -PermitRootLogin no\n        +PermitRootLogin yes \\x1B]0;x\\x07\n"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("text: "), std::string::npos);
  std::string colored = Text(SampleDiff(), true);
  EXPECT_NE(colored.find("\x1b[32m        +PermitRootLogin yes"), std::string::npos);
  json j = json::parse(Json(SampleDiff()));
  bool saw = false;
  for (const json& f : j["facts"]) {
    if (f["kind"] != Kind(probes::kConfigFileRecord)) continue;
    saw = true;
    EXPECT_EQ(f["changed_fields"], json::array({"mode", "text"}));
    EXPECT_EQ(f["text_diff"][0], "@@ -1,4 +1,4 @@");
    EXPECT_EQ(f["text_diff"].size(), 6u);
    EXPECT_FALSE(f.contains("moved_to"));
  }
  EXPECT_TRUE(saw);
}

// Fact values come from the image: bytes that are not UTF-8 (a Latin-1 banner, binary junk in a
// config) must survive the diff and every format, not throw from a JSON dump.
TEST(DiffRenderers, InvalidUtf8InChangedFactsRendersInEveryFormat) {
  const std::string junk = "caf\xe9 \xff\xfe";
  Report old_report = testing::SampleReport();
  old_report.roots[0].facts.push_back(
      {Kind(probes::kSshdSettingRecord), "allowusers", {{"value", "/etc/issue"}}});
  old_report.roots[0].facts.push_back(
      {Kind(probes::kSshdSettingRecord), "denyusers", {{"values", {"ops"}}}});
  Report new_report = testing::SampleReport();
  new_report.roots[0].facts.push_back(
      {Kind(probes::kSshdSettingRecord), "allowusers", {{"value", {{"path", junk}}}}});
  new_report.roots[0].facts.push_back(
      {Kind(probes::kSshdSettingRecord), "denyusers", {{"values", {junk, {{"odd", junk}}}}}});
  DiffReport d;
  ASSERT_NO_THROW(d = DiffReports(old_report, new_report, probes::AllRecordKinds()));
  ASSERT_FALSE(d.Empty());
  std::ostringstream text, json_out, markdown, html;
  ASSERT_NO_THROW(RenderDiffText(d, text, {}));
  ASSERT_NO_THROW(RenderDiffJson(d, json_out));
  ASSERT_NO_THROW(RenderDiffMarkdown(d, markdown));
  ASSERT_NO_THROW(RenderDiffHtml(d, html));
  EXPECT_NE(text.str().find("caf"), std::string::npos);
  EXPECT_NE(json_out.str().find("caf\xef\xbf\xbd"), std::string::npos);  // U+FFFD
  json parsed;
  ASSERT_NO_THROW(parsed = json::parse(json_out.str()));
  EXPECT_TRUE(parsed.is_object());
}

TEST(DiffTextRenderer, SameReportSaysNoChanges) {
  DiffReport d =
      DiffReports(testing::SampleReport(), testing::SampleReport(), probes::AllRecordKinds());
  std::string text = Text(d);
  EXPECT_NE(text.find("\nno changes\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("REGRESSION"), std::string::npos);
  json j = json::parse(Json(d));
  EXPECT_FALSE(j["regression"]);
  EXPECT_TRUE(j["facts"].empty());
  EXPECT_TRUE(j["findings"].empty());
}

}  // namespace
}  // namespace imageprobe::report
