// SPDX-License-Identifier: Apache-2.0
#include "images/archive_image.h"

#include <sys/stat.h>

#include <chrono>

#include "images/archive_fs.h"
#include "images/archive_index.h"

namespace imageprobe::images {
namespace {

class ArchiveImage final : public Image {
 public:
  ArchiveImage(std::shared_ptr<const ArchiveIndex> index, ImageInfo info, double index_seconds)
      : index_(std::move(index)), info_(std::move(info)) {
    roots_.push_back({"/", "archive " + info_.path});
    timings_.push_back({"index", index_seconds});
  }

  const ImageInfo& info() const override { return info_; }
  const std::vector<RootInfo>& roots() const override { return roots_; }
  const std::vector<Diagnostic>& diagnostics() const override { return diagnostics_; }
  const std::vector<StageTiming>& timings() const override { return timings_; }

  std::expected<MountedRoot, std::string> Mount(size_t index,
                                                std::span<const std::string>) override {
    if (index != 0) return std::unexpected("no root #" + std::to_string(index));
    MountedRoot mounted;
    mounted.fs = std::make_unique<ArchiveFs>(index_, "archive " + info_.path);
    // Members that could not be placed are missing from the tree: the root is partial.
    for (const auto& problem : index_->problems()) {
      mounted.diagnostics.push_back({"image", "", problem});
    }
    return mounted;
  }

 private:
  std::shared_ptr<const ArchiveIndex> index_;
  ImageInfo info_;
  std::vector<RootInfo> roots_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<StageTiming> timings_;
};

}  // namespace

std::unique_ptr<Image> OpenArchiveImage(const std::string& path, const Detection& detection) {
  auto start = std::chrono::steady_clock::now();
  auto index = ArchiveIndex::FromFile(path);
  if (!index) throw ImageError(path + ": " + index.error());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  struct stat st {};
  ::stat(path.c_str(), &st);
  ImageInfo info{.path = path,
                 .format = detection.name,
                 .format_detail = detection.detail,
                 .size = static_cast<uint64_t>(st.st_size),
                 .backend = "archive"};
  return std::make_unique<ArchiveImage>(std::make_shared<const ArchiveIndex>(std::move(*index)),
                                        std::move(info), seconds);
}

}  // namespace imageprobe::images
