// SPDX-License-Identifier: Apache-2.0
// The CLI driven in-process with a fake image opener (MemoryFs roots), so exit codes, output
// routing and error lines are tested without an image backend. tests/e2e/ runs the real binary.
#include "scanner/cli/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "probes/all_probes.h"
#include "probes/ssh/authorized_keys_records.h"
#include "scanner/cli/version_command.h"
#include "scanner/gate/expectations.h"
#include "scanner/gate/suppressions.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::cli {
namespace {

namespace fs = std::filesystem;

class FakeImage final : public Image {
 public:
  explicit FakeImage(std::string path, std::string os_release)
      : os_release_(std::move(os_release)) {
    info_ = {std::move(path), "directory", "", 0, "directory"};
    roots_ = {{"/", "fake root"}};
  }
  const ImageInfo& info() const override { return info_; }
  const std::vector<RootInfo>& roots() const override { return roots_; }
  const std::vector<Diagnostic>& diagnostics() const override { return diagnostics_; }
  const std::vector<StageTiming>& timings() const override { return timings_; }
  std::expected<MountedRoot, std::string> Mount(size_t, std::span<const std::string>) override {
    auto fs = std::make_unique<testing::MemoryFs>();
    fs->File("/etc/os-release", os_release_);
    return MountedRoot{std::move(fs), {}};
  }

 private:
  std::string os_release_;
  ImageInfo info_;
  std::vector<RootInfo> roots_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<StageTiming> timings_;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("imageprobe-cli-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    old_ = Touch("old.img");
    new_ = Touch("new.img");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Touch(const std::string& name, const std::string& content = "not empty") {
    std::ofstream(dir_ / name) << content;
    return (dir_ / name).string();
  }

  // Runs `imageprobe args...`; "old.img" holds Ubuntu 14.04 (EOL), anything else 24.04.
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    std::vector<const char*> argv = {"imageprobe"};
    for (const auto& a : args) argv.push_back(a.c_str());
    CliEnvironment env{
        .open_image = [this](const std::string& path,
                             const images::OpenOptions& options) -> std::unique_ptr<Image> {
          {
            std::unique_lock lock(opened_mutex_);  // diff opens its two sides concurrently
            opened_.push_back(path);
            if (rendezvous_) {
              // Each open waits (bounded) for the other side: both only get through at once
              // when the two opens overlap in time.
              ++opening_;
              opened_cv_.notify_all();
              if (opened_cv_.wait_for(lock, std::chrono::seconds(10),
                                      [this] { return opening_ >= 2; })) {
                ++overlapped_;
              }
            }
          }
          if (options.progress) options.progress("opening " + path);
          if (path.ends_with("broken.img"))
            throw ImageError("unrecognised content: starts with 00 00");
          bool eol = path.ends_with("old.img");
          return std::make_unique<FakeImage>(
              path, eol ? "ID=ubuntu\nNAME=Ubuntu\nVERSION_ID=\"14.04\"\n"
                        : "ID=ubuntu\nNAME=Ubuntu\nVERSION_ID=\"24.04\"\n");
        },
        .probes = probes::AllProbes(),
        .out = out_,
        .err = err_,
        .stdout_is_terminal = stdout_tty_,
        .stderr_is_terminal = stderr_tty_,
        .no_color = no_color_,
    };
    if (today_) env.today = [this] { return *today_; };
    return RunCli(static_cast<int>(argv.size()), argv.data(), env);
  }

  size_t ErrLines() const {
    std::string e = err_.str();
    return static_cast<size_t>(std::count(e.begin(), e.end(), '\n'));
  }

  fs::path dir_;
  std::string old_, new_;
  std::ostringstream out_, err_;
  std::mutex opened_mutex_;
  std::condition_variable opened_cv_;
  std::vector<std::string> opened_;
  bool rendezvous_ = false;
  int opening_ = 0, overlapped_ = 0;
  bool stdout_tty_ = false, stderr_tty_ = false, no_color_ = false;
  // Pinned, so that "24.04 is supported" stays true after 2029: the scan judges end of life
  // as of env.today when no --as-of is given.
  std::optional<std::chrono::year_month_day> today_ = std::chrono::year{2026} / 12 / 1;
};

TEST_F(CliTest, Version) {
  EXPECT_EQ(Run({"version"}), kExitOk);
  EXPECT_EQ(out_.str(),
            std::string("imageprobe ") + IMAGEPROBE_VERSION + "\ncommit: " + BuildCommit() + "\n");
}

TEST_F(CliTest, VersionJson) {
  EXPECT_EQ(Run({"version", "--format", "json"}), kExitOk);
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["version"], IMAGEPROBE_VERSION);
  EXPECT_EQ(j["commit"], BuildCommit());
  EXPECT_FALSE(j.contains("engines"));  // no describe_host in this environment
}

