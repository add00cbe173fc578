// SPDX-License-Identifier: Apache-2.0
// guestfs_open: opens one image through the guestfs backend, mounts every root with the given
// prefetch patterns, reads /etc/os-release through the Filesystem and prints timings. A dev and
// benchmark tool (tools/bench), not part of the scanner.
//
//   guestfs_open QEMU_FORMAT IMAGE [PREFETCH_PATTERN...]
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "images/guestfs/guestfs_image.h"

using imageprobe::ImageInfo;
using imageprobe::images::Detection;
using imageprobe::images::OpenGuestfsImage;
using imageprobe::images::OpenOptions;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: guestfs_open QEMU_FORMAT IMAGE [PREFETCH_PATTERN...]\n";
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  Detection detection{imageprobe::images::Format::kRawDisk, argv[1], "", argv[1]};
  ImageInfo info{argv[2], argv[1], "", 0, ""};
  OpenOptions options;
  options.progress = [](std::string_view msg) { std::cerr << "guestfs_open: " << msg << "\n"; };
  std::vector<std::string> prefetch(argv + 3, argv + argc);
  try {
    auto image = OpenGuestfsImage(argv[2], detection, info, options);
    std::cout << "backend\t" << image->info().backend << "\n";
    for (const auto& d : image->diagnostics()) {
      std::cout << "image-diagnostic\t" << d.path << "\t" << d.message << "\n";
    }
    for (size_t i = 0; i < image->roots().size(); ++i) {
      const auto& root = image->roots()[i];
      std::cout << "root\t" << root.name << "\t" << root.description << "\n";
      auto mounted = image->Mount(i, prefetch);
      if (!mounted) {
        std::cout << "mount-error\t" << mounted.error() << "\n";
        continue;
      }
      for (const auto& d : mounted->diagnostics) {
        std::cout << "root-diagnostic\t" << d.path << "\t" << d.message << "\n";
      }
      auto release = mounted->fs->ReadFile("/etc/os-release", 1 << 16);
      if (release) {
        for (size_t pos = 0; pos < release->size();) {
          size_t nl = release->find('\n', pos);
          std::string line = release->substr(pos, nl - pos);
          if (line.starts_with("PRETTY_NAME=")) std::cout << "os-release\t" << line << "\n";
          pos = nl == std::string::npos ? release->size() : nl + 1;
        }
      } else {
        std::cout << "os-release\t" << release.error().Message() << "\n";
      }
    }
    for (const auto& t : image->timings()) {
      std::printf("timing\t%s\t%.3f\n", t.stage.c_str(), t.seconds);
    }
  } catch (const imageprobe::ImageError& e) {
    std::cerr << "guestfs_open: " << argv[2] << ": " << e.what() << "\n";
    return 2;
  }
  std::printf("timing\ttotal\t%.3f\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}
