// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "scanner/report/json_model.h"
#include "scanner/report/json_renderer.h"
#include "scanner/report/text_renderer.h"
#include "tests/report/golden.h"
#include "tests/report/sample_report.h"

namespace imageprobe::report {
namespace {

using nlohmann::json;

// Compares `actual` with tests/golden/<name>; with IMAGEPROBE_UPDATE_GOLDEN=1 (what
// tools/update-golden sets) rewrites the file instead.
using testing::ExpectGolden;

std::string Json(const Report& r) {
  std::ostringstream out;
  RenderJson(r, out);
  return out.str();
}

std::string Text(const Report& r, bool color = false) {
  std::ostringstream out;
  RenderText(r, out, {.color = color});
  return out.str();
}

TEST(Golden, Json) { ExpectGolden("sample_report.json", Json(testing::SampleReport())); }
TEST(Golden, Text) { ExpectGolden("sample_report.txt", Text(testing::SampleReport())); }

TEST(JsonRenderer, FollowsTheV1Model) {
  json j = json::parse(Json(testing::SampleReport()));
  EXPECT_EQ(j["schema"], "imageprobe/report/v1");
  EXPECT_EQ(j["tool_version"], "0.1.0");
  EXPECT_EQ(j["input"]["size"], 1288490188);
  EXPECT_EQ(j["input"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(j["timings"][1]["stage"], "launch");
  ASSERT_EQ(j["roots"].size(), 2u);
  const json& web = j["roots"][0];
  EXPECT_EQ(web["os"]["id"], "ubuntu");
  EXPECT_EQ(web["probes"][2]["status"], "not_applicable");
  EXPECT_EQ(web["probes"][3]["status"], "failed");
  // Canonical order: findings by rule id, whatever order the probes raised them in.
  EXPECT_EQ(web["findings"][0]["rule_id"], "cloud_init.leftover");
  EXPECT_EQ(web["findings"][1]["rule_id"], "os.end_of_life");
  EXPECT_EQ(web["findings"][1]["severity"], "high");
  EXPECT_FALSE(web["findings"][1].contains("line"));  // optional fields omitted when unset
  EXPECT_FALSE(web["findings"][1].contains("user"));
  EXPECT_EQ(web["findings"][2]["line"], 3);
  EXPECT_EQ(web["findings"][2]["user"], "deploy");
  EXPECT_EQ(j["summary"]["counts"]["critical"], 1);
  EXPECT_EQ(j["summary"]["counts"]["low"], 0);
  EXPECT_EQ(j["summary"]["total"], 4);
  EXPECT_EQ(j["summary"]["max_severity"], "critical");
  EXPECT_TRUE(j["partial"]);
  EXPECT_EQ(j["roots"][1]["os"]["detected"], false);
}

TEST(JsonRenderer, InvalidUtf8IsReplacedNotFatal) {
  std::string text = Json(testing::SampleReport());
  EXPECT_NE(text.find("\\u001b[2J"), std::string::npos);    // ESC escaped by JSON itself
  EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD for \xff
}

TEST(JsonRenderer, EmptyReportHasNullMaxSeverity) {
  Report r;
  r.input.path = "/x";
  json j = json::parse(Json(r));
  EXPECT_TRUE(j["summary"]["max_severity"].is_null());
  EXPECT_EQ(j["summary"]["total"], 0);
  EXPECT_FALSE(j["input"].contains("sha256"));
}

TEST(JsonRenderer, SeveralReportsMakeAnArray) {
  std::vector<Report> reports = {testing::SampleReport(), testing::SampleReport()};
  reports[1].input.path = "/images/web-v3.qcow2";
  std::ostringstream out;
  RenderJsonArray(reports, out);
  json j = json::parse(out.str());
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j[1]["input"]["path"], "/images/web-v3.qcow2");
}

TEST(JsonModel, RoundTripIsLossless) {
  Report original = testing::SampleReport();
  // Invalid UTF-8 cannot survive JSON; everything else must.
  original.roots[0].findings[1].evidence = "mode 0664 \x1b[2J";
  auto parsed = ParseReportJson(Json(original));
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(Json(*parsed), Json(original));
  EXPECT_EQ(parsed->roots[0].findings.size(), 4u);
  EXPECT_EQ(parsed->roots[0].os.hostname, "web-01");
  EXPECT_EQ(parsed->input.sha256, original.input.sha256);
  EXPECT_EQ(parsed->timings[1].seconds, 12.25);
  EXPECT_EQ(parsed->MaxSeverity(), Severity::kCritical);
}

TEST(JsonModel, RejectsOtherDocuments) {
  EXPECT_FALSE(ParseReportJson("not json"));
  EXPECT_FALSE(ParseReportJson("{}"));
  auto wrong = ParseReportJson(R"({"schema": "imageprobe/report/v9", "input": {"path": "x"}})");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().find("imageprobe/report/v9"), std::string::npos);
  json j = json::parse(Json(testing::SampleReport()));
  j["roots"][0]["findings"][0]["severity"] = "catastrophic";
  EXPECT_FALSE(ParseReportJson(j.dump()));
  j = json::parse(Json(testing::SampleReport()));
  j["roots"][0]["probes"][0]["status"] = 3;
  EXPECT_FALSE(ParseReportJson(j.dump()));
}

// A count or line that is not a whole number in range is refused in words, never cast: a float
// beyond the integer's range (1.28849e+95, found by saved_report_fuzz) was undefined behaviour.
TEST(JsonModel, RefusesCountsAndLinesThatAreNotWholeNumbersInRange) {
  std::string sample = Json(testing::SampleReport());
  for (const char* size : {"1.28849e+95", "-1", "2.5", "\"12\"", "18446744073709551616"}) {
    json j = json::parse(sample);
    j["input"]["size"] = json::parse(size);
    auto parsed = ParseReportJson(j.dump());
    ASSERT_FALSE(parsed) << size;
    EXPECT_EQ(parsed.error(),
              "not an imageprobe report: size is not a whole number from 0 to "
              "18446744073709551615")
        << size;
  }
  json j = json::parse(sample);
  j["roots"][0]["findings"][0]["line"] = 4294967296;  // one past uint32
  auto parsed = ParseReportJson(j.dump());
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(),
            "not an imageprobe report: line is not a whole number from 0 to 4294967295");
  j["roots"][0]["findings"][0]["line"] = 4294967295;
  EXPECT_TRUE(ParseReportJson(j.dump()));
}

TEST(TextRenderer, ImageStringsCannotEmitEscapes) {
  std::string text = Text(testing::SampleReport());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_NE(text.find("\\x1B[2J\\x1B]0;pwned\\x07"), std::string::npos);
  EXPECT_NE(text.find("\\xFF\\xFE"), std::string::npos);
}

TEST(TextRenderer, ColourOnlyWhenAskedAndStillEscaped) {
  std::string colored = Text(testing::SampleReport(), true);
  EXPECT_NE(colored.find("\x1b[1;31mCRITICAL (1)\x1b[0m"), std::string::npos);
  EXPECT_EQ(colored.find("\x1b[2J"), std::string::npos);  // the image's escape stays inert
  EXPECT_NE(colored.find("\\x1B[2J"), std::string::npos);
}

TEST(TextRenderer, GroupsBySeverityMostSevereFirst) {
  std::string text = Text(testing::SampleReport());
  size_t critical = text.find("CRITICAL (1)"), high = text.find("HIGH (1)"),
         medium = text.find("MEDIUM (1)"), info = text.find("INFO (1)");
  ASSERT_NE(critical, std::string::npos);
  EXPECT_LT(critical, high);
  EXPECT_LT(high, medium);
  EXPECT_LT(medium, info);
  EXPECT_EQ(text.find("LOW ("), std::string::npos);  // empty groups are left out
}

TEST(TextRenderer, CleanReportSaysSo) {
  Report r;
  r.tool_version = "0.1.0";
  r.input = {"/srv/root", "directory", "", 0, std::nullopt};
  r.backend = "directory";
  RootReport root;
  root.root = {"/", "directory /srv/root"};
  root.os = {.detected = true, .id = "debian", .version_id = "12", .pretty_name = "Debian 12"};
  r.roots.push_back(root);
  std::string text = Text(r);
  EXPECT_NE(text.find("no findings"), std::string::npos);
  EXPECT_EQ(text.find("WARNING"), std::string::npos);
  EXPECT_EQ(text.find("size:"), std::string::npos);
  EXPECT_NE(text.find("summary: 0 findings"), std::string::npos);
}

TEST(TextRenderer, SuppressedFindingsGetAShortSectionOfTheirOwn) {
  Report r = testing::SampleReport();
  r.profile = "release";
  for (Finding& f : r.roots[0].findings) {
    if (f.severity == Severity::kCritical) {
      f.suppressed = Suppression{"ignore_file", "rotated \x1b[2J in CHG-7", "2026-12-31"};
    }
    if (f.severity == Severity::kHigh) f.default_severity = Severity::kMedium;
  }
  std::string text = Text(r);
  EXPECT_EQ(text.find("CRITICAL ("), std::string::npos);  // not in the main list
  size_t section = text.find("suppressed (1)");
  ASSERT_NE(section, std::string::npos) << text;
  EXPECT_NE(text.find("ignore_file: rotated \\x1B[2J in CHG-7 (until 2026-12-31)", section),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("profile:  release"), std::string::npos);
  EXPECT_NE(text.find("severity:    high under this profile (rule default medium)"),
            std::string::npos);
  EXPECT_NE(text.find(", 1 suppressed"), std::string::npos);
  EXPECT_EQ(text.find("max severity critical"), std::string::npos);
}

TEST(HumanSize, Units) {
  EXPECT_EQ(HumanSize(0), "0 B");
  EXPECT_EQ(HumanSize(1023), "1023 B");
  EXPECT_EQ(HumanSize(1536), "1.5 KiB");
  EXPECT_EQ(HumanSize(1288490188), "1.2 GiB");
}

}  // namespace
}  // namespace imageprobe::report

namespace imageprobe::report {
namespace {

// Saved reports are input too (diff reads them): truncated and mutated documents must be
// refused with an error, never crash.
TEST(JsonModel, SurvivesTruncatedAndMutatedReports) {
  std::ostringstream out;
  RenderJson(testing::SampleReport(), out);
  const std::string full = out.str();
  // Every proper prefix of the document (its trailing newline aside) is incomplete JSON.
  const size_t complete = full.find_last_not_of('\n') + 1;
  for (size_t cut = 0; cut < complete; cut += 97) {
    EXPECT_FALSE(ParseReportJson(full.substr(0, cut))) << cut;
  }
  uint32_t state = 777;
  for (int round = 0; round < 500; ++round) {
    std::string doc = full;
    for (int m = 0; m < 4; ++m) {
      state = state * 1103515245u + 12345u;
      doc[(state >> 8) % doc.size()] = static_cast<char>((state >> 3) & 0x7F);
    }
    auto parsed = ParseReportJson(doc);
    if (parsed) {
      std::ostringstream again;
      RenderJson(*parsed, again);  // whatever parsed must render
    }
  }
}

}  // namespace
}  // namespace imageprobe::report
