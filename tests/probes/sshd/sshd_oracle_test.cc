// SPDX-License-Identifier: Apache-2.0
// ORACLE: every fixture under tests/fixtures/sshd/<case>/root is evaluated by imageprobe (as a
// guest tree in a MemoryFs) and by the real `sshd -T` (on a copy of the tree), globally and per
// user with `-C user=U,host=oracle.invalid,addr=192.0.2.1`. Every keyword imageprobe reports
// must print exactly as sshd prints it, and every keyword sshd prints must be reported.
//
// How the copy is made runnable for sshd, and why the comparison is still honest:
//  - Include, HostKey and HostCertificate arguments are rewritten to point into the copy
//    (absolute "/x" -> "<tmp>/x", relative "x" -> "<tmp>/etc/ssh/x", as sshd resolves them),
//    and "<tmp>" is stripped from sshd's output again. imageprobe reads the unmodified tree.
//  - HostKey files the config names are generated in the copy (sshd -T must load one). A case
//    without HostKey lines uses sshd's compiled-in defaults, /etc/ssh/ssh_host_*_key of the
//    machine running the test, which must exist (they are not created here).
//  - `-o` options: <case>/sshd_args lists, one per line, the arguments systemd would pass; the
//    test checks that imageprobe found exactly these in the unit files, then passes them.
//  - Users: <case>/users (one per line; default root, postgres, nobody, alice). sshd resolves
//    Match Group with the test machine's group database, so the groups handed to imageprobe
//    come from getgrouplist() on this machine too. Host/Address criteria are evaluated by sshd
//    against host=oracle.invalid, addr=192.0.2.1 (TEST-NET-1), which no fixture matches;
//    imageprobe reports those blocks as conditional and applies none of them.
//  - OpenSSH version: the trees have no dpkg/rpm data, so the test puts the host's
//    /usr/sbin/sshd binary into the guest tree; imageprobe reads its version string and applies
//    that version's compiled-in defaults (openssh_defaults.h), the ones sshd -T prints.
//  - Deliberate differences, in sshd_t_format.cc: sshd -T printing conventions only (lower-case
//    keyword, canonical multistate names, one line per value…). Times in seconds and assembled
//    algorithm lists are the product's own effective values (sshd_canonical.h), not converted
//    by the test. Two
//    more here: ListenAddress is not reported by imageprobe when unset (sshd derives it from
//    Port at runtime); ForceCommand, AuthorizedKeysCommand, AuthorizedPrincipalsCommand and
//    VersionAddendum are kept by sshd as the raw rest of the line and are compared after the
//    same word splitting sshd applies when it runs them.
#include <grp.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "probes/sshd/sshd_config.h"
#include "probes/sshd/sshd_tokenize.h"
#include "scanner/parse/text.h"
#include "tests/probes/sshd/sshd_t_format.h"
#include "tests/support/memory_fs.h"

namespace imageprobe::probes {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(IMAGEPROBE_SOURCE_DIR) / "tests/fixtures/sshd";
constexpr const char* kSshd = "/usr/sbin/sshd";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> ReadLines(const fs::path& path) {
  std::vector<std::string> lines;
  parse::ForEachLine(ReadText(path), [&](std::string_view line, uint32_t) {
    if (!line.empty()) lines.emplace_back(line);
  });
  return lines;
}

void LoadTree(const fs::path& root, imageprobe::testing::MemoryFs& memory) {
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
    std::string guest = "/" + fs::relative(entry.path(), root).generic_string();
    if (entry.is_symlink()) {
      memory.Symlink(guest, fs::read_symlink(entry.path()).string());
    } else if (entry.is_directory()) {
      memory.Dir(guest);
    } else {
      bool executable = (entry.status().permissions() & fs::perms::owner_exec) != fs::perms::none;
      memory.File(guest, ReadText(entry.path()), {.mode = executable ? 0755u : 0644u});
    }
  }
}

// Rewrites Include/HostKey/HostCertificate arguments of one config file into the copy.
std::string RewritePaths(std::string_view text, const std::string& tmp,
                         std::vector<std::string>& host_keys) {
  std::string out;
  parse::ForEachLine(text, [&](std::string_view line, uint32_t) {
    std::string_view rest = line;
    size_t start = rest.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
      out.append(line).push_back('\n');
      return;
    }
    rest.remove_prefix(start);
    size_t end = rest.find_first_of(" \t=");
    std::string keyword = parse::ToLower(rest.substr(0, end));
    if (end == std::string_view::npos ||
        (keyword != "include" && keyword != "hostkey" && keyword != "hostcertificate")) {
      out.append(line).push_back('\n');
      return;
    }
    std::string rewritten(line.substr(0, start + end));
    for (std::string_view word : parse::SplitWhitespace(rest.substr(end + 1))) {
      if (word == "=") continue;
      if (word.front() == '#') break;
      std::string path(word);
      if (path.front() == '/') {
        path = tmp + path;
      } else if (keyword == "include") {
        path = tmp + "/etc/ssh/" + path;
      }
      if (keyword == "hostkey") host_keys.push_back(path);
      rewritten += " " + path;
    }
    out.append(rewritten).push_back('\n');
  });
  return out;
}

