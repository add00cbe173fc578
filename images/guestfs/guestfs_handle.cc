// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/guestfs_handle.h"

#include <cstdlib>

#include "images/guestfs/guestfs_library.h"
#include "scanner/core/image.h"

namespace imageprobe::images {

GuestfsHandle::GuestfsHandle() {
  if (auto problem = GuestfsLibraryProblem()) throw ImageError(GuestfsLibraryAdvice(*problem));
  g_ = guestfs_create();
  if (g_ == nullptr) throw std::runtime_error("could not create a libguestfs handle");
  // Errors become values: without this, libguestfs prints every failed call (including the
  // expected ones, like mount_ro on a filesystem that is not a root) to stderr.
  guestfs_set_error_handler(g_, nullptr, nullptr);
}

GuestfsHandle::~GuestfsHandle() {
  if (g_ != nullptr) guestfs_close(g_);  // also kills and reaps the appliance
}

std::string GuestfsHandle::LastError() const {
  const char* msg = guestfs_last_error(g_);
  return msg != nullptr ? std::string(msg) : std::string("unknown libguestfs error");
}

int GuestfsHandle::LastErrno() const { return guestfs_last_errno(g_); }

void GuestfsHandle::Check(int rc, const char* what) const {
  if (rc == -1) throw GuestfsCallError(std::string(what) + ": " + LastError(), LastErrno());
}

std::vector<std::string> TakeStringList(char** list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  for (char** p = list; *p != nullptr; ++p) {
    out.emplace_back(*p);
    free(*p);
  }
  free(list);
  return out;
}

std::string TakeString(char* str) {
  if (str == nullptr) return {};
  std::string out(str);
  free(str);
  return out;
}

}  // namespace imageprobe::images