TEST_F(CliTest, HelpDocumentsExitCodes) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_NE(out_.str().find("Exit codes:"), std::string::npos);
  EXPECT_NE(out_.str().find("1  gate failed"), std::string::npos);
  EXPECT_EQ(Run({"scan", "--help"}), kExitOk);
  for (const char* flag :
       {"--format", "--output", "--quiet", "--probe", "--fail-on", "--max-file-bytes",
        "--max-total-bytes", "--max-dir-entries", "--max-symlink-hops", "--max-include-depth",
        "--probe-time-budget", "--hash", "Exit codes:"}) {
    EXPECT_NE(out_.str().find(flag), std::string::npos) << flag;
  }
  EXPECT_EQ(out_.str().find("--sha256"), std::string::npos);  // deprecated alias, hidden
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_EQ(Run({"scan"}), kExitUsage);
  EXPECT_EQ(Run({"frobnicate"}), kExitUsage);
  EXPECT_EQ(Run({"scan", old_, "--format", "xml"}), kExitUsage);
  EXPECT_EQ(Run({"scan", old_, "--fail-on", "severe"}), kExitUsage);
  EXPECT_TRUE(opened_.empty());
}

TEST_F(CliTest, UnknownProbeListsValidNames) {
  EXPECT_EQ(Run({"scan", old_, "--probe", "nope"}), kExitUsage);
  EXPECT_NE(err_.str().find("unknown probe \"nope\"; valid probes: os"), std::string::npos)
      << err_.str();
  EXPECT_TRUE(opened_.empty());
  EXPECT_EQ(Run({"scan", old_, "--probe", "os", "-q"}), kExitOk);
}

TEST_F(CliTest, MissingAndEmptyInputsAreOneLineErrors) {
  std::string missing = (dir_ / "missing.img").string();
  EXPECT_EQ(Run({"scan", missing}), kExitUsage);
  EXPECT_EQ(err_.str(), "imageprobe: " + missing + ": no such file or directory\n");
  std::string empty = Touch("empty.img", "");
  EXPECT_EQ(Run({"scan", empty}), kExitUsage);
  EXPECT_EQ(ErrLines(), 1u);
  EXPECT_NE(err_.str().find(empty + ": empty file (0 bytes)"), std::string::npos);
  EXPECT_TRUE(opened_.empty());
}

