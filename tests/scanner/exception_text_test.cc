// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/exception_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace imageprobe {
namespace {

TEST(ExceptionInOurWords, NoLibraryTextReachesTheUser) {
  EXPECT_EQ(ExceptionInOurWords(std::bad_alloc()), "out of memory");
  try {
    (void)std::string("abc").substr(5);
  } catch (const std::exception& e) {
    EXPECT_EQ(ExceptionInOurWords(e), "internal error (a bug in imageprobe): index out of range");
  }
  try {
    (void)nlohmann::json(1).get<std::string>();
  } catch (const std::exception& e) {
    EXPECT_EQ(ExceptionInOurWords(e),
              "internal error reading JSON: expected a string, found a number");
  }
  EXPECT_EQ(ExceptionInOurWords(std::runtime_error("yaml-cpp: error at line 2, column 3: bad")),
            "invalid YAML: error at line 2, column 3: bad");
  EXPECT_EQ(ExceptionInOurWords(std::runtime_error("disk.qcow2: not a disk image")),
            "disk.qcow2: not a disk image");
}

}  // namespace
}  // namespace imageprobe
