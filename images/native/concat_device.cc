// SPDX-License-Identifier: Apache-2.0
#include "images/native/concat_device.h"

#include <algorithm>

namespace imageprobe::images::native {

ConcatDevice::ConcatDevice(std::shared_ptr<const BlockDevice> base, std::vector<Piece> pieces,
                           std::string description)
    : base_(std::move(base)), description_(std::move(description)) {
  for (const Piece& p : pieces) {
    if (p.length == 0) continue;
    pieces_.push_back(p);
    starts_.push_back(size_);
    size_ += p.length;
  }
}

std::expected<void, std::string> ConcatDevice::ReadAt(uint64_t offset, std::span<char> out) const {
  if (offset > size_ || out.size() > size_ - offset) {
    return std::unexpected(PastEndMessage(*this, offset, out.size()));
  }
  // The last piece starting at or before `offset`.
  size_t i = static_cast<size_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) -
                                 starts_.begin());
  while (!out.empty()) {
    const size_t index = i - 1;
    const uint64_t within = offset - starts_[index];
    const uint64_t n = std::min<uint64_t>(out.size(), pieces_[index].length - within);
    if (auto read = base_->ReadAt(pieces_[index].base_offset + within, out.first(n)); !read) {
      return read;
    }
    out = out.subspan(n);
    offset += n;
    ++i;
  }
  return {};
}

}  // namespace imageprobe::images::native
