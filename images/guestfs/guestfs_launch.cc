// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/guestfs_launch.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "images/guestfs/kvm_failure_cache.h"
#include "scanner/core/cancel.h"
#include "scanner/core/image.h"

namespace imageprobe::images {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void Say(const OpenOptions& options, const std::string& message) {
  if (options.progress) options.progress(message);
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

// The user decides the accelerator when they configured the backend themselves.
bool UserChoseAccelerator() {
  if (std::getenv("LIBGUESTFS_BACKEND_SETTINGS") != nullptr) return true;
  std::string backend = Env("LIBGUESTFS_BACKEND");
  if (backend.empty()) backend = Env("LIBGUESTFS_ATTACH_METHOD");  // the old name
  return !backend.empty() && backend != "direct";
}

std::string ConfiguredBackendName() {
  std::string settings = Env("LIBGUESTFS_BACKEND_SETTINGS");
  std::string backend = Env("LIBGUESTFS_BACKEND");
  if (settings.find("force_tcg") != std::string::npos) return "guestfs (tcg)";
  if (settings.find("force_kvm") != std::string::npos) return "guestfs (kvm)";
  std::string what = backend.empty() ? "direct" : backend;
  if (!settings.empty()) what += ", " + settings;
  return "guestfs (" + what + ")";
}

// PIDs of our own children running `hv` (the QEMU binary libguestfs execs directly).
std::set<pid_t> QemuChildren(const std::string& hv) {
  std::set<pid_t> pids;
  std::error_code ec;
  std::string hv_real = std::filesystem::weakly_canonical(hv, ec).string();
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return pids;
  const pid_t self = getpid();
  while (dirent* entry = readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    std::string base = std::string("/proc/") + entry->d_name;
    std::ifstream stat_file(base + "/stat");
    std::string stat_line;
    if (!std::getline(stat_file, stat_line)) continue;
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so parse after
    // the last ')'.
    size_t close = stat_line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    long ppid = 0;
    if (std::sscanf(stat_line.c_str() + close + 1, " %c %ld", &state, &ppid) != 2) continue;
    if (ppid != self) continue;
    std::string exe = std::filesystem::read_symlink(base + "/exe", ec).string();
    if (ec) continue;
    if (exe == hv_real || exe == hv) pids.insert(static_cast<pid_t>(pid));
  }
  closedir(proc);
  return pids;
}

// Kills a QEMU child that has run for `timeout` without the launch finishing. The clock starts
// when the child appears; children that existed before (another image being scanned by this
// process) are ignored.
class QemuWatchdog {
 public:
  QemuWatchdog(std::string hv, std::chrono::milliseconds timeout)
      : hv_(std::move(hv)), timeout_(timeout), preexisting_(QemuChildren(hv_)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~QemuWatchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool fired() const { return fired_; }
  bool saw_qemu() const { return saw_qemu_; }

 private:
  void Run() {
    std::optional<pid_t> qemu;
    Clock::time_point qemu_start;
    std::unique_lock lock(mutex_);
    while (!done_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      if (done_) break;
      if (!qemu) {
        for (pid_t pid : QemuChildren(hv_)) {
          if (!preexisting_.contains(pid)) {
            qemu = pid;
            qemu_start = Clock::now();
            saw_qemu_ = true;
            break;
          }
        }
      } else if (Clock::now() - qemu_start >= timeout_) {
        kill(*qemu, SIGKILL);  // launch() then fails with "child process died unexpectedly"
        fired_ = true;
        break;
      }
    }
  }

  std::string hv_;
  std::chrono::milliseconds timeout_;
  std::set<pid_t> preexisting_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<bool> fired_{false};
  std::atomic<bool> saw_qemu_{false};
  std::thread thread_;
};

enum class Accel { kConfigured, kDefault, kTcg };

struct Attempt {
  std::unique_ptr<GuestfsHandle> handle;  // null when the launch failed
  std::string error;
  bool hung = false;
};

Attempt TryLaunch(const std::string& disk_path, const std::string& qemu_format, Accel accel,
                  std::optional<std::chrono::milliseconds> watchdog_timeout) {
  Attempt attempt;
  auto handle = std::make_unique<GuestfsHandle>();
  guestfs_h* g = handle->get();
  try {
    if (accel == Accel::kTcg) {
      handle->Check(guestfs_set_backend_setting(g, "force_tcg", "1"), "set_backend_setting");
    }
    // Every drive is read-only: closing need not wait for the appliance to unmount and sync.
    handle->Check(guestfs_set_autosync(g, 0), "set_autosync");
    handle->Check(guestfs_add_drive_opts(g, disk_path.c_str(), GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
                                         GUESTFS_ADD_DRIVE_OPTS_FORMAT, qemu_format.c_str(), -1),
                  "add_drive_opts");
    std::optional<QemuWatchdog> watchdog;
    if (watchdog_timeout) watchdog.emplace(TakeString(guestfs_get_hv(g)), *watchdog_timeout);
    int rc = guestfs_launch(g);
    bool hung = watchdog && watchdog->fired();
    watchdog.reset();
    if (rc == -1 || hung) {
      attempt.hung = hung;
      attempt.error = hung ? std::string("QEMU hung") : handle->LastError();
      return attempt;  // the handle closes here, reaping what is left of QEMU
    }
  } catch (const GuestfsCallError& e) {
    attempt.error = e.what();
    return attempt;
  }
  attempt.handle = std::move(handle);
  return attempt;
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// An interrupted scan kills QEMU (see scanner/cli/interrupt.h), which makes the launch fail:
// that says nothing about KVM, so neither retry nor remember a KVM failure.
void ThrowIfInterrupted() {
  if (CancelRequested()) throw ImageError("interrupted while starting the libguestfs appliance");
}

}  // namespace

AcceleratorPlan PlanAccelerator(const OpenOptions& options) {
  AcceleratorPlan plan;
  if (UserChoseAccelerator()) {
    plan.accelerator = "configured";
    plan.backend = ConfiguredBackendName();
    plan.reason = "LIBGUESTFS_BACKEND / LIBGUESTFS_BACKEND_SETTINGS are set: used exactly as given";
    return plan;
  }
  {
    GuestfsHandle probe;  // no appliance: only the configured hypervisor path
    plan.hypervisor = TakeString(guestfs_get_hv(probe.get()));
  }
  const int kvm_fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  const int kvm_errno = errno;
  if (kvm_fd >= 0) ::close(kvm_fd);
  if (KvmKnownToFail(CurrentKvmHostKey(plan.hypervisor))) {
    plan.accelerator = "tcg";
    plan.reason = "KVM failed to start the appliance on this host before (recorded in " +
                  KvmFailureCachePath().value_or("the cache") +
                  " for this kernel and QEMU); TCG (software emulation) is used directly";
  } else if (kvm_fd >= 0) {
    plan.accelerator = "kvm";
    plan.reason = "/dev/kvm is usable: KVM is tried first; if the appliance is not up within " +
                  std::to_string(options.kvm_launch_timeout.count()) +
                  " s, TCG is used and the verdict remembered";
  } else {
    plan.accelerator = "tcg";
    plan.reason = std::string("/dev/kvm cannot be opened (") + std::strerror(kvm_errno) +
                  "): QEMU runs the appliance with TCG (software emulation, slower)";
  }
  plan.backend = "guestfs (" + plan.accelerator + ")";
  return plan;
}

LaunchedAppliance LaunchAppliance(const std::string& disk_path, const std::string& qemu_format,
                                  const OpenOptions& options) {
  const auto start = Clock::now();
  LaunchedAppliance result;

  if (UserChoseAccelerator()) {
    result.backend = ConfiguredBackendName();
    Say(options, "starting the libguestfs appliance (" + result.backend + " from LIBGUESTFS_*)");
    Attempt attempt = TryLaunch(disk_path, qemu_format, Accel::kConfigured, std::nullopt);
    ThrowIfInterrupted();
    if (!attempt.handle) {
      throw ImageError("libguestfs appliance failed to start: " + FirstLine(attempt.error));
    }
    result.handle = std::move(attempt.handle);
    result.seconds = SecondsSince(start);
    return result;
  }

  std::string hv;
  {
    GuestfsHandle probe;  // cheap: no appliance, just the configured hypervisor path
    hv = TakeString(guestfs_get_hv(probe.get()));
  }
  const KvmHostKey key = CurrentKvmHostKey(hv);

  if (KvmKnownToFail(key)) {
    Say(options, "KVM failed to start the appliance on this host before (recorded in " +
                     KvmFailureCachePath().value_or("the cache") +
                     "); starting it with TCG (software emulation)");
  } else {
    Say(options, "starting the libguestfs appliance (KVM if available)");
    Attempt attempt = TryLaunch(disk_path, qemu_format, Accel::kDefault,
                                std::chrono::milliseconds(options.kvm_launch_timeout));
    ThrowIfInterrupted();
    if (attempt.handle) {
      result.handle = std::move(attempt.handle);
      result.backend = "guestfs (kvm)";
      result.seconds = SecondsSince(start);
      return result;
    }
    std::string why =
        attempt.hung ? "KVM did not start the appliance within " +
                           std::to_string(options.kvm_launch_timeout.count()) + " s"
                     : "the appliance failed to start with KVM (" + FirstLine(attempt.error) + ")";
    Say(options, why + "; retrying with TCG (software emulation)");
    Attempt tcg = TryLaunch(disk_path, qemu_format, Accel::kTcg, std::nullopt);
    ThrowIfInterrupted();
    if (!tcg.handle) {
      throw ImageError("libguestfs appliance failed to start with KVM and with TCG: " +
                       FirstLine(tcg.error));
    }
    // Only now is it clear that KVM, not the image, was the problem.
    RememberKvmFailure(key, why);
    result.handle = std::move(tcg.handle);
    result.backend = "guestfs (tcg)";
    result.seconds = SecondsSince(start);
    return result;
  }

  Attempt tcg = TryLaunch(disk_path, qemu_format, Accel::kTcg, std::nullopt);
  ThrowIfInterrupted();
  if (!tcg.handle) {
    throw ImageError("libguestfs appliance failed to start with TCG: " + FirstLine(tcg.error));
  }
  result.handle = std::move(tcg.handle);
  result.backend = "guestfs (tcg)";
  result.seconds = SecondsSince(start);
  return result;
}

}  // namespace imageprobe::images