TEST_F(CliTest, ImageErrorIsOneLineNamingTheInput) {
  std::string broken = Touch("broken.img");
  EXPECT_EQ(Run({"scan", broken}), kExitUsage);
  EXPECT_EQ(err_.str(), "imageprobe: " + broken + ": unrecognised content: starts with 00 00\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, FailOnGate) {
  EXPECT_EQ(Run({"scan", old_, "--fail-on", "high"}), kExitGateFailed);
  EXPECT_EQ(Run({"scan", old_, "--fail-on", "critical"}), kExitOk);
  EXPECT_EQ(Run({"scan", new_, "--fail-on", "info"}), kExitOk);
  EXPECT_EQ(Run({"scan", old_}), kExitOk);  // findings alone never fail without --fail-on
  // An unreadable input outranks the gate.
  EXPECT_EQ(Run({"scan", old_, (dir_ / "missing").string(), "--fail-on", "high"}), kExitUsage);
}

TEST_F(CliTest, JsonOneObjectOrAnArray) {
  EXPECT_EQ(Run({"scan", old_, "--format", "json"}), kExitOk);
  auto one = nlohmann::json::parse(out_.str());
  EXPECT_TRUE(one.is_object());
  EXPECT_EQ(one["schema"], "imageprobe/report/v1");
  EXPECT_EQ(one["tool_version"], IMAGEPROBE_VERSION);
  EXPECT_EQ(one["roots"][0]["os"]["version_id"], "14.04");
  EXPECT_EQ(one["summary"]["max_severity"], "high");

  EXPECT_EQ(Run({"scan", old_, new_, "-f", "json"}), kExitOk);
  auto two = nlohmann::json::parse(out_.str());
  ASSERT_TRUE(two.is_array());
  EXPECT_EQ(two[0]["input"]["path"], old_);
  EXPECT_EQ(two[1]["input"]["path"], new_);
}

TEST_F(CliTest, TextReportsOneAfterAnother) {
  EXPECT_EQ(Run({"scan", old_, new_}), kExitOk);
  std::string text = out_.str();
  size_t first = text.find("imageprobe " IMAGEPROBE_VERSION ": " + old_);
  size_t second = text.find("imageprobe " IMAGEPROBE_VERSION ": " + new_);
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_NE(text.find("os.end_of_life"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);  // not a terminal: no colour
}

TEST_F(CliTest, ColourOnlyOnATerminalWithoutNoColor) {
  stdout_tty_ = true;
  Run({"scan", old_});
  EXPECT_NE(out_.str().find("\x1b["), std::string::npos);
  no_color_ = true;
  Run({"scan", old_});
  EXPECT_EQ(out_.str().find('\x1b'), std::string::npos);
}

TEST_F(CliTest, ProgressOnlyOnATerminalAndNotQuiet) {
  Run({"scan", old_});
  EXPECT_EQ(err_.str(), "");
  stderr_tty_ = true;
  Run({"scan", old_});
  EXPECT_NE(err_.str().find("imageprobe: opening " + old_), std::string::npos);
  EXPECT_NE(err_.str().find("imageprobe: running probes on /"), std::string::npos);
  Run({"scan", old_, "--quiet"});
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, OutputFileAndRefusalToOverwriteAnInput) {
  std::string report = (dir_ / "report.json").string();
  EXPECT_EQ(Run({"scan", old_, "-f", "json", "-o", report}), kExitOk);
  EXPECT_EQ(out_.str(), "");
  std::ifstream in(report);
  EXPECT_EQ(nlohmann::json::parse(in)["input"]["path"], old_);

  std::string before;
  std::getline(std::ifstream(old_), before);
  EXPECT_EQ(Run({"scan", old_, "-o", old_}), kExitUsage);
  EXPECT_NE(err_.str().find("refusing to write the report onto the input"), std::string::npos);
  fs::create_symlink(old_, dir_ / "alias.json");
  EXPECT_EQ(Run({"scan", old_, "-o", (dir_ / "alias.json").string()}), kExitUsage);
  std::string after;
  std::getline(std::ifstream(old_), after);
  EXPECT_EQ(before, after);
  EXPECT_TRUE(opened_.size() == 1u);  // refused before anything was opened

  // A directory input: nothing may be written inside it either.
  fs::create_directories(dir_ / "root" / "etc");
  EXPECT_EQ(
      Run({"scan", (dir_ / "root").string(), "-o", (dir_ / "root" / "etc" / "r.txt").string()}),
      kExitUsage);
  EXPECT_NE(err_.str().find("inside the input directory"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "root" / "etc" / "r.txt"));
}

TEST_F(CliTest, HashRecordsTheSha256OfTheInput) {
  std::string abc = Touch("abc.img", "abc");
  for (const char* flag : {"--hash", "--sha256"}) {  // --sha256: the deprecated alias
    EXPECT_EQ(Run({"scan", abc, flag, "-f", "json"}), kExitOk) << flag;
    EXPECT_EQ(nlohmann::json::parse(out_.str())["input"]["sha256"],
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        << flag;
  }
  EXPECT_EQ(Run({"scan", abc, "-f", "json"}), kExitOk);
  EXPECT_FALSE(nlohmann::json::parse(out_.str())["input"].contains("sha256"));
}

TEST_F(CliTest, LimitsReachTheProbes) {
  // os-release is 40-odd bytes; with a 10-byte budget it cannot be read: os not detected.
  EXPECT_EQ(Run({"scan", old_, "-f", "json", "--max-total-bytes", "10"}), kExitOk);
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_FALSE(j["roots"][0]["os"]["detected"]);
  EXPECT_EQ(Run({"scan", old_, "--max-file-bytes", "lots"}), kExitUsage);
}

TEST_F(CliTest, RulesListEveryRule) {
  EXPECT_EQ(Run({"rules"}), kExitOk);
  EXPECT_NE(out_.str().find("probe os:"), std::string::npos);
  EXPECT_NE(out_.str().find("os.end_of_life  [high]"), std::string::npos);
  EXPECT_EQ(Run({"rules", "--format", "json"}), kExitOk);
  auto j = nlohmann::json::parse(out_.str());
  size_t rules = 0;
  for (const auto& p : j["probes"]) rules += p["rules"].size();
  size_t expected = 0;
  for (const Probe* p : probes::AllProbes()) expected += p->rules().size();
  expected += gate::ExpectationRules().size() + gate::SuppressionRules().size();
  EXPECT_EQ(rules, expected);
  EXPECT_EQ(j["probes"][0]["rules"][0]["id"], "os.end_of_life");
  EXPECT_FALSE(j["probes"][0]["rules"][0]["rationale"].get<std::string>().empty());
}

}  // namespace
}  // namespace imageprobe::cli

namespace imageprobe::cli {
namespace {

// `imageprobe diff`: "old.img" is Ubuntu 14.04 (an end-of-life finding, high), "new.img" 24.04.
class DiffCliTest : public CliTest {
 protected:
  // Scans `image` to a saved JSON report named `name` and returns its path.
  std::string SavedReport(const std::string& image, const std::string& name) {
    std::string path = (dir_ / name).string();
    EXPECT_EQ(Run({"scan", image, "-f", "json", "-o", path}), kExitOk) << err_.str();
    return path;
  }

  std::string WriteJson(const std::string& name, const nlohmann::json& j) {
    return Touch(name, j.dump(2));
  }
};

TEST_F(DiffCliTest, HelpListsTheFlagsAndExitCodes) {
  EXPECT_EQ(Run({"diff", "--help"}), kExitOk);
  for (const char* flag : {"OLD", "NEW", "--format", "--output", "--quiet", "--fail-on-regression",
                           "--fail-on", "Exit codes:", "diff: a regression"}) {
    EXPECT_NE(out_.str().find(flag), std::string::npos) << flag;
  }
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_NE(out_.str().find("diff"), std::string::npos);
}

TEST_F(DiffCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({"diff"}), kExitUsage);
  EXPECT_EQ(Run({"diff", old_}), kExitUsage);
  EXPECT_EQ(Run({"diff", old_, new_, "--format", "xml"}), kExitUsage);
  EXPECT_EQ(Run({"diff", old_, new_, "--fail-on", "severe"}), kExitUsage);
  EXPECT_TRUE(opened_.empty());
}

TEST_F(DiffCliTest, TwoImagesAreBothScanned) {
  EXPECT_EQ(Run({"diff", old_, new_}), kExitOk) << err_.str();
  EXPECT_EQ(opened_.size(), 2u);
  std::string text = out_.str();
  EXPECT_NE(text.find("old: " + old_), std::string::npos) << text;
  EXPECT_NE(text.find("new: " + new_), std::string::npos);
  EXPECT_NE(text.find("- resolved [high]"), std::string::npos) << text;  // the EOL finding
  EXPECT_NE(text.find("version_id: 14.04 -> 24.04"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(err_.str(), "");
}

TEST_F(DiffCliTest, FailOnRegressionGatesOnNewFindings) {
  EXPECT_EQ(Run({"diff", old_, new_, "--fail-on-regression"}), kExitOk);  // only improvements
  EXPECT_EQ(Run({"diff", new_, old_}), kExitOk);  // no gate without the flags
  EXPECT_EQ(Run({"diff", new_, old_, "--fail-on-regression"}), kExitGateFailed);  // new high
  EXPECT_EQ(Run({"diff", new_, old_, "--fail-on-regression", "--fail-on", "critical"}), kExitOk);
  EXPECT_EQ(Run({"diff", new_, old_, "--fail-on", "medium"}), kExitGateFailed);
  EXPECT_EQ(Run({"diff", old_, old_, "--fail-on-regression"}), kExitOk);
  EXPECT_NE(out_.str().find("\nno changes\n"), std::string::npos) << out_.str();
}

TEST_F(DiffCliTest, TwoImagesAreOpenedAtTheSameTime) {
  // A diff of two images costs about one scan only if both sides run concurrently (two
  // appliances side by side); a sequential diff would make each open wait out the other.
  rendezvous_ = true;
  EXPECT_EQ(Run({"diff", old_, new_}), kExitOk) << err_.str();
  EXPECT_EQ(overlapped_, 2);
}

TEST_F(DiffCliTest, SavedReportAgainstSavedReport) {
  std::string old_json = SavedReport(old_, "old.json");
  std::string new_json = SavedReport(new_, "new.json");
  opened_.clear();
  EXPECT_EQ(Run({"diff", old_json, new_json, "-f", "json"}), kExitOk) << err_.str();
  EXPECT_TRUE(opened_.empty());  // reports are read, never opened as images
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["schema"], "imageprobe/diff/v1");
  EXPECT_EQ(j["tool_version"], IMAGEPROBE_VERSION);
  EXPECT_EQ(j["old"]["path"], old_);  // the scanned image, as recorded in the report
  EXPECT_EQ(j["new"]["path"], new_);
  EXPECT_EQ(j["summary"]["findings"]["removed"], 1);
  EXPECT_FALSE(j["regression"]);

  EXPECT_EQ(Run({"diff", old_json, old_json}), kExitOk);
  EXPECT_NE(out_.str().find("\nno changes\n"), std::string::npos);

  // A saved report against an image: same result as two images.
  EXPECT_EQ(Run({"diff", new_json, old_, "--fail-on-regression"}), kExitGateFailed);
  EXPECT_EQ(opened_, std::vector<std::string>{old_});
}

TEST_F(DiffCliTest, KeysLostInSavedReportsAreARegression) {
  auto j = nlohmann::json::parse(std::ifstream(SavedReport(new_, "base.json")));
  j["tool_version"] = "0.0.9";  // saved by an older imageprobe
  nlohmann::json with_keys = j;
  for (const char* user : {"deploy", "ci"}) {
    with_keys["roots"][0]["facts"].push_back(
        {{"kind", std::string(probes::kAuthorizedKeyRecord.name)},
         {"key", std::string(user) + "|SHA256:k"},
         {"data", {{"user", user}}}});
  }
  std::string before = WriteJson("before.json", with_keys);
  std::string after = WriteJson("after.json", j);
  EXPECT_EQ(Run({"diff", before, after}), kExitOk);
  EXPECT_NE(out_.str().find("! REGRESSION: authorized_keys removed for 2 users: ci, deploy"),
            std::string::npos)
      << out_.str();
  EXPECT_EQ(Run({"diff", before, after, "--fail-on-regression"}), kExitGateFailed);
  EXPECT_EQ(Run({"diff", after, before, "--fail-on-regression"}), kExitOk);  // keys gained
  EXPECT_EQ(Run({"diff", before, after, "-f", "json"}), kExitOk);
  auto diff = nlohmann::json::parse(out_.str());
  EXPECT_TRUE(diff["regression"]);
  EXPECT_EQ(diff["tool_version"], IMAGEPROBE_VERSION);  // the diff's maker, not the reports'
}

TEST_F(DiffCliTest, BadJsonInputsAreOneLineErrorsNamingTheFile) {
  std::string good = SavedReport(new_, "good.json");
  auto report = nlohmann::json::parse(std::ifstream(good));
  nlohmann::json mutated = report;
  mutated["roots"][0]["findings"] = {{{"rule_id", "x"}, {"severity", "catastrophic"}}};
  nlohmann::json newer = report;
  newer["schema"] = "imageprobe/report/v2";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Touch("broken.json", "{\"schema\": \"imageprobe/report/v1\", "),
       "invalid JSON at line 1, column 36: unterminated object"},
      {Touch("array.json", "[1, 2, 3]"), "not an imageprobe report"},
      {Touch("other.json", "{\"name\": \"x\"}"), "without a \"schema\""},
      {WriteJson("newer.json", newer), "report schema \"imageprobe/report/v2\" is not supported"},
      {WriteJson("sbom.json", {{"schema", "https://cyclonedx.org/schema/bom-1.5"}}),
       "is from another tool"},
      {WriteJson("diff.json", {{"schema", "imageprobe/diff/v1"}}),
       "an imageprobe/diff/v1 document, not an imageprobe report"},
      {WriteJson("mutated.json", mutated), "malformed imageprobe report"},
  };
  opened_.clear();
  for (const auto& [path, reason] : cases) {
    EXPECT_EQ(Run({"diff", path, good}), kExitUsage) << path;
    EXPECT_EQ(ErrLines(), 1u) << err_.str();
    EXPECT_EQ(err_.str().rfind("imageprobe: " + path + ": ", 0), 0u) << err_.str();
    EXPECT_NE(err_.str().find(reason), std::string::npos) << err_.str();
    EXPECT_EQ(out_.str(), "");
  }
  EXPECT_TRUE(opened_.empty());  // a JSON file is never handed to the image opener
}

TEST_F(DiffCliTest, EachUnreadableSideGetsItsOwnLine) {
  std::string missing = (dir_ / "missing.img").string();
  std::string broken = Touch("broken.img");
  EXPECT_EQ(Run({"diff", missing, broken}), kExitUsage);
  EXPECT_EQ(err_.str(), "imageprobe: " + missing + ": no such file or directory\n" +
                            "imageprobe: " + broken +
                            ": unrecognised content: starts with 00 00\n");
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Run({"diff", old_, missing, "--fail-on-regression"}), kExitUsage);
}

