// SPDX-License-Identifier: Apache-2.0
// The container layer for raw images: the input file read with pread, opened O_RDONLY.
#pragma once

#include <memory>
#include <string>

#include "images/native/block_device.h"
#include "images/unique_fd.h"

namespace imageprobe::images::native {

class FileDevice final : public BlockDevice {
 public:
  // Fails with "cannot open …: reason" when the file cannot be opened read-only.
  static std::expected<std::shared_ptr<FileDevice>, std::string> Open(const std::string& path);

  FileDevice(UniqueFd fd, uint64_t size, std::string path)
      : fd_(std::move(fd)), size_(size), path_(std::move(path)) {}
  uint64_t size() const override { return size_; }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override;
  std::string Describe() const override { return "raw " + path_; }

 private:
  UniqueFd fd_;
  uint64_t size_;
  std::string path_;
};

}  // namespace imageprobe::images::native