struct CommandResult {
  int status = -1;
  std::string output;
  std::string errors;
};

CommandResult RunCommand(const std::vector<std::string>& argv) {
  std::string command;
  for (const std::string& arg : argv) {
    command += " '";
    for (char c : arg) command += c == '\'' ? std::string("'\\''") : std::string(1, c);
    command += "'";
  }
  // stdout only: sshd logs deprecated options and such on stderr, which is kept for messages.
  char errors_template[] = "/tmp/imageprobe-sshd-stderr-XXXXXX";
  int errors_fd = mkstemp(errors_template);
  if (errors_fd >= 0) close(errors_fd);
  command += std::string(" 2>") + errors_template;
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.errors = ReadText(errors_template);
  fs::remove(errors_template);
  return result;
}

std::vector<std::string> HostGroups(const std::string& user) {
  struct passwd* pw = getpwnam(user.c_str());
  if (pw == nullptr) return {};
  std::vector<gid_t> gids(256);
  int count = static_cast<int>(gids.size());
  if (getgrouplist(user.c_str(), pw->pw_gid, gids.data(), &count) < 0) return {};
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    if (struct group* gr = getgrgid(gids[i])) names.emplace_back(gr->gr_name);
  }
  return names;
}

using Lines = std::map<std::string, std::vector<std::string>>;  // keyword -> printed lines

Lines ParseSshdT(const std::string& output, const std::string& tmp) {
  Lines lines;
  parse::ForEachLine(output, [&](std::string_view raw, uint32_t) {
    std::string line(raw);
    for (size_t at; (at = line.find(tmp)) != std::string::npos;) line.erase(at, tmp.size());
    std::string key = line.substr(0, line.find(' '));
    if (key == "forcecommand" || key == "authorizedkeyscommand" ||
        key == "authorizedprincipalscommand" || key == "versionaddendum") {
      std::vector<std::string> words;
      SplitSshdArgs(line.substr(key.size()), words);
      line = key;
      for (const std::string& word : words) line += " " + word;
    }
    lines[key].push_back(line);
  });
  return lines;
}

Lines Expected(const SshdSettings& settings, const OpensshBuild& build) {
  Lines lines;
  for (const auto& [name, setting] : settings) {
    for (std::string& line : testing::SshdTLines(setting, settings, build)) {
      lines[parse::ToLower(name)].push_back(std::move(line));
    }
  }
  return lines;
}

