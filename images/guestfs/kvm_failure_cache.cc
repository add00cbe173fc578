// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/kvm_failure_cache.h"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace imageprobe::images {
namespace {

constexpr std::string_view kTag = "kvm-failed";

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

// Tabs and newlines in a field would break the record format.
std::string Clean(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

KvmHostKey CurrentKvmHostKey(const std::string& qemu_path) {
  KvmHostKey key;
  struct utsname uts {};
  if (uname(&uts) == 0) key.kernel_release = uts.release;
  key.qemu_path = qemu_path;
  struct stat st {};
  if (stat(qemu_path.c_str(), &st) == 0) key.qemu_mtime = st.st_mtim.tv_sec;
  return key;
}

std::string FormatKvmFailureRecord(const KvmHostKey& key, std::string_view reason) {
  std::ostringstream out;
  out << kTag << '\t' << Clean(key.kernel_release) << '\t' << Clean(key.qemu_path) << '\t'
      << key.qemu_mtime << '\t' << Clean(reason) << '\n';
  return out.str();
}

bool KvmFailureRecordMatches(std::string_view record, const KvmHostKey& key) {
  if (size_t nl = record.find('\n'); nl != std::string_view::npos) record = record.substr(0, nl);
  auto fields = SplitTabs(record);
  if (fields.size() != 5 || fields[0] != kTag) return false;
  return fields[1] == Clean(key.kernel_release) && fields[2] == Clean(key.qemu_path) &&
         fields[3] == std::to_string(key.qemu_mtime) && !key.kernel_release.empty();
}

std::optional<std::string> KvmFailureCachePath() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/imageprobe/kvm-failure";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/')
    return std::string(home) + "/.cache/imageprobe/kvm-failure";
  return std::nullopt;
}

bool KvmKnownToFail(const KvmHostKey& key) {
  auto path = KvmFailureCachePath();
  if (!path) return false;
  std::ifstream in(*path);
  if (!in) return false;
  std::string line;
  std::getline(in, line);  // one line is all a record has; no unbounded read
  return KvmFailureRecordMatches(line, key);
}

void RememberKvmFailure(const KvmHostKey& key, std::string_view reason) {
  auto path = KvmFailureCachePath();
  if (!path) return;
  std::error_code ec;
  std::filesystem::path file(*path);
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return;
  chmod(file.parent_path().c_str(), 0700);
  std::string tmp = *path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return;
    out << FormatKvmFailureRecord(key, reason);
    if (!out) return;
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace imageprobe::images