TEST_F(DiffCliTest, OutputFileAndRefusalToOverwriteAnInput) {
  std::string saved = SavedReport(old_, "saved.json");
  std::string before;
  std::getline(std::ifstream(saved), before);
  EXPECT_EQ(Run({"diff", saved, new_, "-o", saved}), kExitUsage);
  EXPECT_NE(err_.str().find("refusing to write"), std::string::npos) << err_.str();
  std::string after;
  std::getline(std::ifstream(saved), after);
  EXPECT_EQ(before, after);

  std::string out = (dir_ / "diff.json").string();
  EXPECT_EQ(Run({"diff", saved, new_, "-f", "json", "-o", out}), kExitOk);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(nlohmann::json::parse(std::ifstream(out))["schema"], "imageprobe/diff/v1");
}

TEST_F(DiffCliTest, ColourAndProgressOnlyOnATerminal) {
  stdout_tty_ = true;
  stderr_tty_ = true;
  EXPECT_EQ(Run({"diff", new_, old_}), kExitOk);
  EXPECT_NE(out_.str().find("\x1b["), std::string::npos);
  EXPECT_NE(err_.str().find("imageprobe: opening " + old_), std::string::npos);
  EXPECT_NE(err_.str().find("imageprobe: opening " + new_), std::string::npos);
  no_color_ = true;
  EXPECT_EQ(Run({"diff", new_, old_, "-q"}), kExitOk);
  EXPECT_EQ(out_.str().find('\x1b'), std::string::npos);
  EXPECT_EQ(err_.str(), "");
}

