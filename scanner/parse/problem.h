// SPDX-License-Identifier: Apache-2.0
// What every line parser here returns besides its entries: the lines it skipped and why, by line
// number, so that a caller can report them as diagnostics and carry on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imageprobe::parse {

struct ParseProblem {
  uint32_t line = 0;
  std::string message;
};

template <class T>
struct Parsed {
  std::vector<T> entries;
  std::vector<ParseProblem> problems;  // malformed lines, skipped
};

}  // namespace imageprobe::parse
