// SPDX-License-Identifier: Apache-2.0
// The count and time of every appliance call one GuestfsFs makes, by call name ("readdir",
// "tar_out", and "host_ext4_read" for the host reads that stand in for appliance calls). Tests
// read the counts to prove that a prefetched tree costs no further round trips; under
// IMAGEPROBE_TRACE=1 (scanner/core/trace.h) each call is printed to stderr as it ends (name, path,
// duration) and a summary per call name when the trace goes.
//
// Not synchronised: the view that owns it serialises every call (one call at a time per handle).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace imageprobe::images {

class CallTrace {
 public:
  explicit CallTrace(std::string description);
  ~CallTrace();  // the summary, when tracing
  CallTrace(const CallTrace&) = delete;
  CallTrace& operator=(const CallTrace&) = delete;

  // One call, timed from construction to destruction.
  class Scope {
   public:
    Scope(CallTrace& trace, const char* name, std::string_view path);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    CallTrace& trace_;
    const char* name_;
    std::string_view path_;
    std::chrono::steady_clock::time_point start_;
  };

  std::map<std::string, uint64_t> counts() const;

 private:
  struct CallStat {
    uint64_t count = 0;
    double seconds = 0;
  };

  std::string description_;
  bool printing_;
  std::map<std::string, CallStat> calls_;
};

}  // namespace imageprobe::images
