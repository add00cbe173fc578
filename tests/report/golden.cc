// SPDX-License-Identifier: Apache-2.0
#include "tests/report/golden.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace imageprobe::testing {

void ExpectGolden(std::string_view name, const std::string& actual) {
  std::string path = std::string(IMAGEPROBE_SOURCE_DIR) + "/tests/golden/" + std::string(name);
  if (const char* update = std::getenv("IMAGEPROBE_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "updated " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run tools/update-golden)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str())
      << "differs from " << path << "; if the change is intended, run tools/update-golden";
}

}  // namespace imageprobe::testing