// --- the gate: --profile, --expect, --ignore, --baseline -------------------------------------
// old.img (Ubuntu 14.04) has one high finding, os.end_of_life; new.img (24.04) has none.

TEST_F(CliTest, GateFlagsAreDocumented) {
  EXPECT_EQ(Run({"scan", "--help"}), kExitOk);
  for (const char* text : {"--profile", "--expect", "--ignore", "--baseline", "forensic",
                           "never fail", "docs/gating.md"}) {
    EXPECT_NE(out_.str().find(text), std::string::npos) << text;
  }
  EXPECT_EQ(Run({"diff", "--help"}), kExitOk);
  EXPECT_NE(out_.str().find("--profile"), std::string::npos);
  EXPECT_EQ(Run({"scan", old_, "--profile", "strict"}), kExitUsage);
  EXPECT_TRUE(opened_.empty());
}

TEST_F(CliTest, ForensicProfileReportsButNeverGates) {
  EXPECT_EQ(Run({"scan", old_, "--profile", "forensic", "--fail-on", "info", "-f", "json"}),
            kExitOk);
  auto report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["profile"], "forensic");
  EXPECT_EQ(report["summary"]["max_severity"], "high");  // nothing lowered
  EXPECT_EQ(err_.str(),
            "imageprobe: --fail-on has no effect with --profile forensic (it reports without "
            "gating)\n");
  EXPECT_EQ(Run({"scan", old_, "--profile", "release", "--fail-on", "high"}), kExitGateFailed);
  EXPECT_EQ(Run({"diff", old_, new_, "--profile", "forensic", "--fail-on-regression", "-q"}),
            kExitOk);
}

