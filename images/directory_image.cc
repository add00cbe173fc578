// SPDX-License-Identifier: Apache-2.0
#include "images/directory_image.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "images/directory_fs.h"
#include "images/unique_fd.h"

namespace imageprobe::images {
namespace {

class DirectoryImage final : public Image {
 public:
  DirectoryImage(UniqueFd root, const std::string& path) : root_(std::move(root)) {
    info_ = {.path = path,
             .format = "directory",
             .format_detail = "",
             .size = 0,
             .backend = "directory"};
    roots_.push_back({"/", "directory " + path});
  }

  const ImageInfo& info() const override { return info_; }
  const std::vector<RootInfo>& roots() const override { return roots_; }
  const std::vector<Diagnostic>& diagnostics() const override { return diagnostics_; }
  const std::vector<StageTiming>& timings() const override { return timings_; }

  std::expected<MountedRoot, std::string> Mount(size_t index,
                                                std::span<const std::string>) override {
    if (index != 0) return std::unexpected("no root #" + std::to_string(index));
    auto start = std::chrono::steady_clock::now();
    // Each mount gets its own descriptor of the same directory opened at OpenDirectoryImage
    // time, so a path swapped on the host afterwards changes nothing.
    UniqueFd fd(::fcntl(root_.get(), F_DUPFD_CLOEXEC, 0));
    if (!fd.valid()) return std::unexpected(std::string("dup: ") + std::strerror(errno));
    MountedRoot mounted;
    mounted.fs = std::make_unique<DirectoryFs>(std::move(fd), info_.path);
    timings_.push_back(
        {"mount", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
    return mounted;
  }

 private:
  UniqueFd root_;
  ImageInfo info_;
  std::vector<RootInfo> roots_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<StageTiming> timings_;
};

}  // namespace

std::unique_ptr<Image> OpenDirectoryImage(const std::string& path) {
  UniqueFd root(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) throw ImageError(path + ": " + std::strerror(errno));
  // O_PATH opens a directory we may not list; find out now rather than at the first probe.
  UniqueFd probe(::openat(root.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!probe.valid()) throw ImageError(path + ": " + std::strerror(errno));
  return std::make_unique<DirectoryImage>(std::move(root), path);
}

}  // namespace imageprobe::images
