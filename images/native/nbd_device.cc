// SPDX-License-Identifier: Apache-2.0
#include "images/native/nbd_device.h"

#include <fcntl.h>
#include <libnbd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "images/unique_fd.h"
#include "scanner/core/cancel.h"

extern char** environ;

namespace imageprobe::images::native {
namespace {

using Clock = std::chrono::steady_clock;

// qemu-nbd refuses requests over 32 MiB; stay well under.
constexpr size_t kMaxRequest = 8u << 20;

std::string NbdError() {
  const char* e = nbd_get_error();
  return e != nullptr && *e != '\0' ? e : "unknown error";
}

// What qemu-nbd said, as one line: its last non-empty line, without the program-name prefix.
std::string ChildMessage(int log_fd) {
  std::string text;
  char buf[4096];
  ::lseek(log_fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(log_fd, buf, sizeof buf)) > 0 && text.size() < 65536;) {
    text.append(buf, static_cast<size_t>(n));
  }
  std::string last;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty()) last = line;
    start = end + 1;
  }
  if (last.starts_with("qemu-nbd: ")) last.erase(0, 10);
  return last;
}

// A private directory for the socket, registered so an interrupt removes it.
class SocketDir {
 public:
  SocketDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp ? tmp : "/tmp") + "/imageprobe-nbd.XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) {
      dir_ = pattern;
      RegisterTempPath(dir_);
    }
  }
  ~SocketDir() { Remove(); }
  void Remove() {
    if (dir_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    UnregisterTempPath(dir_);
    dir_.clear();
  }
  bool ok() const { return !dir_.empty(); }
  std::string socket() const { return dir_ + "/sock"; }

 private:
  std::string dir_;
};

