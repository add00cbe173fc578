// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "probes/aws/imagebuilder_cleanup_probe.h"
#include "tests/support/fixture_tree.h"
#include "tests/support/memory_fs.h"
#include "tests/support/probe_run.h"

namespace imageprobe::probes {
namespace {

using testing::MemoryFs;
using testing::RunProbe;

MemoryFs Fixture(std::string_view name) {
  MemoryFs fs;
  testing::LoadFixtureTree(testing::FixturesDir() / name / "root", fs);
  return fs;
}

std::vector<std::string> RemainingPaths(const Fact& state) {
  std::vector<std::string> paths;
  for (const auto& item : state.data["remaining"]) paths.push_back(item["path"]);
  return paths;
}

// The evaluation alone, on a state built by hand: the skip marker is what decides.
TEST(EvaluateCleanupState, TheSkipMarkerDecidesWhetherKeysWouldBeDeleted) {
  CleanupState state;
  state.authorized_keys = {"/root/.ssh/authorized_keys", "/home/ci/.ssh/authorized_keys"};
  auto rule_ids = [](Output& out) {
    std::vector<std::string> ids;
    for (const Finding& f : out.findings()) ids.push_back(f.rule_id);
    return ids;
  };
  Output bare;
  EvaluateCleanupState(state, bare);
  EXPECT_EQ(rule_ids(bare),
            std::vector<std::string>{"imagebuilder.cleanup.deletes_authorized_keys"});
  EXPECT_EQ(bare.findings().front().path, "/root/.ssh/authorized_keys");

  state.markers.push_back({"skip_cleanup_ssh_files", "/tmp/skip_cleanup_ssh_files", "/tmp", 0});
  Output kept;
  EvaluateCleanupState(state, kept);
  EXPECT_EQ(rule_ids(kept), std::vector<std::string>{"imagebuilder.cleanup.section_skipped"});
}

TEST(ImageBuilderCleanupProbe, ParentImageSaysPlainlyWhichKeysTheCleanupWouldDelete) {
  MemoryFs fs = Fixture("imagebuilder_parent");
  auto r = RunProbe(ImageBuilderCleanupProbe(), fs);
  const Finding* f = r.FirstFinding("imagebuilder.cleanup.deletes_authorized_keys");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kMedium);
  EXPECT_NE(f->evidence.find("its cleanup script will delete 3 authorized_keys file(s): "
                             "/root/.ssh/authorized_keys, /home/alice/.ssh/authorized_keys, "
                             "/home/bob/.ssh/authorized_keys"),
            std::string::npos)
      << f->evidence;
  // /var/lib/svc is outside the script's /home/* glob: its keys survive and are not listed.
  EXPECT_EQ(f->evidence.find("/var/lib/svc"), std::string::npos);
  const Fact* state = r.FindFact("imagebuilder/cleanup_state", "cleanup");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->data["verdict"], "not cleaned");
  EXPECT_EQ(state->data["image_builder_evidence"], false);
  auto paths = RemainingPaths(*state);
  EXPECT_NE(std::ranges::find(paths, "/etc/hostname"), paths.end());
  EXPECT_NE(std::ranges::find(paths, "/etc/ssh/ssh_host_ed25519_key.pub"), paths.end());
  EXPECT_EQ(std::ranges::find(paths, "/etc/machine-id"), paths.end());  // empty: reset
  // No Image Builder markers: no "incomplete cleanup" judgement on an ordinary image.
  EXPECT_EQ(r.FirstFinding("imagebuilder.cleanup.incomplete"), nullptr);
}

