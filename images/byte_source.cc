// SPDX-License-Identifier: Apache-2.0
#include "images/byte_source.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace imageprobe::images {

std::expected<std::string, std::string> FileSource::Read(uint64_t offset, uint64_t length) const {
  if (offset >= size_) return std::string();
  length = std::min(length, size_ - offset);
  std::string data(length, '\0');
  size_t done = 0;
  while (done < length) {
    ssize_t n =
        ::pread(fd_, data.data() + done, length - done, static_cast<off_t>(base_ + offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::unexpected(std::string("read error: ") + std::strerror(errno));
    if (n == 0) break;  // the file shrank under us
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

}  // namespace imageprobe::images
