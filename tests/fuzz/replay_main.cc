// SPDX-License-Identifier: Apache-2.0
// A main for fuzz targets built without libFuzzer (the ordinary GCC build): every file named on
// the command line, and every file under a directory named there, is passed once to
// LLVMFuzzerTestOneInput. ctest runs each target this way over its seed corpus and regression
// inputs, so a crash found by fuzzing stays fixed in every build. A path that does not exist is
// skipped (a target may have no regression inputs yet); no input at all is a failure.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::filesystem::path> InputsUnder(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> inputs;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
      if (entry.is_regular_file()) inputs.push_back(entry.path());
    }
    std::sort(inputs.begin(), inputs.end());
  } else if (std::filesystem::is_regular_file(path, ec)) {
    inputs.push_back(path);
  } else {
    std::fprintf(stderr, "skipping %s: not found\n", path.c_str());
  }
  return inputs;
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = 0;
  double slowest_seconds = 0;
  std::string slowest;
  for (int i = 1; i < argc; ++i) {
    for (const auto& input : InputsUnder(argv[i])) {
      std::ifstream in(input, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) {
        std::fprintf(stderr, "cannot read %s\n", input.c_str());
        return 1;
      }
      // Printed before the call so that a crash names its input.
      std::fprintf(stderr, "running %s (%zu bytes)\n", input.c_str(), bytes.size());
      auto start = std::chrono::steady_clock::now();
      // A copy in its own allocation, as libFuzzer does, so ASan sees reads past the end.
      std::vector<uint8_t> data(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(data.data(), data.size());
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (seconds > slowest_seconds) {
        slowest_seconds = seconds;
        slowest = input.string();
      }
      ++count;
    }
  }
  if (count == 0) {
    std::fprintf(stderr, "no input found\n");
    return 1;
  }
  std::printf("%zu inputs passed; slowest %.3f s (%s)\n", count, slowest_seconds, slowest.c_str());
  return 0;
}