void Reap(pid_t child) {
  if (child <= 0) return;
  // qemu-nbd exits when its one client disconnects; give it a moment, then insist.
  for (int i = 0; i < 100; ++i) {
    int status = 0;
    pid_t r = ::waitpid(child, &status, WNOHANG);
    if (r == child || (r < 0 && errno == ECHILD)) return;
    if (i == 20) ::kill(child, SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

}  // namespace

std::string QemuJsonFilename(const std::string& path, const std::string& qemu_format,
                             std::optional<ByteRange> range) {
  nlohmann::json file = {{"driver", "file"}, {"filename", path}, {"locking", "off"}};
  if (range) {
    // qemu's raw driver as a window of the file below the format driver: the format sees
    // only the member's bytes, and a read past them fails in qemu, not in the next member.
    file = {{"driver", "raw"}, {"offset", range->offset}, {"size", range->length}, {"file", file}};
  }
  nlohmann::json top = {{"driver", qemu_format}, {"file", file}, {"read-only", true}};
  // raw has no backing; every other format driver accepts "backing": null.
  if (qemu_format != "raw") top["backing"] = nullptr;
  return "json:" + top.dump();
}

std::expected<std::shared_ptr<NbdDevice>, std::string> NbdDevice::Open(
    const std::string& path, const std::string& qemu_format, std::optional<ByteRange> range,
    std::chrono::milliseconds timeout) {
  SocketDir dir;
  if (!dir.ok())
    return std::unexpected(std::string("cannot create a socket directory: ") +
                           std::strerror(errno));
  const std::string socket_path = dir.socket();
  UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (!listener.valid() || socket_path.size() >= sizeof addr.sun_path) {
    return std::unexpected("cannot create a socket for qemu-nbd");
  }
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener.get(), 1) != 0) {
    return std::unexpected(std::string("cannot listen on a socket for qemu-nbd: ") +
                           std::strerror(errno));
  }
  UniqueFd log(::memfd_create("qemu-nbd-log", MFD_CLOEXEC));
  if (!log.valid()) return std::unexpected(std::string("memfd_create: ") + std::strerror(errno));

  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::string filename = QemuJsonFilename(path, qemu_format, range);
  std::vector<std::string> args = {"qemu-nbd", "--read-only", "--shared=1", filename};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view v(*e);
    if (!v.starts_with("LISTEN_")) env_strings.emplace_back(v);
  }
  env_strings.emplace_back("LISTEN_FDS=1");
  env_strings.emplace_back("LISTEN_PID=0000000000");  // the child writes its pid in place
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  char* listen_pid = envp[envp.size() - 2] + std::strlen("LISTEN_PID=");
  const pid_t parent = ::getpid();

  pid_t child = ::fork();
  if (child < 0) return std::unexpected(std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    unsigned long pid = static_cast<unsigned long>(::getpid());
    char digits[16];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + pid % 10);
      pid /= 10;
    } while (pid != 0);
    for (int i = 0; i < n; ++i) listen_pid[i] = digits[n - 1 - i];
    listen_pid[n] = '\0';
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log.get(), 1);
    ::dup2(log.get(), 2);
    if (listener.get() == 3) {
      ::fcntl(3, F_SETFD, 0);
    } else {
      ::dup2(listener.get(), 3);
    }
    ::execvpe("qemu-nbd", argv.data(), envp.data());
    static const char kMissing[] = "qemu-nbd: cannot run qemu-nbd (is qemu-utils installed?)\n";
    [[maybe_unused]] ssize_t ignored = ::write(2, kMissing, sizeof kMissing - 1);
    ::_exit(127);
  }
  listener.Reset();

  auto fail = [&](std::string why) -> std::unexpected<std::string> {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    std::string said = ChildMessage(log.get());
    if (!said.empty()) why = said;
    return std::unexpected("qemu-nbd could not serve the " + qemu_format + " image: " + why);
  };

  nbd_handle* h = nbd_create();
  if (h == nullptr) return fail(NbdError());
  auto deadline = Clock::now() + timeout;
  if (nbd_aio_connect_unix(h, socket_path.c_str()) == -1) {
    std::string why = NbdError();
    nbd_close(h);
    return fail(why);
  }
  while (nbd_aio_is_connecting(h) == 1) {
    if (Clock::now() > deadline || CancelRequested()) {
      nbd_close(h);
      return fail("no answer within " + std::to_string(timeout.count()) + " ms");
    }
    if (nbd_poll(h, 100) == -1) break;
  }
  if (nbd_aio_is_ready(h) != 1) {
    std::string why = NbdError();
    nbd_close(h);
    return fail(why);
  }
  dir.Remove();  // connected: the socket's name is no longer needed
  int64_t size = nbd_get_size(h);
  if (size < 0) {
    std::string why = NbdError();
    nbd_close(h);
    return fail(why);
  }
  return std::make_shared<NbdDevice>(h, child, static_cast<uint64_t>(size), path, qemu_format);
}

NbdDevice::NbdDevice(nbd_handle* handle, pid_t child, uint64_t size, std::string path,
                     std::string format)
    : handle_(handle),
      child_(child),
      size_(size),
      path_(std::move(path)),
      format_(std::move(format)) {}

NbdDevice::~NbdDevice() {
  nbd_shutdown(handle_, 0);
  nbd_close(handle_);
  Reap(child_);
}

std::string NbdDevice::Describe() const { return format_ + " " + path_ + " through qemu-nbd"; }

std::expected<void, std::string> NbdDevice::ReadAt(uint64_t offset, std::span<char> out) const {
  if (offset > size_ || out.size() > size_ - offset) {
    return std::unexpected(PastEndMessage(*this, offset, out.size()));
  }
  std::lock_guard lock(mutex_);
  for (size_t done = 0; done < out.size();) {
    size_t n = std::min(kMaxRequest, out.size() - done);
    if (nbd_pread(handle_, out.data() + done, n, offset + done, 0) == -1) {
      return std::unexpected("read of " + std::to_string(n) + " bytes at " +
                             std::to_string(offset + done) + " of " + Describe() + ": " +
                             NbdError());
    }
    done += n;
  }
  return {};
}

}  // namespace imageprobe::images::native
