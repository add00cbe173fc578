// SPDX-License-Identifier: Apache-2.0
// Random access to the input's bytes for the structural checks, so those checks are pure
// functions of the bytes (MemorySource in tests, FileSource on the real input).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace imageprobe::images {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Up to `length` bytes at `offset`: fewer only at the end of the input.
  virtual std::expected<std::string, std::string> Read(uint64_t offset, uint64_t length) const = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  uint64_t size() const override { return data_.size(); }
  std::expected<std::string, std::string> Read(uint64_t offset, uint64_t length) const override {
    if (offset >= data_.size()) return std::string();
    return std::string(data_.substr(offset, length));
  }

 private:
  std::string_view data_;
};

// A read-only descriptor of the input (not owned), or the window [base, base + size) of it (a
// disk stored inside an OVA).
class FileSource final : public ByteSource {
 public:
  FileSource(int fd, uint64_t size, uint64_t base = 0) : fd_(fd), size_(size), base_(base) {}
  uint64_t size() const override { return size_; }
  std::expected<std::string, std::string> Read(uint64_t offset, uint64_t length) const override;

 private:
  int fd_;
  uint64_t size_;
  uint64_t base_;
};

}  // namespace imageprobe::images
