// SPDX-License-Identifier: Apache-2.0
#include "images/native/file_device.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace imageprobe::images::native {

std::expected<std::shared_ptr<FileDevice>, std::string> FileDevice::Open(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::unexpected("cannot open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return std::unexpected("cannot stat " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return std::unexpected(path + " is not a regular file");
  return std::make_shared<FileDevice>(std::move(fd), static_cast<uint64_t>(st.st_size), path);
}

std::expected<void, std::string> FileDevice::ReadAt(uint64_t offset, std::span<char> out) const {
  if (offset > size_ || out.size() > size_ - offset) {
    return std::unexpected(PastEndMessage(*this, offset, out.size()));
  }
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd_.get(), out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return std::unexpected("read of " + std::to_string(out.size()) + " bytes at " +
                             std::to_string(offset) + " of " + path_ + ": " + std::strerror(errno));
    }
    // The file shrank since it was opened: what is missing is not zeros, it is gone.
    if (n == 0) return std::unexpected(path_ + " shrank while it was read");
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace imageprobe::images::native
