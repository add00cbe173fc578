// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/cancel.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>

namespace imageprobe {
namespace {
std::atomic<int> cancel_signal{0};
std::mutex temp_paths_mutex;
std::set<std::string>& TempPaths() {
  static auto* paths = new std::set<std::string>;  // never destroyed: used until _exit
  return *paths;
}
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");
}  // namespace

void RequestCancel(int signo) noexcept {
  int expected = 0;
  cancel_signal.compare_exchange_strong(expected, signo);
}
bool CancelRequested() noexcept { return cancel_signal.load() != 0; }
int CancelSignal() noexcept { return cancel_signal.load(); }

void RegisterTempPath(const std::string& path) {
  std::lock_guard lock(temp_paths_mutex);
  TempPaths().insert(path);
}

void UnregisterTempPath(const std::string& path) {
  std::lock_guard lock(temp_paths_mutex);
  TempPaths().erase(path);
}

void RemoveRegisteredTempPaths() noexcept {
  std::lock_guard lock(temp_paths_mutex);
  for (const std::string& path : TempPaths()) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempPaths().clear();
}

}  // namespace imageprobe