TEST(ImageBuilderCleanupProbe, UncleanedOutputWithMarkersAndToeLogs) {
  MemoryFs fs = Fixture("imagebuilder_uncleaned");
  auto r = RunProbe(ImageBuilderCleanupProbe(), fs);
  const Finding* pending = r.FirstFinding("imagebuilder.cleanup.not_run");
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->path, "/tmp/perform_cleanup");
  const Finding* skipped = r.FirstFinding("imagebuilder.cleanup.section_skipped");
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->path, "/tmp/skip_cleanup_toe_files");
  const Finding* ignored = r.FirstFinding("imagebuilder.cleanup.marker_ignored");
  ASSERT_NE(ignored, nullptr);
  EXPECT_EQ(ignored->path, "/tmp/skip_cleanup_ssh_files.txt");
  // The .txt marker does not count: the keys would still be deleted.
  ASSERT_NE(r.FirstFinding("imagebuilder.cleanup.deletes_authorized_keys"), nullptr);
  const Finding* toe = r.FirstFinding("imagebuilder.toe_logs.present");
  ASSERT_NE(toe, nullptr);
  EXPECT_NE(toe->evidence.find("skip_cleanup_toe_files is set"), std::string::npos);

  const Fact* marker = r.FindFact("imagebuilder/marker", "/tmp/perform_cleanup");
  ASSERT_NE(marker, nullptr);
  EXPECT_EQ(marker->data["working_directory_confidence"], "inferred");
  EXPECT_EQ(r.FindFact("imagebuilder/marker", "/tmp/skip_cleanup_ssh_files.txt")
                ->data["recognised_by_cleanup"],
            false);

  const Fact* state = r.FindFact("imagebuilder/cleanup_state", "cleanup");
  EXPECT_EQ(state->data["verdict"], "not cleaned");
  EXPECT_EQ(state->data["perform_cleanup_present"], true);
  auto paths = RemainingPaths(*state);
  for (std::string expected :
       {"/var/log/cloud-init.log", "/var/lib/cloud/instances", "/etc/ssh/ssh_host_ed25519_key",
        "/home/ec2-user/.ssh/authorized_keys", "/var/log/amazon/ssm/amazon-ssm-agent.log",
        "/etc/machine-id"}) {
    EXPECT_NE(std::ranges::find(paths, expected), paths.end()) << expected;
  }
  const Finding* incomplete = r.FirstFinding("imagebuilder.cleanup.incomplete");
  ASSERT_NE(incomplete, nullptr);
  EXPECT_NE(incomplete->evidence.find("SSH_FILES: /etc/ssh/ssh_host_ed25519_key"),
            std::string::npos);
  // The TOE folder is kept on purpose (skip marker): not listed as an unexplained leftover.
  EXPECT_EQ(incomplete->evidence.find("TOE_FILES"), std::string::npos);
}

TEST(ImageBuilderCleanupProbe, CleanedOutputWithKeysKeptOnPurpose) {
  MemoryFs fs = Fixture("imagebuilder_cleaned");
  auto r = RunProbe(ImageBuilderCleanupProbe(), fs);
  const Fact* state = r.FindFact("imagebuilder/cleanup_state", "cleanup");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->data["verdict"], "looks cleaned");
  EXPECT_EQ(state->data["remaining"].size(), 1u);
  EXPECT_EQ(state->data["remaining"][0]["skipped"], true);
  EXPECT_EQ(r.FirstFinding("imagebuilder.cleanup.deletes_authorized_keys"), nullptr);
  EXPECT_EQ(r.FirstFinding("imagebuilder.cleanup.incomplete"), nullptr);
  ASSERT_NE(r.FirstFinding("imagebuilder.cleanup.section_skipped"), nullptr);
}

TEST(ImageBuilderCleanupProbe, MarkersInAnyLikelyWorkingDirectory) {
  MemoryFs fs;
  fs.File("/var/tmp/skip_cleanup_ssh_files", "");
  fs.File("/home/builder/TOE_2026-01-01_x/log.txt", "");
  fs.File("/root/.ssh/authorized_keys", "ssh-ed25519 AAAA x\n");
  fs.Special("/tmp", FileType::kFifo);  // odd, but must not stop the scan
  auto r = RunProbe(ImageBuilderCleanupProbe(), fs);
  EXPECT_EQ(r.FindFact("imagebuilder/marker", "/var/tmp/skip_cleanup_ssh_files")
                ->data["working_directory"],
            "/var/tmp");
  ASSERT_NE(r.FindFact("imagebuilder/toe_folder", "/home/builder/TOE_2026-01-01_x"), nullptr);
  EXPECT_EQ(r.FirstFinding("imagebuilder.cleanup.deletes_authorized_keys"), nullptr);
  EXPECT_EQ(r.errors().size(), 1u);  // /tmp is not a directory
}

TEST(ImageBuilderCleanupProbe, AMarkerInSeveralWorkingDirectoriesIsNamedOnce) {
  MemoryFs fs;
  fs.File("/tmp/skip_cleanup_ssh_files", "");
  fs.File("/var/tmp/skip_cleanup_ssh_files", "");
  fs.File("/tmp/perform_cleanup", "");
  auto r = RunProbe(ImageBuilderCleanupProbe(), fs);
  ASSERT_NE(r.FindFact("imagebuilder/marker", "/tmp/skip_cleanup_ssh_files"), nullptr);
  ASSERT_NE(r.FindFact("imagebuilder/marker", "/var/tmp/skip_cleanup_ssh_files"), nullptr);
  const Fact* state = r.FindFact("imagebuilder/cleanup_state", "cleanup");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->data["skip_markers"], nlohmann::json::array({"skip_cleanup_ssh_files"}));
}

}  // namespace
}  // namespace imageprobe::probes
