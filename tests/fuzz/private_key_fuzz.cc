// SPDX-License-Identifier: Apache-2.0
// Private key files: openssh-key-v1 containers, PEM (with Proc-Type/DEK-Info), PKCS#8 and
// PuTTY .ppk, recognised and classified without keeping key material.
#include <cstddef>
#include <cstdint>

#include "probes/ssh/private_key.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto info = imageprobe::probes::ssh::ClassifyPrivateKey(imageprobe::fuzz::AsText(data, size));
  if (info && *info) {
    nlohmann::json j;
    to_json(j, **info);
    (void)j.dump();
  }
  return 0;
}
