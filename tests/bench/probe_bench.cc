// SPDX-License-Identifier: Apache-2.0
// Times the users and ssh.authorized_keys probes on a root tree, through the runner (budgeted
// filesystem, canonical sort), once with the tree loaded into memory and once through the
// directory backend (images::DirectoryFs). Used by tools/bench-users-keys with trees from
// tools/gen-many-users.
//
//   probe_bench ROOT [RUNS]
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "images/directory_fs.h"
#include "probes/ssh/authorized_keys_probe.h"
#include "probes/users/users_probe.h"
#include "scanner/core/runner.h"
#include "tests/support/memory_fs.h"

namespace fs = std::filesystem;
using namespace imageprobe;

namespace {

imageprobe::testing::MemoryFs LoadTree(const fs::path& root) {
  imageprobe::testing::MemoryFs mem;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    std::string guest = "/" + fs::relative(it->path(), root).string();
    imageprobe::testing::Meta meta{st.st_mode & 07777, st.st_uid, st.st_gid, st.st_mtime};
    if (S_ISDIR(st.st_mode)) {
      mem.Dir(guest, meta);
    } else if (S_ISREG(st.st_mode)) {
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      mem.File(guest, ss.str(), meta);
    }
  }
  return mem;
}

void Time(const char* backend, const Filesystem& fs, int runs) {
  const probes::users::UsersProbe users_probe;
  const probes::ssh::AuthorizedKeysProbe authorized_keys_probe;
  const Probe* probes[] = {&users_probe, &authorized_keys_probe};
  std::vector<double> totals, users, keys;
  size_t facts = 0, findings = 0;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    RootReport report = RunProbes(fs, RootInfo{"/", backend}, probes, ScanLimits{});
    totals.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    users.push_back(report.probes[0].seconds);
    keys.push_back(report.probes[1].seconds);
    facts = report.facts.size();
    findings = report.findings.size();
  }
  auto median = [](std::vector<double> v) {
    std::ranges::sort(v);
    return v[v.size() / 2];
  };
  std::printf(
      "%-10s users %.3f s  ssh.authorized_keys %.3f s  total %.3f s  (median of %d; %zu facts, %zu "
      "findings)\n",
      backend, median(users), median(keys), median(totals), runs, facts, findings);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s ROOT [RUNS]\n", argv[0]);
    return 2;
  }
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  auto load_start = std::chrono::steady_clock::now();
  imageprobe::testing::MemoryFs mem = LoadTree(argv[1]);
  std::printf("loaded %s into memory in %.2f s\n", argv[1],
              std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count());
  Time("memory", mem, runs);
  auto dir = images::DirectoryFs::Open(fs::absolute(argv[1]).string());
  if (!dir) {
    std::fprintf(stderr, "%s\n", dir.error().Message().c_str());
    return 2;
  }
  Time("directory", **dir, runs);
  return 0;
}
