// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/call_trace.h"

#include <cstdio>

#include "scanner/core/trace.h"

namespace imageprobe::images {

CallTrace::CallTrace(std::string description)
    : description_(std::move(description)), printing_(TraceEnabled()) {}

CallTrace::~CallTrace() {
  if (!printing_) return;
  uint64_t total = 0;
  double seconds = 0;
  for (const auto& [name, stat] : calls_) {
    std::fprintf(stderr, "guestfs calls on %s: %-12s %6llu  %.3f s\n", description_.c_str(),
                 name.c_str(), static_cast<unsigned long long>(stat.count), stat.seconds);
    total += stat.count;
    seconds += stat.seconds;
  }
  std::fprintf(stderr, "guestfs calls on %s: %-12s %6llu  %.3f s\n", description_.c_str(), "total",
               static_cast<unsigned long long>(total), seconds);
}

CallTrace::Scope::Scope(CallTrace& trace, const char* name, std::string_view path)
    : trace_(trace), name_(name), path_(path), start_(std::chrono::steady_clock::now()) {}

CallTrace::Scope::~Scope() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  CallStat& stat = trace_.calls_[name_];
  ++stat.count;
  stat.seconds += seconds;
  if (trace_.printing_) {
    std::fprintf(stderr, "guestfs: %s %.*s %.1f ms\n", name_, static_cast<int>(path_.size()),
                 path_.data(), seconds * 1000);
  }
}

std::map<std::string, uint64_t> CallTrace::counts() const {
  std::map<std::string, uint64_t> out;
  for (const auto& [name, stat] : calls_) out[name] = stat.count;
  return out;
}

}  // namespace imageprobe::images
