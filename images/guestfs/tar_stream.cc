// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/tar_stream.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

#include "images/unique_fd.h"

namespace imageprobe::images {
namespace {

// SIGPIPE blocked in this thread for the scope: a tar_out whose reader stopped reading fails
// with EPIPE (libguestfs then cancels the transfer) instead of killing the process. A SIGPIPE
// raised meanwhile is consumed before the old mask comes back.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlocked() {
    if (sigismember(&old_, SIGPIPE)) return;
    struct timespec zero {};
    while (sigtimedwait(&pipe_, nullptr, &zero) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_{}, old_{};
};

}  // namespace

std::string TarExclude(std::string_view relative) {
  std::string out = "./";
  for (char c : relative) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::expected<std::shared_ptr<ArchiveIndex>, std::string> StreamTarOut(
    GuestfsHandle& handle, CallTrace& trace, const std::string& dir,
    const std::vector<std::string>& excludes, ArchiveLimits limits, uint64_t max_stream_bytes) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return std::unexpected(std::string("pipe2 failed"));
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  auto index = std::make_shared<ArchiveIndex>(limits);

  // The reader indexes the stream as it comes, then drains the tar's end padding. It stops
  // reading only when the stream is over budget or corrupt: closing its end makes the
  // appliance's side fail with EPIPE, and libguestfs cancels the transfer.
  std::expected<void, std::string> parsed;
  std::thread reader([&] {
    parsed = index->AddFromFd(read_end.get(), dir, max_stream_bytes);
    if (parsed) {
      char sink[4096];
      while (::read(read_end.get(), sink, sizeof sink) > 0) {
      }
    }
    read_end.Reset();
  });

  std::vector<char*> argv;
  for (const auto& e : excludes) argv.push_back(const_cast<char*>(e.c_str()));
  argv.push_back(nullptr);
  std::string target = "/proc/self/fd/" + std::to_string(write_end.get());
  int rc;
  {
    SigpipeBlocked no_sigpipe;
    CallTrace::Scope call(trace, "tar_out", dir);
    rc = excludes.empty() ? guestfs_tar_out_opts(handle.get(), dir.c_str(), target.c_str(),
                                                 GUESTFS_TAR_OUT_OPTS_NUMERICOWNER, 1, -1)
                          : guestfs_tar_out_opts(handle.get(), dir.c_str(), target.c_str(),
                                                 GUESTFS_TAR_OUT_OPTS_NUMERICOWNER, 1,
                                                 GUESTFS_TAR_OUT_OPTS_EXCLUDES, argv.data(), -1);
  }
  std::string call_error = rc == -1 ? handle.LastError() : "";
  write_end.Reset();  // with libguestfs' own descriptor closed, the reader sees the end
  reader.join();
  if (!parsed) return std::unexpected(dir + ": " + parsed.error());
  if (rc == -1) return std::unexpected(dir + ": tar_out failed: " + call_error);
  const auto* root = index->Find(dir);
  if (root == nullptr || !root->stat.IsDirectory()) {
    return std::unexpected(dir + ": the appliance's tar stream has no top directory");
  }
  return index;
}

}  // namespace imageprobe::images
