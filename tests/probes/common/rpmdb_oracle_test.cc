// SPDX-License-Identifier: Apache-2.0
// Oracle: the packages imageprobe reads from real rpm databases must equal what
// `rpm -qa --dbpath` prints for them. The databases are built at test time by make-rpmdb
// (rpmbuild + rpm --justdb for SQLite; db_load of the same header blobs for Berkeley DB, read
// back by rpm's bdb_ro backend for the expected list) into RPMDB_FIXTURES_DIR. Then the
// SSM agent probe on directory trees laid out like RHEL 9 and Amazon Linux 2.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "images/directory_fs.h"
#include "probes/aws/ssm_agent_probe.h"
#include "probes/common/rpm_packages.h"
#include "probes/common/rpmdb_bdb.h"
#include "probes/common/rpmdb_sqlite.h"
#include "probes/migration/lift_and_shift_probe.h"
#include "tests/support/probe_run.h"
#include "tests/support/run_command.h"

namespace imageprobe::probes {
namespace {

namespace fs = std::filesystem;

fs::path FixtureDir(std::string_view name) { return fs::path(RPMDB_FIXTURES_DIR) / name; }

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The same lines as rpm's --qf '%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH}\n', sorted.
std::string AsRpmQueryLines(const RpmDatabase& db) {
  std::vector<std::string> lines;
  for (const auto& p : db.packages) {
    lines.push_back(p.name + " " + (p.epoch ? std::to_string(*p.epoch) : "(none)") + " " +
                    p.version + " " + p.release + " " + (p.arch.empty() ? "(none)" : p.arch) +
                    "\n");
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& line : lines) out += line;
  return out;
}

struct Case {
  const char* dir;
  const char* file;
  const char* format;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.dir << "/" << c.file; }

class RpmdbOracle : public ::testing::TestWithParam<Case> {};

TEST_P(RpmdbOracle, PackagesEqualRpmQueryAll) {
  const Case& c = GetParam();
  std::string file = ReadAll(FixtureDir(c.dir) / c.file);
  std::string expected = ReadAll(FixtureDir(c.dir) / "expected.txt");
  ASSERT_FALSE(file.empty()) << "make-rpmdb did not run";
  ASSERT_EQ(std::count(expected.begin(), expected.end(), '\n'), 42);
  RpmDatabase db = ParseRpmDatabase(c.file, c.format, file);
  ASSERT_TRUE(db.read()) << db.error;
  EXPECT_EQ(db.unreadable_headers, 0u);
  EXPECT_EQ(AsRpmQueryLines(db), expected);
  const RpmPackage* agent = db.Find("amazon-ssm-agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->Evr(), "3.3.131.0-1");
  ASSERT_TRUE(agent->install_time);  // rpm --justdb stamps INSTALLTIME
  EXPECT_GT(*agent->install_time, 1'600'000'000u);
  const RpmPackage* tools = db.Find("open-vm-tools");  // the header on overflow pages
  ASSERT_NE(tools, nullptr);
  EXPECT_EQ(tools->Evr(), "2:12.1.5-2.el9");
}

TEST_P(RpmdbOracle, EveryTruncationFailsOrReadsFewerPackagesWithoutCrashing) {
  const Case& c = GetParam();
  std::string file = ReadAll(FixtureDir(c.dir) / c.file);
  ASSERT_FALSE(file.empty());
  size_t step = std::string_view(c.format) == "sqlite" ? 4093 : 1021;
  for (size_t n = 0; n < file.size(); n += step) {
    RpmDatabase db = ParseRpmDatabase(c.file, c.format, file.substr(0, n));
    EXPECT_LE(db.packages.size(), 42u) << n;
  }
}

INSTANTIATE_TEST_SUITE_P(Databases, RpmdbOracle,
                         ::testing::Values(Case{"sqlite", "rpmdb.sqlite", "sqlite"},
                                           Case{"bdb4k", "Packages", "bdb"},
                                           Case{"bdb64k", "Packages", "bdb"},
                                           Case{"bdb-be", "Packages", "bdb"}),
                         [](const auto& info) {
                           std::string name = info.param.dir;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(RpmdbOracle, BdbFixturesExerciseInlineAndOverflowItems) {
  // Page types in the 64 KiB file: the small headers are inline, open-vm-tools is not.
  std::string file = ReadAll(FixtureDir("bdb64k") / "Packages");
  ASSERT_EQ(file.size() % 65536, 0u);
  size_t overflow_pages = 0, hash_pages = 0;
  for (size_t at = 0; at < file.size(); at += 65536) {
    overflow_pages += file[at + 25] == 7;
    hash_pages += file[at + 25] == 13;
  }
  EXPECT_GE(overflow_pages, 1u);
  EXPECT_GE(hash_pages, 2u);  // more headers than one hash page holds
}

// A guest tree under the build directory (removed first), made of real files.
class RpmTree {
 public:
  explicit RpmTree(std::string name)
      : root_(fs::path(IMAGEPROBE_TEST_FIXTURES_DIR) / "rpmdb_trees" / name) {
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void Copy(const fs::path& from, std::string_view guest) {
    fs::create_directories((root_ / guest.substr(1)).parent_path());
    fs::copy_file(from, root_ / guest.substr(1));
  }
  void Write(std::string_view guest, std::string_view text) {
    fs::create_directories((root_ / guest.substr(1)).parent_path());
    std::ofstream(root_ / guest.substr(1)) << text;
  }
  void Symlink(std::string_view guest, std::string_view target) {
    fs::create_directories((root_ / guest.substr(1)).parent_path());
    fs::create_symlink(target, root_ / guest.substr(1));
  }
  std::string root() const { return root_.string(); }
  // The tree through the directory backend, as `imageprobe scan DIR` reads it.
  std::unique_ptr<images::DirectoryFs> Open() const {
    auto opened = images::DirectoryFs::Open(root());
    if (!opened) throw std::runtime_error(opened.error().Message());
    return std::move(*opened);
  }

 private:
  fs::path root_;
};

TEST(SsmAgentOnRpmTree, Rhel9LayoutWithSqliteRpmdbUnderSysimage) {
  // RHEL 9 / Fedora: /var/lib/rpm -> ../../usr/lib/sysimage/rpm, the unit in %_unitdir.
  RpmTree tree("rhel9");
  tree.Copy(FixtureDir("sqlite") / "rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite");
  tree.Symlink("/var/lib/rpm", "../../usr/lib/sysimage/rpm");
  tree.Write("/usr/lib/systemd/system/amazon-ssm-agent.service", "[Unit]\n");
  tree.Symlink("/lib", "usr/lib");
  tree.Symlink("/etc/systemd/system/multi-user.target.wants/amazon-ssm-agent.service",
               "/usr/lib/systemd/system/amazon-ssm-agent.service");
  auto tree_fs = tree.Open();
  auto r = testing::RunProbe(SsmAgentProbe(), *tree_fs);
  EXPECT_TRUE(r.errors().empty()) << r.errors()[0].path << ": " << r.errors()[0].message;
  const Fact* agent = r.FindFact("ssm/agent", "agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->data["packaging"], "rpm");  // not "deb", though /lib/systemd/system has it
  EXPECT_EQ(agent->data["version"], "3.3.131.0-1");
  EXPECT_EQ(agent->data["version_source"], "/var/lib/rpm/rpmdb.sqlite");
  EXPECT_EQ(agent->data["unit_path"], "/usr/lib/systemd/system/amazon-ssm-agent.service");
  EXPECT_EQ(agent->data["enabled"], true);
}

TEST(LiftAndShiftOnRpmTree, OpenVmToolsListedByTheRpmdb) {
  // No vmtoolsd file or unit in the tree: only the package database tells.
  RpmTree tree("rhel9-vmtools");
  tree.Copy(FixtureDir("sqlite") / "rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite");
  tree.Symlink("/var/lib/rpm", "../../usr/lib/sysimage/rpm");
  auto tree_fs = tree.Open();
  auto r = testing::RunProbe(LiftAndShiftProbe(), *tree_fs);
  const Fact* tools = r.FindFact("migration/vmware_tools", "vmware-tools");
  ASSERT_NE(tools, nullptr);
  EXPECT_EQ(tools->data["packages"],
            (nlohmann::json{{{"name", "open-vm-tools"}, {"version", "2:12.1.5-2.el9"}}}));
  ASSERT_EQ(r.out.findings().size(), 1u);
  EXPECT_EQ(r.out.findings()[0].path, "/var/lib/rpm/rpmdb.sqlite");
}

TEST(SsmAgentOnRpmTree, AmazonLinux2LayoutWithBerkeleyDbPackages) {
  RpmTree tree("al2");
  tree.Copy(FixtureDir("bdb4k") / "Packages", "/var/lib/rpm/Packages");
  tree.Write("/etc/systemd/system/amazon-ssm-agent.service", "[Unit]\n");
  auto tree_fs = tree.Open();
  auto r = testing::RunProbe(SsmAgentProbe(), *tree_fs);
  EXPECT_TRUE(r.errors().empty()) << r.errors()[0].path << ": " << r.errors()[0].message;
  const Fact* agent = r.FindFact("ssm/agent", "agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->data["packaging"], "rpm");
  EXPECT_EQ(agent->data["version"], "3.3.131.0-1");
  EXPECT_EQ(agent->data["version_source"], "/var/lib/rpm/Packages");
  EXPECT_EQ(agent->data["enabled"], false);
}

TEST(SsmAgentOnRpmTree, CorruptRpmdbIsReportedAndTheUnitStillDecides) {
  RpmTree tree("corrupt");
  std::string junk = std::string("SQLite format 3\0", 16) + std::string(4096, '\x42');
  tree.Write("/var/lib/rpm/rpmdb.sqlite", junk);
  tree.Write("/usr/lib/systemd/system/amazon-ssm-agent.service", "[Unit]\n");
  auto tree_fs = tree.Open();
  auto r = testing::RunProbe(SsmAgentProbe(), *tree_fs);
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].path, "/var/lib/rpm/rpmdb.sqlite");
  const Fact* agent = r.FindFact("ssm/agent", "agent");
  ASSERT_NE(agent, nullptr);
  // An rpm system (an rpmdb, no dpkg status): rpm, version unknown, and why.
  EXPECT_EQ(agent->data["packaging"], "rpm");
  EXPECT_EQ(agent->data["version"], "");
  EXPECT_NE(agent->data["version_source"].get<std::string>().find("unknown (/var/lib/rpm/"),
            std::string::npos);
}

TEST(SsmAgentOnRpmTree, SuseNdbIsNamedAsUnsupported) {
  RpmTree tree("suse");
  tree.Write("/usr/lib/sysimage/rpm/Packages.db", "ndb database bytes");
  tree.Write("/usr/lib/systemd/system/amazon-ssm-agent.service", "[Unit]\n");
  auto tree_fs = tree.Open();
  RpmDatabase db = CollectRpmDatabase(*tree_fs);
  EXPECT_EQ(db.format, "ndb");
  EXPECT_EQ(db.path, "/usr/lib/sysimage/rpm/Packages.db");
  EXPECT_NE(db.error.find("not read"), std::string::npos);
  auto r = testing::RunProbe(SsmAgentProbe(), *tree_fs);
  const Fact* agent = r.FindFact("ssm/agent", "agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->data["packaging"], "rpm");
  EXPECT_NE(agent->data["version_source"].get<std::string>().find("ndb is not read"),
            std::string::npos);
}

}  // namespace
}  // namespace imageprobe::probes
