// SPDX-License-Identifier: Apache-2.0
// The SSH wire encoding (RFC 4251 §5: uint32, uint64, string, mpint) read from untrusted bytes,
// plus the two encodings around it: OpenBSD's b64_pton (what sshd uses to decode the key blob of
// an authorized_keys line) and the "SHA256:" fingerprint ssh-keygen prints.
//
// References: RFC 4251 §5; OpenSSH sshbuf-getput-basic.c, sshbuf-getput-crypto.c (mpint rules),
// openbsd-compat/base64.c (b64_pton), sshkey.c fingerprint_b64.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imageprobe::probes::ssh {

// Reads big-endian SSH wire fields from a byte string. Every Read* returns false (and consumes
// nothing) when the data is short; a length prefix can never make it read past the end.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool ReadU32(uint32_t& value);
  bool ReadU64(uint64_t& value);
  bool ReadString(std::string_view& value);  // uint32 length + bytes
  // An mpint as OpenSSH accepts it: not negative, at most 16384 bits. `value` keeps the bytes
  // without leading zeros.
  bool ReadMpint(std::string_view& value);

  bool empty() const { return pos_ == data_.size(); }
  size_t offset() const { return pos_; }
  std::string_view data() const { return data_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// Number of significant bits of an unsigned big-endian integer (BN_num_bits).
uint32_t BitLength(std::string_view big_endian);

// Standard base64 decoded the way OpenBSD's b64_pton does: whitespace anywhere is skipped, the
// padding must be complete and the bits it leaves unused must be zero. nullopt when invalid.
std::optional<std::string> DecodeBase64(std::string_view text);

// Standard base64 with padding.
std::string EncodeBase64(std::string_view bytes);

// "SHA256:" + unpadded base64 of SHA-256(blob), exactly as `ssh-keygen -l` prints it.
std::string Sha256Fingerprint(std::string_view blob);

}  // namespace imageprobe::probes::ssh