TEST_F(CliTest, ExpectFileErrorsAreOneLineAndExitTwo) {
  std::string missing = (dir_ / "nope.json").string();
  EXPECT_EQ(Run({"scan", old_, "--expect", missing}), kExitUsage);
  EXPECT_EQ(err_.str(), "imageprobe: --expect " + missing + ": no such file\n");
  std::string bad = Touch("expect.json", R"({"version": 1, "users": {"root": {"sudo": "all"}}})");
  EXPECT_EQ(Run({"scan", old_, "--expect", bad}), kExitUsage);
  EXPECT_EQ(err_.str(), "imageprobe: --expect " + bad + ": users.root.sudo: expected an object\n");
  std::string not_json = Touch("expect2.json", "version: 1\n");
  EXPECT_EQ(Run({"scan", old_, "--expect", not_json}), kExitUsage);
  EXPECT_EQ(ErrLines(), 1u);
  EXPECT_NE(err_.str().find(not_json + ": invalid JSON at line 1, column 1: "), std::string::npos)
      << err_.str();
  EXPECT_EQ(Run({"scan", old_, "--expect", dir_.string()}), kExitUsage);
  EXPECT_EQ(err_.str(), "imageprobe: --expect " + dir_.string() + ": not a regular file\n");
  EXPECT_TRUE(opened_.empty());  // checked before any image is opened
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, UnmetExpectationsFailTheGate) {
  // The fake image has only /etc/os-release: no accounts at all.
  std::string expect = Touch("expect.json", R"({"version": 1, "users": {"deploy": {}},
      "paths": {"present": ["/etc/os-release"], "absent": ["/root/.bash_history"]}})");
  EXPECT_EQ(Run({"scan", new_, "--expect", expect, "--fail-on", "high", "-f", "json"}),
            kExitGateFailed);
  auto report = nlohmann::json::parse(out_.str());
  std::vector<std::string> rules;
  for (const auto& f : report["roots"][0]["findings"]) rules.push_back(f["rule_id"]);
  EXPECT_EQ(rules, std::vector<std::string>{"expect.user.missing"});
  EXPECT_EQ(report["roots"][0]["findings"][0]["severity"], "high");
  std::string met =
      Touch("met.json", R"({"version": 1, "paths": {"present": ["/etc/os-release"]}})");
  EXPECT_EQ(Run({"scan", new_, "--expect", met, "--fail-on", "high"}), kExitOk);
}

