// SPDX-License-Identifier: Apache-2.0
#include "images/native/crc32c.h"

#include <array>
#include <string>

#include "images/byte_reader.h"

namespace imageprobe::images::native {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78;  // reflected Castagnoli polynomial

constexpr std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kTable = MakeTable();

uint32_t Update(uint32_t crc, std::string_view bytes) {
  for (unsigned char b : bytes) crc = kTable[(crc ^ b) & 0xff] ^ (crc >> 8);
  return crc;
}

}  // namespace

uint32_t Crc32c(std::string_view bytes) { return ~Update(~0u, bytes); }

bool XfsChecksumMatches(std::string_view block, size_t crc_offset) {
  if (crc_offset > block.size() || block.size() - crc_offset < 4) return false;
  uint32_t crc = Update(~0u, block.substr(0, crc_offset));
  crc = Update(crc, std::string_view("\0\0\0\0", 4));
  crc = ~Update(crc, block.substr(crc_offset + 4));
  return crc == Le32(block, crc_offset);
}

}  // namespace imageprobe::images::native
