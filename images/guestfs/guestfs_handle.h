// SPDX-License-Identifier: Apache-2.0
// A libguestfs handle with RAII, errors captured as values instead of printed to stderr, and
// owners for the NULL-terminated string lists the C API returns.
#pragma once

#include <guestfs.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace imageprobe::images {

// A call into the appliance failed; what() is libguestfs' own message ("mount_ro: …").
class GuestfsCallError : public std::runtime_error {
 public:
  GuestfsCallError(std::string message, int error_number)
      : std::runtime_error(std::move(message)), errno_(error_number) {}
  int error_number() const { return errno_; }  // the guest-side errno, 0 when unknown

 private:
  int errno_;
};

class GuestfsHandle {
 public:
  // Creates a handle that reads LIBGUESTFS_* from the environment (so the user's settings are
  // respected) and keeps libguestfs from printing errors: callers read them with LastError().
  GuestfsHandle();
  ~GuestfsHandle();
  GuestfsHandle(const GuestfsHandle&) = delete;
  GuestfsHandle& operator=(const GuestfsHandle&) = delete;

  guestfs_h* get() const { return g_; }
  std::string LastError() const;
  int LastErrno() const;
  // Throws GuestfsCallError naming `what` when `rc` is -1.
  void Check(int rc, const char* what) const;

 private:
  guestfs_h* g_ = nullptr;
};

// Takes ownership of a char** returned by libguestfs (NULL-terminated, each string malloc'd).
// A null list (the call failed) gives an empty vector: check errors before converting.
std::vector<std::string> TakeStringList(char** list);
// Takes ownership of a malloc'd string; null gives "".
std::string TakeString(char* str);

}  // namespace imageprobe::images
