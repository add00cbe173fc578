// SPDX-License-Identifier: Apache-2.0
// The native engine's layers (container → volume → filesystem) are each a read-at-offset
// device stacked on the one below: a raw file, a qemu-nbd export of a qcow2/VMDK/VHD, a
// partition or LVM volume inside either. Every layer answers the same two questions, so a
// filesystem reader neither knows nor cares what it sits on.
//
// Contract: ReadAt fills exactly `out.size()` bytes or fails; a range past size() is an error,
// never zeros. Devices are read-only by construction: there is no write.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace imageprobe::images::native {

class BlockDevice {
 public:
  virtual ~BlockDevice() = default;
  virtual uint64_t size() const = 0;
  // Errors are one line: "read of 4096 bytes at 1048576: Input/output error".
  virtual std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const = 0;
  // For messages: "raw disk.img", "qcow2 disk.qcow2 through qemu-nbd", "partition 2 of …".
  virtual std::string Describe() const = 0;

  // Convenience: `length` bytes at `offset` as a string.
  std::expected<std::string, std::string> Read(uint64_t offset, uint64_t length) const;
};

// Where a disk lies inside its file: a member of an OVA (tar members are contiguous).
struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// A window [offset, offset + length) of another device: a partition, an OVA member, one LVM
// segment. The window is clamped to nothing: it must lie inside `base`.
class SliceDevice final : public BlockDevice {
 public:
  SliceDevice(std::shared_ptr<const BlockDevice> base, uint64_t offset, uint64_t length,
              std::string description);
  uint64_t size() const override { return length_; }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override;
  std::string Describe() const override { return description_; }

 private:
  std::shared_ptr<const BlockDevice> base_;
  uint64_t offset_;
  uint64_t length_;
  std::string description_;
};

// Bytes held in memory: unit tests and fuzz targets.
class MemoryDevice final : public BlockDevice {
 public:
  explicit MemoryDevice(std::string bytes, std::string description = "memory")
      : bytes_(std::move(bytes)), description_(std::move(description)) {}
  uint64_t size() const override { return bytes_.size(); }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override;
  std::string Describe() const override { return description_; }

 private:
  std::string bytes_;
  std::string description_;
};

// "read of N bytes at OFFSET past the end of DEVICE (SIZE bytes)": the one wording for it.
std::string PastEndMessage(const BlockDevice& device, uint64_t offset, uint64_t length);

}  // namespace imageprobe::images::native
