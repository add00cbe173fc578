// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/private_tmpdir.h"

#include <stdlib.h>

#include <filesystem>

#include "scanner/core/cancel.h"

namespace imageprobe::cli {

PrivateTmpdir::PrivateTmpdir() {
  const char* tmpdir = ::getenv("TMPDIR");
  const bool tmpdir_set = tmpdir != nullptr && *tmpdir != '\0';
  std::string templ = std::string(tmpdir_set ? tmpdir : "/tmp") + "/imageprobe.XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) return;  // mode 0700
  path_ = templ;
  RegisterTempPath(path_);
  // libguestfs' default cache directory is $TMPDIR, else /var/tmp (guestfs_set_cachedir(3)).
  ::setenv("LIBGUESTFS_CACHEDIR", tmpdir_set ? tmpdir : "/var/tmp", /*overwrite=*/0);
  ::setenv("TMPDIR", path_.c_str(), 1);
}

PrivateTmpdir::~PrivateTmpdir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  UnregisterTempPath(path_);
}

}  // namespace imageprobe::cli
