// SPDX-License-Identifier: Apache-2.0
// The launch policy on this host, with an empty KVM-failure cache: either KVM brings the
// appliance up, or the watchdog/launch failure leads to one TCG retry that is announced,
// recorded as the backend, and remembered in the cache. Runs before the other guestfs tests
// (ctest fixture), which then find the cache filled and go straight to TCG.
//
// It also exercises GuestfsFs primitives on the bare ext4 image: symlinks stay symlinks,
// listings are sorted lstat results, reads are bounded; and, on the same appliance, the bulk
// path for the homes (one tar_out for every home's .ssh, "~/.ssh" for homes elsewhere)
// against the directory backend on the same tree.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <set>
#include <tuple>

#include "images/directory_fs.h"
#include "images/guestfs/guestfs_fs.h"
#include "images/guestfs/guestfs_image.h"
#include "images/guestfs/kvm_failure_cache.h"
#include "probes/all_probes.h"
#include "probes/ssh/authorized_keys_records.h"
#include "scanner/core/runner.h"

namespace imageprobe::images {
namespace {

const std::string kImages = IMAGEPROBE_GUESTFS_IMAGES;

using FactRow = std::tuple<std::string, std::string, std::string>;     // kind, key, data
using FindingRow = std::tuple<std::string, std::string, std::string>;  // rule, path, user

std::set<FactRow> Facts(const RootReport& report) {
  std::set<FactRow> rows;
  for (const auto& f : report.facts) rows.insert({f.kind, f.key, f.data.dump()});
  return rows;
}

std::set<FindingRow> Findings(const RootReport& report) {
  std::set<FindingRow> rows;
  for (const auto& f : report.findings) rows.insert({f.rule_id, f.path, f.user});
  return rows;
}

std::vector<std::string> Names(const FsResult<std::vector<DirEntry>>& entries) {
  std::vector<std::string> names;
  if (entries) {
    for (const auto& e : *entries) names.push_back(e.name + ":" + std::to_string(e.stat.mode));
  }
  return names;
}

// The tree of bare.ext4 holds alice and bob (keys, known_hosts, files beside .ssh), carol (.ssh
// a symlink to /srv/keys/carol), dave (home /srv/dave, outside /home), erin (no .ssh; a file
// whose name has glob characters), a plain file in /home, and 200 generated homes user000..199
// (one key each; user007's .ssh links to /etc, user008's to "../../") plus linkhome, a home
// that is itself a relative link to /etc. /home holds well over kBulkMinHomes homes: it comes
// whole in one read (bare.ext4 is a raw ext4 image, so libext2fs reads it from the file on the
// host rather than a tar_out), and nothing under it costs a call per home.
void ExpectBulkHomesMatchDirectoryBackend(Image& image) {
  std::vector<std::string> prefetch;
  for (const Probe* probe : probes::AllProbes())
    std::ranges::move(probe->prefetch(), std::back_inserter(prefetch));
  auto mounted = image.Mount(0, prefetch);
  ASSERT_TRUE(mounted.has_value()) << mounted.error();
  auto* guest = dynamic_cast<GuestfsFs*>(mounted->fs.get());
  ASSERT_NE(guest, nullptr);

  auto prefixes = guest->prefetched_prefixes();
  auto has = [&](const std::string& p) {
    return std::find(prefixes.begin(), prefixes.end(), p) != prefixes.end();
  };
  EXPECT_TRUE(has("/home") && has("/srv/dave/.ssh") && has("/root/.ssh") && has("/etc/ssh"))
      << ::testing::PrintToString(prefixes);
  EXPECT_FALSE(has("/home/carol/.ssh") || has("/home/user007/.ssh"))
      << "nothing under the streamed /home is fetched again";
  // /home in one host read, every other tree (/etc/ssh, /root/.ssh, /srv/dave/.ssh…) in one
  // tar_out: a handful of calls for 200 homes where the per-home path made two or more per home
  // (the passwd read, the listings of /, /etc, /srv… on the way, the globs outside /home).
  auto calls = guest->call_counts();
  EXPECT_EQ(calls["host_ext4_read"], 1u);
  EXPECT_EQ(calls["tar_out"], 1u);
  uint64_t total = 0;
  for (const auto& [name, count] : calls) total += count;
  EXPECT_LT(total, 40u) << ::testing::PrintToString(calls);
  EXPECT_EQ(calls["glob_expand"] + calls["readdir"] + calls["lstatnslist"] < 30, true)
      << ::testing::PrintToString(calls);
  // Lookups and listings in the homes cost no call any more (the prefetch listed them).
  for (const char* path : {"/home/erin/.bashrc", "/home/erin/.bash_history", "/home/bob/notes.txt",
                           "/home/alice/.aws", "/home/user150/.aws", "/home/user150/.ssh/id_rsa",
                           "/home/linkhome", "/home/user007/.ssh"}) {
    (void)guest->Lstat(path);
  }
  (void)guest->List("/home/erin");
  (void)guest->List("/home/bob/.ssh");
  (void)guest->List("/home/user199/.ssh");
  (void)guest->ReadFile("/home/user042/.ssh/authorized_keys", 4096);
  EXPECT_EQ(guest->call_counts(), calls) << "homes looked up one by one";

  auto dir = DirectoryFs::Open(kImages + "/bare-tree");
  ASSERT_TRUE(dir.has_value()) << dir.error().Message();
  const Filesystem& host = **dir;
  // The homes' listings are complete, whatever the tar left out.
  for (const char* d : {"/home", "/home/bob", "/home/erin", "/home/erin/Documents",
                        "/home/bob/.ssh", "/srv/dave/.ssh"}) {
    EXPECT_EQ(Names(guest->List(d)), Names(host.List(d))) << d;
  }
  EXPECT_EQ(guest->ReadFile("/home/erin/odd [x]*?.txt", 100).value_or(""), "odd name\n");
  EXPECT_EQ(guest->ReadLink("/home/carol/.ssh").value_or(""), "/srv/keys/carol");
  // The links stay links, and resolve inside the image root.
  EXPECT_EQ(guest->ReadLink("/home/linkhome").value_or(""), "../../etc");
  EXPECT_EQ(guest->ReadLink("/home/user008/.ssh").value_or(""), "../../");
  EXPECT_EQ(guest->Resolve("/home/user008/.ssh/etc/passwd").value_or(""), "/etc/passwd");
  EXPECT_EQ(guest->Resolve("/home/linkhome/passwd").value_or(""), "/etc/passwd");
  EXPECT_EQ(guest->Resolve("/home/user007/.ssh/ssh").value_or(""), "/etc/ssh");
  EXPECT_EQ(guest->ReadFile("/home/linkhome/passwd", 1 << 20).value_or("").size(),
            host.ReadFile("/home/linkhome/passwd", 1 << 20).value_or("?").size());
  EXPECT_EQ(guest->ReadFile("/home/README", 100).value_or(""), "homes live here\n");

  RootReport from_guest =
      RunProbes(*guest, RootInfo{"/dev/sda", "guestfs"}, probes::AllProbes(), {});
  RootReport from_dir = RunProbes(host, RootInfo{"/", "directory"}, probes::AllProbes(), {});
  EXPECT_EQ(Facts(from_guest), Facts(from_dir));
  EXPECT_EQ(Findings(from_guest), Findings(from_dir));
  size_t keys = std::count_if(from_guest.facts.begin(), from_guest.facts.end(), [](const Fact& f) {
    return f.kind == probes::kAuthorizedKeyRecord.name;
  });
  // bob 2, carol 1 (through the symlinked .ssh), dave 1 (home outside /home), root 1, 198 of
  // the generated homes (user007's and user008's .ssh are links to directories without an
  // authorized_keys); alice's fixture line is not a valid key.
  EXPECT_EQ(keys, 203u);
}

TEST(GuestfsLaunchPolicy, FallsBackToTcgOnceAndRemembersIt) {
  if (std::getenv("LIBGUESTFS_BACKEND_SETTINGS") != nullptr) {
    GTEST_SKIP() << "LIBGUESTFS_BACKEND_SETTINGS is set: the policy defers to it";
  }
  auto cache = KvmFailureCachePath();
  ASSERT_TRUE(cache.has_value());
  std::filesystem::remove(*cache);

  auto progress = std::make_shared<std::vector<std::string>>();
  OpenOptions options;
  options.progress = [progress](std::string_view msg) { progress->emplace_back(msg); };
  Detection detection{Format::kExtFs, "ext4", "", "raw"};
  auto image = OpenGuestfsImage(kImages + "/bare.ext4", detection,
                                ImageInfo{kImages + "/bare.ext4", "ext4", "", 0, ""}, options);
  const std::string backend = image->info().backend;
  for (const auto& p : *progress) std::cout << "progress: " << p << "\n";
  std::cout << "backend: " << backend << ", launch " << image->timings().front().seconds << " s\n";
  if (backend == "guestfs (tcg)") {
    bool announced = std::any_of(progress->begin(), progress->end(), [](const std::string& p) {
      return p.find("retrying with TCG (software emulation)") != std::string::npos;
    });
    EXPECT_TRUE(announced);
    EXPECT_TRUE(std::filesystem::exists(*cache)) << "KVM failure not remembered";
  } else {
    EXPECT_EQ(backend, "guestfs (kvm)");
    EXPECT_FALSE(std::filesystem::exists(*cache));
  }

  ASSERT_EQ(image->roots().size(), 1u);
  EXPECT_EQ(image->roots()[0].name, "/dev/sda");
  auto mounted = image->Mount(0, {});
  ASSERT_TRUE(mounted.has_value()) << mounted.error();
  const Filesystem& fs = *mounted->fs;

  auto link = fs.Lstat("/etc/os-release");
  ASSERT_TRUE(link.has_value());
  EXPECT_TRUE(link->IsSymlink());
  EXPECT_EQ(fs.ReadLink("/etc/os-release").value_or(""), "../usr/lib/os-release");
  EXPECT_EQ(fs.ReadAt("/etc/os-release", 0, 10).error().code, FsErrc::kNotRegular);
  EXPECT_EQ(fs.Resolve("/bin/true-fixture").value_or(""), "/usr/bin/true-fixture");
  auto release = fs.ReadFile("/etc/os-release", 1 << 16);
  ASSERT_TRUE(release.has_value());
  EXPECT_NE(release->find("ID=debian"), std::string::npos);
  EXPECT_EQ(fs.ReadAt("/usr/lib/os-release", 13, 6).value_or(""), "Debian");
  EXPECT_EQ(fs.ReadFile("/usr/lib/os-release", 10).error().code, FsErrc::kTooLarge);

  auto etc = fs.List("/etc");
  ASSERT_TRUE(etc.has_value());
  std::vector<std::string> names;
  for (const auto& e : *etc) names.push_back(e.name);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "hostname"), names.end());
  EXPECT_EQ(fs.Lstat("/nonexistent").error().code, FsErrc::kNotFound);
  EXPECT_EQ(fs.List("/etc/passwd").error().code, FsErrc::kNotDirectory);

  // Prefetched and remote answers agree.
  auto remote = fs.Lstat("/home/alice/.ssh/authorized_keys");
  ASSERT_TRUE(remote.has_value());
  mounted = image->Mount(0, std::vector<std::string>{"/home/*/.ssh"});
  ASSERT_TRUE(mounted.has_value());
  auto local = mounted->fs->Lstat("/home/alice/.ssh/authorized_keys");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->mode, remote->mode);
  EXPECT_EQ(local->uid, remote->uid);
  EXPECT_EQ(local->size, remote->size);
  EXPECT_EQ(local->mtime, remote->mtime);
  EXPECT_EQ(mounted->fs->ReadFile("/home/alice/.ssh/authorized_keys", 4096).value_or("").size(),
            remote->size);
  EXPECT_EQ(mounted->fs->Lstat("/home/alice/.ssh/missing").error().code, FsErrc::kNotFound);

  ExpectBulkHomesMatchDirectoryBackend(*image);
}

}  // namespace
}  // namespace imageprobe::images