TEST_F(CliTest, IgnoreFileSuppressesUntilItExpires) {
  std::string ignore = Touch("ignore.yaml",
                             "version: 1\n"
                             "ignore:\n"
                             "  - rule: os.end_of_life\n"
                             "    reason: replaced by the 24.04 image in Q1\n"
                             "    expires: 2026-12-31\n");
  today_ = std::chrono::year{2026} / 12 / 31;
  EXPECT_EQ(Run({"scan", old_, "--ignore", ignore, "--fail-on", "high", "-f", "json"}), kExitOk);
  auto report = nlohmann::json::parse(out_.str());
  const auto& eol = report["roots"][0]["findings"][0];
  EXPECT_EQ(eol["rule_id"], "os.end_of_life");
  EXPECT_EQ(eol["suppressed"]["by"], "ignore_file");
  EXPECT_EQ(eol["suppressed"]["expires"], "2026-12-31");
  EXPECT_EQ(report["summary"]["suppressed"], 1);

  EXPECT_EQ(Run({"scan", old_, "--ignore", ignore}), kExitOk);
  EXPECT_NE(out_.str().find("suppressed (1)"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("replaced by the 24.04 image in Q1"), std::string::npos);

  today_ = std::chrono::year{2027} / 1 / 1;
  EXPECT_EQ(Run({"scan", old_, "--ignore", ignore, "--fail-on", "high", "-f", "json"}),
            kExitGateFailed);
  report = nlohmann::json::parse(out_.str());
  std::vector<std::string> rules;
  for (const auto& f : report["roots"][0]["findings"]) {
    rules.push_back(f["rule_id"]);
    EXPECT_FALSE(f.contains("suppressed")) << f.dump();
  }
  EXPECT_EQ(rules, (std::vector<std::string>{"ignore.expired", "os.end_of_life"}));

  std::string bad = Touch("bad.yaml", "version: 1\nignore:\n  - rule: os.end_of_life\n");
  EXPECT_EQ(Run({"scan", old_, "--ignore", bad}), kExitUsage);
  EXPECT_EQ(err_.str(), "imageprobe: --ignore " + bad +
                            ": line 3: entry 1 has no reason (every suppression must say why)\n");
}

TEST_F(CliTest, AsOfJudgesEndOfLifeOnThatDayAndIsRecorded) {
  today_.reset();  // the system clock: --as-of alone must decide
  ASSERT_EQ(Run({"scan", new_, "--as-of", "2029-06-01", "-f", "json", "--fail-on", "medium"}),
            kExitGateFailed);
  auto report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["as_of"], "2029-06-01");
  ASSERT_EQ(report["roots"][0]["findings"].size(), 1u);
  EXPECT_EQ(report["roots"][0]["findings"][0]["rule_id"], "os.end_of_life");
  EXPECT_EQ(report["roots"][0]["findings"][0]["severity"], "medium");  // ESM still runs

  ASSERT_EQ(Run({"scan", new_, "--as-of", "2029-05-31", "-f", "json", "--fail-on", "info"}),
            kExitOk);  // the last day of standard support
  EXPECT_TRUE(nlohmann::json::parse(out_.str())["roots"][0]["findings"].empty());

  for (const char* bad : {"2029-02-29", "31.12.2029", "2029-6-1", "tomorrow"}) {
    EXPECT_EQ(Run({"scan", new_, "--as-of", bad}), kExitUsage) << bad;
    EXPECT_EQ(err_.str(),
              std::string("imageprobe: --as-of \"") + bad + "\" is not a date written YYYY-MM-DD\n")
        << bad;
  }
}

