// SPDX-License-Identifier: Apache-2.0
// The record declarations (scanner/core/record_kind.h) against what the probes record: run every
// probe alone over every fixture root and check that each fact's kind is one its own probe
// declares, that members whose names say where or when (a line, a timestamp) are declared
// volatile, and that "path:line" origins are declared as such. Then the catalog's own rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "probes/all_probes.h"
#include "scanner/core/runner.h"
#include "tests/support/fixture_tree.h"
#include "tests/support/probe_run.h"

namespace imageprobe {
namespace {

bool Declares(std::span<const std::string_view> names, std::string_view name) {
  return std::ranges::find(names, name) != names.end();
}

// A member named like a line number or a timestamp, anywhere in `data`, that `kind` compares.
void UndeclaredVolatile(const nlohmann::json& data, const RecordKind& kind, std::string where,
                        std::set<std::string>& out) {
  if (data.is_array()) {
    for (const auto& item : data) UndeclaredVolatile(item, kind, where + "[]", out);
    return;
  }
  if (!data.is_object()) return;
  for (const auto& [name, value] : data.items()) {
    bool volatile_by_name =
        name == "line" || name.find("mtime") != std::string::npos || name == "seconds";
    bool origin_by_name = name == "origins" || name == "source";
    if (volatile_by_name && !Declares(kind.volatile_members, name)) out.insert(where + name);
    if (origin_by_name && !Declares(kind.origin_members, name) &&
        !Declares(kind.volatile_members, name)) {
      out.insert(where + name + " (origin)");
    }
    if (!Declares(kind.volatile_members, name)) {
      UndeclaredVolatile(value, kind, where + name + ".", out);
    }
  }
}

TEST(RecordKinds, EveryFactIsOfAKindItsProbeDeclaresWithItsVolatileMembers) {
  const RecordCatalog& catalog = probes::AllRecordKinds();
  std::set<std::string> recorded;
  for (const std::string& root : testing::FixtureRoots()) {
    testing::MemoryFs fs;
    testing::LoadFixtureTree(testing::FixturesDir() / root, fs);
    for (const Probe* probe : probes::AllProbes()) {
      testing::ProbeResult outcome = testing::RunProbe(*probe, fs);
      for (const Fact& fact : outcome.out.facts()) {
        SCOPED_TRACE(root + ": " + std::string(probe->name()) + ": " + fact.kind + " " + fact.key);
        const RecordKind* kind = catalog.Find(fact.kind);
        ASSERT_NE(kind, nullptr) << "undeclared kind";
        EXPECT_EQ(catalog.ProbeOf(*kind), probe->name()) << "declared by another probe";
        std::set<std::string> undeclared;
        UndeclaredVolatile(fact.data, *kind, "", undeclared);
        EXPECT_TRUE(undeclared.empty())
            << "compared members that say where or when: " << ::testing::PrintToString(undeclared);
        recorded.insert(fact.kind);
      }
    }
    // The inventory of config files records only after the probes before it read them.
    ScanLimits limits;
    for (const Fact& fact : RunProbes(fs, RootInfo{}, probes::AllProbes(), limits).facts) {
      SCOPED_TRACE(root + ": " + fact.kind + " " + fact.key);
      const RecordKind* kind = catalog.Find(fact.kind);
      ASSERT_NE(kind, nullptr) << "undeclared kind";
      std::set<std::string> undeclared;
      UndeclaredVolatile(fact.data, *kind, "", undeclared);
      EXPECT_TRUE(undeclared.empty()) << ::testing::PrintToString(undeclared);
      EXPECT_EQ(PayloadMismatches(fact.data, kind->members), std::vector<std::string>{});
      recorded.insert(fact.kind);
    }
  }
  // A declaration no fixture root exercises is checked here only through its probe's own
  // tests; those are named, and any other is an error (a fixture or the removal is missing).
  const std::map<std::string, std::string> kElsewhere = {
      {"fs/path", "tests/probes/expect/path_presence_probe_test.cc: only the paths --expect names"},
      {"ssh/known_hosts", "tests/probes/ssh/keys_probe_test.cc"},
      {"ssh/trusted_user_ca", "tests/probes/ssh/trusted_user_ca_probe_test.cc"},
      {"sshd/user_setting", "tests/probes/sshd/sshd_config_probe_test.cc"},
      {"aws/ec2_instance_connect/sshd_config_hint",
       "tests/probes/aws/ec2_instance_connect_probe_test.cc"},
  };
  std::set<std::string> never;
  for (const RecordKind* kind : catalog.kinds()) {
    std::string name(kind->name);
    if (!recorded.contains(name) && !kElsewhere.contains(name)) never.insert(name);
  }
  EXPECT_TRUE(never.empty()) << ::testing::PrintToString(never);
}

TEST(RecordKinds, EachRoleIsHeldOnceWithItsHooks) {
  const RecordCatalog& catalog = probes::AllRecordKinds();
  for (RecordRole role :
       {RecordRole::kAccount, RecordRole::kAuthorizedKey, RecordRole::kSshdSetting,
        RecordRole::kSshdUserSetting, RecordRole::kPathPresence}) {
    EXPECT_NE(catalog.WithRole(role), nullptr) << RecordRoleName(role);
  }
}

// A probe stub declaring what the test gives it.
class DeclaringProbe final : public Probe {
 public:
  DeclaringProbe(std::string name, std::vector<const RecordKind*> kinds)
      : name_(std::move(name)), kinds_(std::move(kinds)) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "test"; }
  std::span<const RuleInfo> rules() const override { return {}; }
  std::span<const RecordKind* const> records() const override { return kinds_; }
  void Run(const Target&, Output&) const override {}

