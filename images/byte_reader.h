// SPDX-License-Identifier: Apache-2.0
// Bounds-checked little/big-endian field reads from untrusted bytes. A field that does not fit
// in the buffer reads as 0, so header parsers never index past what was read.
#pragma once

#include <cstdint>
#include <string_view>

namespace imageprobe::images {

inline uint64_t ReadLe(std::string_view data, size_t offset, size_t width) {
  if (offset > data.size() || data.size() - offset < width) return 0;
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value |= static_cast<uint64_t>(static_cast<unsigned char>(data[offset + i])) << (8 * i);
  }
  return value;
}

inline uint64_t ReadBe(std::string_view data, size_t offset, size_t width) {
  if (offset > data.size() || data.size() - offset < width) return 0;
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value = (value << 8) | static_cast<unsigned char>(data[offset + i]);
  }
  return value;
}

inline uint16_t Le16(std::string_view d, size_t o) {
  return static_cast<uint16_t>(ReadLe(d, o, 2));
}
inline uint32_t Le32(std::string_view d, size_t o) {
  return static_cast<uint32_t>(ReadLe(d, o, 4));
}
inline uint64_t Le64(std::string_view d, size_t o) { return ReadLe(d, o, 8); }
inline uint32_t Be32(std::string_view d, size_t o) {
  return static_cast<uint32_t>(ReadBe(d, o, 4));
}
inline uint64_t Be64(std::string_view d, size_t o) { return ReadBe(d, o, 8); }

// True when `data` holds `magic` at `offset`.
inline bool HasAt(std::string_view data, size_t offset, std::string_view magic) {
  return offset <= data.size() && data.substr(offset).starts_with(magic);
}

}  // namespace imageprobe::images
