// SPDX-License-Identifier: Apache-2.0
// Pieces of one device laid end to end: an LVM logical volume is the extent ranges of its
// segments, in LV order, each somewhere on the PV. A read that spans pieces is split at their
// boundaries.
#pragma once

#include <memory>
#include <vector>

#include "images/native/block_device.h"

namespace imageprobe::images::native {

class ConcatDevice final : public BlockDevice {
 public:
  struct Piece {
    uint64_t base_offset = 0;  // where the piece starts on the base device
    uint64_t length = 0;
  };
  // Every piece must lie inside `base` (the caller checked); empty pieces are dropped.
  ConcatDevice(std::shared_ptr<const BlockDevice> base, std::vector<Piece> pieces,
               std::string description);
  uint64_t size() const override { return size_; }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override;
  std::string Describe() const override { return description_; }

 private:
  std::shared_ptr<const BlockDevice> base_;
  std::vector<Piece> pieces_;
  std::vector<uint64_t> starts_;  // logical offset of each piece
  uint64_t size_ = 0;
  std::string description_;
};

}  // namespace imageprobe::images::native