 private:
  std::string name_;
  std::vector<const RecordKind*> kinds_;
};

constexpr RecordMember kOriginMembers[] = {{"path", kText, "a file"}, {"line", kInteger, "a line"}};
constexpr ValueShape kOrigin = ObjectOf(kOriginMembers);
constexpr RecordMember kUser[] = {{"user", kText, "a user"}, {"origin", kOrigin, "where"}};

TEST(RecordCatalog, RefusesTwoDeclarationsOfOneNameOrOneRoleOrARoleWithoutItsHooks) {
  const RecordKind a{.name = "test/a", .key = "k", .description = "a", .members = kUser};
  const RecordKind also_a{
      .name = "test/a", .key = "k", .description = "another a", .members = kUser};
  DeclaringProbe one("one", {&a}), two("two", {&also_a});
  std::vector<const Probe*> twice = {&one, &two};
  EXPECT_THROW(RecordCatalog{twice}, std::logic_error);

  const RecordKind hookless{.name = "test/account",
                            .key = "user",
                            .description = "x",
                            .members = kUser,
                            .role = RecordRole::kAccount};
  DeclaringProbe bad("bad", {&hookless});
  std::vector<const Probe*> without_hooks = {&bad};
  EXPECT_THROW(RecordCatalog{without_hooks}, std::logic_error);

  auto summary = [](const Fact&) { return AccountSummary{}; };
  const RecordKind account1{.name = "test/account1",
                            .key = "user",
                            .description = "x",
                            .members = kUser,
                            .role = RecordRole::kAccount,
                            .account = summary};
  const RecordKind account2{.name = "test/account2",
                            .key = "user",
                            .description = "x",
                            .members = kUser,
                            .role = RecordRole::kAccount,
                            .account = summary};
  DeclaringProbe both("both", {&account1, &account2});
  std::vector<const Probe*> role_twice = {&both};
  EXPECT_THROW(RecordCatalog{role_twice}, std::logic_error);

  DeclaringProbe good("good", {&a, &account1});
  std::vector<const Probe*> fine = {&good};
  RecordCatalog catalog(fine);
  EXPECT_EQ(catalog.Find("test/a"), &a);
  EXPECT_EQ(catalog.WithRole(RecordRole::kAccount), &account1);
  EXPECT_EQ(catalog.ProbeOf(account1), "good");
  EXPECT_EQ(catalog.Find("test/none"), nullptr);
}

TEST(RecordCatalog, RefusesAKindWithoutMembersOrTreatingApartOneItDoesNotDeclare) {
  const RecordKind bare{.name = "test/bare", .key = "k", .description = "no members"};
  DeclaringProbe no_members("no_members", {&bare});
  std::vector<const Probe*> bare_probes = {&no_members};
  EXPECT_THROW(RecordCatalog{bare_probes}, std::logic_error);

  static constexpr std::string_view kMisspelt[] = {"lines"};
  const RecordKind misspelt{.name = "test/misspelt",
                            .key = "k",
                            .description = "x",
                            .members = kUser,
                            .volatile_members = kMisspelt};
  DeclaringProbe wrong_volatile("wrong_volatile", {&misspelt});
  std::vector<const Probe*> misspelt_probes = {&wrong_volatile};
  EXPECT_THROW(RecordCatalog{misspelt_probes}, std::logic_error);

  static constexpr std::string_view kLine[] = {"line"};  // declared inside the origin object
  const RecordKind nested{.name = "test/nested",
                          .key = "k",
                          .description = "x",
                          .members = kUser,
                          .volatile_members = kLine};
  DeclaringProbe fine("fine", {&nested});
  std::vector<const Probe*> fine_probes = {&fine};
  EXPECT_NO_THROW(RecordCatalog{fine_probes});
}

}  // namespace
}  // namespace imageprobe
