// SPDX-License-Identifier: Apache-2.0
// SSH public key and certificate blobs in wire format (RFC 4251 strings and mpints,
// PROTOCOL.certkeys): the binary half of an authorized_keys line, fuzzed directly so the
// fuzzer does not have to get base64 right first. Also b64_pton-style base64 decoding.
#include <cstddef>
#include <cstdint>

#include "probes/ssh/public_key.h"
#include "probes/ssh/wire.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes::ssh;
  std::string_view bytes = imageprobe::fuzz::AsText(data, size);
  auto key = DecodePublicKeyBlob(bytes);
  if (key) {
    imageprobe::fuzz::Require(
        key->type != nullptr && key->fingerprint == Sha256Fingerprint(key->plain_blob),
        "a decoded key has a type and the fingerprint of its plain blob");
  }
  if (auto decoded = DecodeBase64(bytes)) {
    // What decodes re-encodes to the canonical form, which decodes to the same bytes.
    imageprobe::fuzz::Require(DecodeBase64(EncodeBase64(*decoded)) == decoded, "base64 round trip");
    DecodePublicKeyBlob(*decoded);
  }
  return 0;
}
