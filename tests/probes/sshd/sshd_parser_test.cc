// SPDX-License-Identifier: Apache-2.0
// The pure layers on hostile and odd input: tokenizer, patterns, algorithm lists, systemd
// command lines, and the Include tree (cycles, depth, huge globs, huge lines, binary junk).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>

#include "probes/sshd/sshd_config.h"
#include "probes/sshd/sshd_config_parser.h"
#include "probes/sshd/sshd_effective.h"
#include "probes/sshd/sshd_fs_source.h"
#include "probes/sshd/sshd_patterns.h"
#include "probes/sshd/sshd_service.h"
#include "probes/sshd/sshd_tokenize.h"
#include "scanner/parse/text.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::probes {
namespace {

using Kind = SshdLineTokens::Kind;

// A SshdConfigSource over a map, globbing with the same matcher as sshd patterns ("*" only).
class MapSource final : public SshdConfigSource {
 public:
  std::map<std::string, std::string> files;
  mutable int reads = 0;
  std::expected<std::string, std::string> Read(std::string_view path) const override {
    ++reads;
    auto it = files.find(std::string(path));
    if (it == files.end()) return std::unexpected("not found");
    return it->second;
  }
  std::vector<std::string> Glob(std::string_view pattern) const override {
    std::vector<std::string> out;
    for (const auto& [path, text] : files) {
      if (MatchSshPattern(path, pattern)) out.push_back(path);
    }
    return out;
  }
};

SshdParsedConfig ParseMain(const MapSource& source, SshdParseOptions options = {}) {
  return ParseSshdConfigTree(source, "/etc/ssh/sshd_config", {}, options);
}

bool HasProblem(const SshdParsedConfig& parsed, std::string_view text) {
  for (const SshdProblem& problem : parsed.problems) {
    if (problem.message.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(SshdTokenize, SeparatorsQuotesCommentsAndWhitespace) {
  SshdLineTokens t = TokenizeSshdLine("  PermitRootLogin=no  # why\r");
  EXPECT_EQ(t.kind, Kind::kDirective);
  EXPECT_EQ(t.keyword, "PermitRootLogin");
  EXPECT_EQ(t.args, (std::vector<std::string>{"no"}));
  t = TokenizeSshdLine("Port = 22");
  EXPECT_EQ(t.args, (std::vector<std::string>{"22"}));
  t = TokenizeSshdLine("Port==22");  // only one "=" may be skipped
  EXPECT_EQ(t.args, (std::vector<std::string>{"=22"}));
  t = TokenizeSshdLine("AuthorizedKeysFile \"a b\" 'c d' e\\ f \"g\\\"h\" x#y");
  EXPECT_EQ(t.args, (std::vector<std::string>{"a b", "c d", "e f", "g\"h", "x#y"}));
  EXPECT_EQ(TokenizeSshdLine("   # comment").kind, Kind::kBlank);
  EXPECT_EQ(TokenizeSshdLine("\t \t").kind, Kind::kBlank);
  EXPECT_EQ(TokenizeSshdLine("").kind, Kind::kBlank);
  EXPECT_EQ(TokenizeSshdLine("Banner \"unterminated").kind, Kind::kError);
  EXPECT_EQ(TokenizeSshdLine("PermitRootLogin").kind, Kind::kError);
  EXPECT_EQ(TokenizeSshdLine("PermitRootLogin   \t ").kind, Kind::kError);
  EXPECT_EQ(TokenizeSshdLine("\f").kind, Kind::kError);  // sshd never strips the first char
  t = TokenizeSshdLine("PermitTTY no\f\f  ");
  EXPECT_EQ(t.args, (std::vector<std::string>{"no"}));
}

TEST(SshdTokenize, NulBytesEndTheLineAsInSshd) {
  std::string line = "PermitRootLogin no";
  line += '\0';
  line += " yes trailing";
  SshdLineTokens t = TokenizeSshdLine(line);
  EXPECT_EQ(t.args, (std::vector<std::string>{"no"}));
  EXPECT_EQ(TokenizeSshdLine(std::string("\0PermitRootLogin yes", 20)).kind, Kind::kBlank);
}

TEST(SshdTokenize, OneMegabyteLine) {
  std::string value(1 << 20, 'a');
  SshdLineTokens t = TokenizeSshdLine("AuthorizedKeysFile " + value);
  ASSERT_EQ(t.args.size(), 1u);
  EXPECT_EQ(t.args[0].size(), value.size());
  t = TokenizeSshdLine(value);  // a 1 MB keyword without a value
  EXPECT_EQ(t.kind, Kind::kError);
}

TEST(SshdPatterns, WildcardsNegationAndGroups) {
  EXPECT_TRUE(MatchSshPattern("deploy1", "deploy*"));
  EXPECT_TRUE(MatchSshPattern("root", "r??t"));
  EXPECT_FALSE(MatchSshPattern("Root", "root"));  // sshd patterns are case-sensitive
  EXPECT_TRUE(MatchSshPattern("", "*"));
  EXPECT_EQ(MatchSshPatternList("deploy-ro", "deploy*,!deploy-ro"), -1);
  EXPECT_EQ(MatchSshPatternList("deploy1", "deploy*,!deploy-ro"), 1);
  EXPECT_EQ(MatchSshPatternList("bob", "alice,carol"), 0);
  EXPECT_EQ(MatchSshPatternList("bob", ",,,"), 0);
  EXPECT_TRUE(MatchSshGroupList({"bob", "admins"}, "admins,!contractors"));
  EXPECT_FALSE(MatchSshGroupList({"bob", "admins", "contractors"}, "admins,!contractors"));
  EXPECT_FALSE(MatchSshGroupList({}, "*"));
  // A pathological pattern stays fast (no exponential backtracking).
  std::string text(5000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "*a";
  pattern += "b";
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(MatchSshPattern(text, pattern));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(SshdPatterns, AlgorithmAssembly) {
  std::string_view defaults = "a-ctr,b-gcm,c-cbc";
  std::string_view supported = "a-ctr,b-gcm,c-cbc,d-cbc,e-ctr";
  EXPECT_EQ(parse::Join(AssembleAlgorithms("", defaults, supported).names, ","),
            "a-ctr,b-gcm,c-cbc");
  EXPECT_EQ(parse::Join(AssembleAlgorithms("+d-cbc,a-ctr", defaults, supported).names, ","),
            "a-ctr,b-gcm,c-cbc,d-cbc");
  EXPECT_EQ(parse::Join(AssembleAlgorithms("-*-cbc", defaults, supported).names, ","),
            "a-ctr,b-gcm");
  EXPECT_EQ(parse::Join(AssembleAlgorithms("^e-ctr", defaults, supported).names, ","),
            "e-ctr,a-ctr,b-gcm,c-cbc");
  EXPECT_EQ(parse::Join(AssembleAlgorithms("*-ctr", defaults, supported).names, ","),
            "a-ctr,e-ctr");
  AlgorithmList unknown = AssembleAlgorithms("arcfour,a-ctr", defaults, supported);
  EXPECT_EQ(unknown.unknown, (std::vector<std::string>{"arcfour"}));
}

TEST(SshdService, ExecStartResetQuotingAndPercentEscapes) {
  std::vector<UnitFileText> units = {
      {"/lib/systemd/system/ssh.service",
       "[Unit]\nExecStart=/not/in/service\n[Service]\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n"},
      {"/etc/systemd/system/ssh.service.d/override.conf",
       "[Service]\r\nExecStart=\r\nExecStart=-/usr/sbin/sshd -D -p 2222 \\\n"
       "  -o'PasswordAuthentication no' -f /etc/ssh/custom_config -o \"Banner /etc/%%u\"\r\n"}};
  SshdServiceCommand command = ParseSshdServiceCommand(units);
  EXPECT_EQ(command.exec_start_file, "/etc/systemd/system/ssh.service.d/override.conf");
  EXPECT_EQ(command.argv.front(), "/usr/sbin/sshd");
  EXPECT_EQ(command.config_file, "/etc/ssh/custom_config");
  ASSERT_EQ(command.options.size(), 3u);
  EXPECT_EQ(command.options[0].text, "Port 2222");
  EXPECT_EQ(command.options[1].text, "PasswordAuthentication no");
  EXPECT_EQ(command.options[2].text, "Banner /etc/%u");
  // An empty ExecStart= as the last word disables the command.
  units.push_back({"/etc/systemd/system/ssh.service.d/zz.conf", "[Service]\nExecStart=\n"});
  EXPECT_TRUE(ParseSshdServiceCommand(units).options.empty());
}

TEST(SshdService, EnvironmentFilesAndVariables) {
  std::vector<UnitFileText> units = {
      {"/usr/lib/systemd/system/sshd.service",
       "[Service]\nEnvironment=EXTRA=-oX11Forwarding=no\n"
       "EnvironmentFile=-/etc/sysconfig/sshd\nEnvironmentFile=/etc/other\n"
       "ExecStart=/usr/sbin/sshd -D $OPTIONS $EXTRA -o${BRACED} $UNSET\n"}};
  EXPECT_EQ(SshdEnvironmentFiles(units),
            (std::vector<std::string>{"/etc/sysconfig/sshd", "/etc/other"}));
  std::map<std::string, std::string> env = ParseEnvironmentFile(
      "# comment\r\nOPTIONS=\"-o PermitRootLogin=no  -p 2200\"\nexport BRACED='Banner none'\n"
      "junk line\n=nokey\n");
  EXPECT_EQ(env.size(), 2u);
  SshdServiceCommand command = ParseSshdServiceCommand(units, env);
  std::vector<std::string> options;
  for (const SshdCommandLineOption& option : command.options) options.push_back(option.text);
  EXPECT_EQ(options, (std::vector<std::string>{"PermitRootLogin=no", "Port 2200",
                                               "X11Forwarding=no", "Banner none"}));
  ASSERT_EQ(command.notes.size(), 1u);
  EXPECT_EQ(command.notes[0], "$UNSET is not set in the unit or its EnvironmentFile");
}

TEST(SshdParser, IncludeCycleIsReportedAndStops) {
  MapSource source;
  source.files["/etc/ssh/sshd_config"] = "Include /etc/ssh/a.conf\nPort 22\n";
  source.files["/etc/ssh/a.conf"] = "Include /etc/ssh/b.conf\nMaxSessions 3\n";
  source.files["/etc/ssh/b.conf"] = "Include /etc/ssh/a.conf\nMaxSessions 4\n";
  SshdParsedConfig parsed = ParseMain(source);
  EXPECT_TRUE(HasProblem(parsed, "Include loop: /etc/ssh/a.conf"));
  EXPECT_EQ(parsed.files_read.size(), 3u);
  EXPECT_EQ(EvaluateSshdGlobal(parsed).at("MaxSessions").First(), "4");
  EXPECT_EQ(parsed.problems.front().file, "/etc/ssh/b.conf");
  EXPECT_EQ(parsed.problems.front().line, 1u);
}

TEST(SshdParser, SelfIncludeThroughGlob) {
  MapSource source;
  source.files["/etc/ssh/sshd_config"] = "Include /etc/ssh/sshd_config*\n";
  SshdParsedConfig parsed = ParseMain(source);
  EXPECT_TRUE(HasProblem(parsed, "Include loop"));
}

TEST(SshdParser, TwentyDeepChainStopsAtDepthSixteen) {
  MapSource source;
  source.files["/etc/ssh/sshd_config"] = "Include /etc/ssh/d1.conf\n";
  for (int i = 1; i <= 20; ++i) {
    source.files["/etc/ssh/d" + std::to_string(i) + ".conf"] =
        "Include /etc/ssh/d" + std::to_string(i + 1) + ".conf\nMaxSessions " + std::to_string(i) +
        "\n";
  }
  SshdParsedConfig parsed = ParseMain(source);
  EXPECT_EQ(parsed.files_read.size(), 17u);  // the main file and 16 levels
  EXPECT_TRUE(HasProblem(parsed, "Include nesting deeper than 16: /etc/ssh/d17.conf"));
  EXPECT_EQ(EvaluateSshdGlobal(parsed).at("MaxSessions").First(), "16");
}

TEST(SshdParser, GlobWithTenThousandMatches) {
  imageprobe::testing::MemoryFs fs;
  fs.File("/etc/ssh/sshd_config", "Include sshd_config.d/*.conf\nMaxSessions 1\n");
  for (int i = 0; i < 10'000; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "/etc/ssh/sshd_config.d/%05d.conf", i);
    fs.File(name, "MaxAuthTries " + std::to_string(i + 1) + "\nMaxSessions 9\n");
  }
  ScanLimits limits;
  auto start = std::chrono::steady_clock::now();
  SshdConfig config = CollectSshdConfig(fs, limits);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(config.files_read().size(), 10'001u);
  EXPECT_EQ(config.files_read()[1], "/etc/ssh/sshd_config.d/00000.conf");
  EXPECT_EQ(config.Global("MaxAuthTries")->First(), "1");
  EXPECT_EQ(config.Global("MaxSessions")->First(), "9");
  EXPECT_LT(elapsed, std::chrono::seconds(20));

  // The cap on included files is reported, not silently applied.
  FilesystemConfigSource source(fs, limits);
  SshdParsedConfig capped = ParseSshdConfigTree(source, "/etc/ssh/sshd_config", {},
                                                {.max_include_depth = 16, .max_files = 100});
  EXPECT_EQ(capped.files_read.size(), 100u);
  EXPECT_TRUE(HasProblem(capped, "more than 100 included files"));
}

TEST(SshdParser, CrlfLongLinesNulAndBinaryJunkGiveProblemsWithLineNumbers) {
  MapSource source;
  std::string text = "PermitRootLogin no\r\n";
  text += "AuthorizedKeysFile " + std::string(1 << 20, 'k') + "\r\n";  // 1 MB, accepted
  text += std::string("Banner /etc/issue\0junk", 22) + "\n";
  text += "\x01\x02\xff\xfe garbage\n";
  text += "PasswordAuthentication \xc3\x28\n";  // invalid UTF-8 value
  source.files["/etc/ssh/sshd_config"] = text;
  SshdParsedConfig parsed = ParseMain(source);
  SshdSettings global = EvaluateSshdGlobal(parsed);
  EXPECT_EQ(global.at("PermitRootLogin").First(), "no");
  EXPECT_EQ(global.at("AuthorizedKeysFile").First().size(), size_t{1} << 20);
  EXPECT_EQ(global.at("Banner").First(), "/etc/issue");
  ASSERT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(parsed.problems[0].line, 4u);
  EXPECT_EQ(parsed.problems[1].line, 5u);
  EXPECT_EQ(global.at("PasswordAuthentication").First(), "yes");  // the bad line is ignored
}

TEST(SshdParser, RandomBytesNeverCrash) {
  std::mt19937 random(1234);
  for (int round = 0; round < 300; ++round) {
    std::string junk(static_cast<size_t>(random() % 4096), '\0');
    for (char& c : junk) c = static_cast<char>(random() % 256);
    // Sprinkle keywords so that deeper code paths run too.
    if (round % 3 == 0) junk = "Match User x\nInclude /etc/ssh/*\n" + junk;
    if (round % 5 == 0) junk = "Ciphers +" + junk;
    MapSource source;
    source.files["/etc/ssh/sshd_config"] = junk;
    source.files["/etc/ssh/other"] = junk;
    SshdParsedConfig parsed = ParseMain(source);
    SshdSettings global = EvaluateSshdGlobal(parsed);
    EvaluateSshdForUser(parsed, global, "x", {"x"});
    EXPECT_TRUE(global.contains("PermitRootLogin"));
    std::vector<std::string> words;
    SplitSshdArgs(junk, words);
    SplitServiceCommandWords(junk);
    std::string error;
    ParseSshdMatch(junk, error);
  }
}

TEST(SshdParser, MatchLineErrors) {
  std::string error;
  EXPECT_FALSE(ParseSshdMatch("", error).has_value());
  EXPECT_FALSE(ParseSshdMatch("User", error).has_value());
  EXPECT_FALSE(ParseSshdMatch("All User x", error).has_value());
  EXPECT_FALSE(ParseSshdMatch("Colour blue", error).has_value());
  EXPECT_FALSE(ParseSshdMatch("LocalPort 99999", error).has_value());
  std::optional<SshdMatchBlock> block = ParseSshdMatch("user=alice GROUP admins # c", error);
  ASSERT_TRUE(block.has_value());
  ASSERT_EQ(block->criteria.size(), 2u);
  EXPECT_EQ(block->criteria[1].attribute, "group");
  EXPECT_EQ(block->text, "user=alice GROUP admins");
}

TEST(SshdParser, DirectivesNotAllowedInMatchAndBadValues) {
  MapSource source;
  source.files["/etc/ssh/sshd_config"] =
      "LoginGraceTime 2x\n"
      "MaxAuthTries -1\n"
      "PermitRootLogin yes no\n"
      "Protocol 2\n"
      "Subsystem sftp /a\n"
      "Subsystem sftp /b\n"
      "Port 0\n"
      "Match User root\n"
      "  Ciphers aes128-ctr\n"
      "  Include relative.conf\n";
  source.files["/etc/ssh/relative.conf"] = "UsePAM yes\n";
  SshdParsedConfig parsed = ParseMain(source);
  std::vector<uint32_t> fatal_lines;
  for (const SshdProblem& problem : parsed.problems) {
    if (problem.fatal) fatal_lines.push_back(problem.line);
  }
  // The last one is relative.conf:1 (UsePAM inside root's block).
  EXPECT_EQ(fatal_lines, (std::vector<uint32_t>{1, 2, 3, 6, 7, 9, 1}));
  EXPECT_TRUE(HasProblem(parsed, "deprecated option Protocol"));
}

}  // namespace
}  // namespace imageprobe::probes