TEST_F(CliTest, AsOfAlsoDecidesIgnoreFileExpiry) {
  std::string ignore = Touch("ignore.yaml",
                             "version: 1\n"
                             "ignore:\n"
                             "  - rule: os.end_of_life\n"
                             "    reason: replaced in Q1\n"
                             "    expires: 2026-12-31\n");
  today_ = std::chrono::year{2026} / 12 / 1;
  EXPECT_EQ(Run({"scan", old_, "--ignore", ignore, "--fail-on", "high"}), kExitOk);
  EXPECT_EQ(Run({"scan", old_, "--ignore", ignore, "--fail-on", "high", "--as-of", "2027-01-01"}),
            kExitGateFailed);
  EXPECT_NE(out_.str().find("ignore.expired"), std::string::npos) << out_.str();
}

TEST_F(CliTest, BaselineReportsOnlyWhatIsNew) {
  std::string saved = (dir_ / "old.json").string();
  EXPECT_EQ(Run({"scan", old_, "-f", "json", "-o", saved}), kExitOk);
  EXPECT_EQ(Run({"scan", old_, "--baseline", saved, "--fail-on", "info", "-f", "json"}), kExitOk);
  auto report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["roots"][0]["findings"][0]["suppressed"]["by"], "baseline");
  EXPECT_EQ(report["summary"]["total"], 0);

  std::string empty_baseline = (dir_ / "new.json").string();
  EXPECT_EQ(Run({"scan", new_, "-f", "json", "-o", empty_baseline}), kExitOk);
  EXPECT_EQ(Run({"scan", old_, "--baseline", empty_baseline, "--fail-on", "high"}),
            kExitGateFailed);

  EXPECT_EQ(Run({"scan", old_, "--baseline", old_}), kExitUsage);  // an image, not a report
  EXPECT_EQ(err_.str(), "imageprobe: --baseline " + old_ +
                            ": not a saved imageprobe report (imageprobe scan -f json)\n");
}

TEST_F(CliTest, RulesListTheGateRules) {
  EXPECT_EQ(Run({"rules"}), kExitOk);
  for (const char* id : {"expect.authorized_key.missing", "expect.sshd.mismatch",
                         "expect.unverifiable", "ignore.expired", "ignore.unused"}) {
    EXPECT_NE(out_.str().find(id), std::string::npos) << id;
  }
  EXPECT_NE(out_.str().find("gate expect: "), std::string::npos);
}

}  // namespace
}  // namespace imageprobe::cli