// Returns the number of compared keywords; records a failure for every difference.
size_t Compare(const Lines& ours, const Lines& sshd, const SshdSettings& settings,
               const std::string& what) {
  size_t compared = 0;
  for (const auto& [key, lines] : ours) {
    auto it = sshd.find(key);
    if (it == sshd.end()) {
      ADD_FAILURE() << what << ": imageprobe reports " << key << " but sshd -T does not print it";
      continue;
    }
    ++compared;
    EXPECT_EQ(lines, it->second) << what << ": " << key << " (imageprobe origin " << [&] {
      for (const auto& [name, s] : settings) {
        if (parse::ToLower(name) == key) {
          return s.values.front().origin.Describe();
        }
      }
      return std::string("?");
    }() << ")";
  }
  for (const auto& [key, lines] : sshd) {
    if (ours.contains(key)) continue;
    if (key == "listenaddress" && !settings.contains("ListenAddress")) continue;
    ADD_FAILURE() << what << ": sshd -T prints " << lines.front() << " but imageprobe reports no "
                  << key;
  }
  return compared;
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  if (!fs::is_directory(kFixtures)) return names;
  for (const fs::directory_entry& entry : fs::directory_iterator(kFixtures)) {
    if (fs::is_directory(entry.path() / "root")) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SshdOracle : public ::testing::TestWithParam<std::string> {};

TEST(SshdOracleCorpus, HasAtLeastThirtyCases) { EXPECT_GE(Cases().size(), 30u); }

// The comparison itself must fail on one differing value, one missing and one extra keyword.
TEST(SshdOracleCorpus, CompareFailsOnAnyDifference) {
  static SshdSettings settings;
  static Lines ours, sshd;
  ours = {{"permitrootlogin", {"permitrootlogin no"}}, {"port", {"port 22"}}};
  sshd = ours;
  EXPECT_EQ(Compare(ours, sshd, settings, "same"), 2u);
  sshd["permitrootlogin"] = {"permitrootlogin yes"};
  EXPECT_NONFATAL_FAILURE(Compare(ours, sshd, settings, "value"), "permitrootlogin");
  sshd = ours;
  sshd.erase("port");
  EXPECT_NONFATAL_FAILURE(Compare(ours, sshd, settings, "missing"), "does not print it");
  sshd = ours;
  sshd["maxsessions"] = {"maxsessions 10"};
  EXPECT_NONFATAL_FAILURE(Compare(ours, sshd, settings, "extra"), "imageprobe reports no");
}

TEST_P(SshdOracle, EveryKeywordMatchesSshdT) {
  if (geteuid() != 0 || access(kSshd, X_OK) != 0) {
    GTEST_SKIP() << "needs root and " << kSshd << " (sshd -T loads host keys)";
  }
  fs::create_directories("/run/sshd");  // sshd -T checks its privilege separation directory
  const fs::path dir = kFixtures / GetParam();

  imageprobe::testing::MemoryFs memory;
  LoadTree(dir / "root", memory);
  // The fixture trees have no package database: the image's sshd is the one that judges them,
  // so its binary goes into the tree and imageprobe applies that version's defaults (read from
  // the binary, as on an image without dpkg/rpm data). Without it the version would be unknown
  // and the newest table (10.3: webauthn keys, no DSA) would rightly differ from sshd 9.2.
  if (!memory.Exists("/usr/sbin/sshd")) {
    memory.File("/usr/sbin/sshd", ReadText(kSshd), {.mode = 0755u});
  }
  SshdConfig config = CollectSshdConfig(memory, ScanLimits{});
  ASSERT_TRUE(config.present);
  ASSERT_TRUE(config.build.known()) << "no OpenSSH version in " << kSshd;
  EXPECT_EQ(config.build.source, "/usr/sbin/sshd");
  for (const SshdProblem& problem : config.parsed.problems) {
    EXPECT_FALSE(problem.fatal) << problem.file << ":" << problem.line << ": " << problem.message;
  }

  std::vector<std::string> args;
  if (fs::exists(dir / "sshd_args")) args = ReadLines(dir / "sshd_args");
  std::vector<std::string> found;
  for (const SshdCommandLineOption& option : config.service.options) {
    found.push_back("-o");
    found.push_back(option.text);
  }
  EXPECT_EQ(found, args) << "options imageprobe read from the systemd units";

  char tmp_template[] = "/tmp/imageprobe-sshd-oracle-XXXXXX";
  ASSERT_NE(mkdtemp(tmp_template), nullptr);
  const std::string tmp = tmp_template;
  struct RemoveOnExit {
    std::string path;
    ~RemoveOnExit() { fs::remove_all(path); }
  } remove_on_exit{tmp};  // also when an ASSERT returns early
  fs::copy(dir / "root", tmp, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  std::vector<std::string> host_keys;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(tmp)) {
    if (!entry.is_regular_file() || entry.is_symlink()) continue;
    std::string text = ReadText(entry.path());
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc)
        << RewritePaths(text, tmp, host_keys);
  }
  for (const std::string& key : host_keys) {
    if (fs::exists(key)) fs::remove(key);
    fs::create_directories(fs::path(key).parent_path());
    ASSERT_EQ(RunCommand({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key}).status, 0);
  }

  std::vector<std::string> base = {kSshd, "-T", "-f", tmp + config.config_path};
  base.insert(base.end(), args.begin(), args.end());

  CommandResult global = RunCommand(base);
  ASSERT_EQ(global.status, 0) << global.errors;
  size_t compared = Compare(Expected(config.global, config.build), ParseSshdT(global.output, tmp),
                            config.global, GetParam() + " (global)");
  EXPECT_GT(compared, 80u);

  std::vector<std::string> users = {"root", "postgres", "nobody", "alice"};
  if (fs::exists(dir / "users")) users = ReadLines(dir / "users");
  for (const std::string& user : users) {
    std::vector<std::string> argv = base;
    argv.push_back("-C");
    argv.push_back("user=" + user + ",host=oracle.invalid,addr=192.0.2.1");
    CommandResult result = RunCommand(argv);
    ASSERT_EQ(result.status, 0) << result.errors;
    SshdUserSettings mine = config.EffectiveFor(user, HostGroups(user));
    Compare(Expected(mine.settings, config.build), ParseSshdT(result.output, tmp), mine.settings,
            GetParam() + " (user " + user + ")");
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, SshdOracle, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace_if(
                               name.begin(), name.end(), [](char c) { return !std::isalnum(c); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace imageprobe::probes
