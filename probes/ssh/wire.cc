// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/wire.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <bit>

namespace imageprobe::probes::ssh {

namespace {

// sshbuf's SSHBUF_MAX_BIGNUM: 16384 bits.
constexpr size_t kMaxMpintBytes = 16384 / 8;

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// isspace(3) in the C locale, which is what b64_pton uses.
bool IsCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

bool WireReader::ReadU32(uint32_t& value) {
  if (data_.size() - pos_ < 4) return false;
  value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(data_[pos_ + i]);
  pos_ += 4;
  return true;
}

bool WireReader::ReadU64(uint64_t& value) {
  if (data_.size() - pos_ < 8) return false;
  value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(data_[pos_ + i]);
  pos_ += 8;
  return true;
}

bool WireReader::ReadString(std::string_view& value) {
  size_t start = pos_;
  uint32_t length = 0;
  if (!ReadU32(length)) return false;
  if (data_.size() - pos_ < length) {
    pos_ = start;
    return false;
  }
  value = data_.substr(pos_, length);
  pos_ += length;
  return true;
}

bool WireReader::ReadMpint(std::string_view& value) {
  size_t start = pos_;
  std::string_view raw;
  if (!ReadString(raw)) return false;
  bool negative = !raw.empty() && (static_cast<unsigned char>(raw[0]) & 0x80) != 0;
  bool too_large =
      raw.size() > kMaxMpintBytes + 1 || (raw.size() == kMaxMpintBytes + 1 && raw[0] != 0);
  if (negative || too_large) {
    pos_ = start;
    return false;
  }
  while (!raw.empty() && raw[0] == 0) raw.remove_prefix(1);
  value = raw;
  return true;
}

uint32_t BitLength(std::string_view big_endian) {
  while (!big_endian.empty() && big_endian[0] == 0) big_endian.remove_prefix(1);
  if (big_endian.empty()) return 0;
  auto top = static_cast<unsigned char>(big_endian[0]);
  return static_cast<uint32_t>((big_endian.size() - 1) * 8) +
         static_cast<uint32_t>(std::bit_width(static_cast<unsigned>(top)));
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  uint32_t accumulator = 0;
  int state = 0;  // characters seen in the current 4-character quantum
  size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (IsCSpace(c)) continue;
    if (c == '=') break;
    int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    accumulator = (accumulator << 6) | static_cast<uint32_t>(v);
    if (++state == 4) {
      out.push_back(static_cast<char>((accumulator >> 16) & 0xff));
      out.push_back(static_cast<char>((accumulator >> 8) & 0xff));
      out.push_back(static_cast<char>(accumulator & 0xff));
      accumulator = 0;
      state = 0;
    }
  }
  if (i == text.size()) {
    // No padding: b64_pton insists on whole quanta.
    if (state != 0) return std::nullopt;
    return out;
  }
  // Padding: "xx==" or "xxx=", then only whitespace.
  ++i;  // past the first '='
  if (state < 2) return std::nullopt;
  if (state == 2) {
    while (i < text.size() && IsCSpace(text[i])) ++i;
    if (i == text.size() || text[i] != '=') return std::nullopt;
    ++i;
  }
  for (; i < text.size(); ++i) {
    if (!IsCSpace(text[i])) return std::nullopt;
  }
  if (state == 2) {
    if ((accumulator & 0x0f) != 0) return std::nullopt;  // unused bits must be zero
    out.push_back(static_cast<char>((accumulator >> 4) & 0xff));
  } else {
    if ((accumulator & 0x03) != 0) return std::nullopt;
    out.push_back(static_cast<char>((accumulator >> 10) & 0xff));
    out.push_back(static_cast<char>((accumulator >> 2) & 0xff));
  }
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string Sha256Fingerprint(std::string_view blob) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  unsigned int length = 0;
  EVP_Digest(blob.data(), blob.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string encoded =
      EncodeBase64(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  return "SHA256:" + encoded;
}

}  // namespace imageprobe::probes::ssh
