// SPDX-License-Identifier: Apache-2.0
// /etc/shadow: password field states and schemes, expiry days.
#include <cstddef>
#include <cstdint>

#include "scanner/parse/shadow.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::parse;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  ParseShadow(text);
  PasswordStateName(ClassifyPasswordField(text).state);
  return 0;
}
