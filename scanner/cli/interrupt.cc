// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/interrupt.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "scanner/core/cancel.h"

namespace imageprobe::cli {
namespace {

using Clock = std::chrono::steady_clock;

int wake_pipe[2] = {-1, -1};

void OnSignal(int signo) {
  int saved_errno = errno;
  RequestCancel(signo);
  char byte = static_cast<char>(signo);
  [[maybe_unused]] ssize_t n = ::write(wake_pipe[1], &byte, 1);
  errno = saved_errno;
}

// Our direct children that belong to the appliance: QEMU ("qemu-system-x86", "qemu-img" for
// the read-only overlay) and supermin, which builds the appliance. libguestfs' own helpers
// (the `rm -rf` of its directories at close, the recovery process) are left alone.
std::vector<pid_t> ApplianceChildren() {
  std::vector<pid_t> pids;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return pids;
  const pid_t self = ::getpid();
  while (dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    std::ifstream stat_file(std::string("/proc/") + entry->d_name + "/stat");
    std::string line;
    if (!std::getline(stat_file, line)) continue;
    size_t open = line.find('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::string comm = line.substr(open + 1, close - open - 1);
    char state = 0;
    long ppid = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %ld", &state, &ppid) != 2) continue;
    if (ppid != self || state == 'Z') continue;
    if (comm.starts_with("qemu") || comm.starts_with("supermin")) {
      pids.push_back(static_cast<pid_t>(pid));
    }
  }
  ::closedir(proc);
  return pids;
}

void Watch(std::chrono::milliseconds grace) {
  char byte = 0;
  while (::read(wake_pipe[0], &byte, 1) != 1) {
    if (errno != EINTR) return;
  }
  const int signo = CancelSignal();
  const auto deadline = Clock::now() + grace;
  // Keep killing: a launch may be about to start QEMU when the signal arrives.
  while (Clock::now() < deadline) {
    for (pid_t pid : ApplianceChildren()) ::kill(pid, SIGKILL);
    pollfd again{wake_pipe[0], POLLIN, 0};
    if (::poll(&again, 1, 100) > 0) break;  // a second signal: stop waiting
  }
  for (pid_t pid : ApplianceChildren()) ::kill(pid, SIGKILL);
  RemoveRegisteredTempPaths();
  ::_exit(128 + signo);
}

}  // namespace

void InstallInterruptHandlers(std::chrono::milliseconds grace) {
  if (::pipe2(wake_pipe, O_CLOEXEC) != 0) return;  // no handler: the default action applies
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  std::thread(Watch, grace).detach();
}

int InterruptExitCode() { return CancelRequested() ? 128 + CancelSignal() : 0; }

}  // namespace imageprobe::cli
