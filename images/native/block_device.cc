// SPDX-License-Identifier: Apache-2.0
#include "images/native/block_device.h"

#include <cstring>

namespace imageprobe::images::native {
namespace {

bool InRange(uint64_t size, uint64_t offset, uint64_t length) {
  return offset <= size && length <= size - offset;
}

}  // namespace

std::string PastEndMessage(const BlockDevice& device, uint64_t offset, uint64_t length) {
  return "read of " + std::to_string(length) + " bytes at " + std::to_string(offset) +
         " past the end of " + device.Describe() + " (" + std::to_string(device.size()) + " bytes)";
}

std::expected<std::string, std::string> BlockDevice::Read(uint64_t offset, uint64_t length) const {
  if (!InRange(size(), offset, length))
    return std::unexpected(PastEndMessage(*this, offset, length));
  std::string out(length, '\0');
  if (auto read = ReadAt(offset, std::span<char>(out.data(), out.size())); !read) {
    return std::unexpected(read.error());
  }
  return out;
}

SliceDevice::SliceDevice(std::shared_ptr<const BlockDevice> base, uint64_t offset, uint64_t length,
                         std::string description)
    : base_(std::move(base)),
      offset_(offset),
      length_(length),
      description_(std::move(description)) {}

std::expected<void, std::string> SliceDevice::ReadAt(uint64_t offset, std::span<char> out) const {
  if (!InRange(length_, offset, out.size())) {
    return std::unexpected(PastEndMessage(*this, offset, out.size()));
  }
  return base_->ReadAt(offset_ + offset, out);
}

std::expected<void, std::string> MemoryDevice::ReadAt(uint64_t offset, std::span<char> out) const {
  if (!InRange(bytes_.size(), offset, out.size())) {
    return std::unexpected(PastEndMessage(*this, offset, out.size()));
  }
  if (!out.empty()) std::memcpy(out.data(), bytes_.data() + offset, out.size());
  return {};
}

}  // namespace imageprobe::images::native
