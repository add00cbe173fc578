// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/tree_fetcher.h"

#include "images/guestfs/tar_stream.h"

namespace imageprobe::images {

void TreeFetcher::ReadTreesFromRawImage(std::string image_path,
                                        std::vector<MountedFilesystem> mounts) {
  host_ext4_.emplace(handle_, trace_, std::move(image_path), std::move(mounts));
}

ArchiveLimits TreeFetcher::TreeLimits() const {
  ArchiveLimits limits;
  limits.max_inline_file_bytes = kMaxInlineFileBytes;
  limits.max_inline_total_bytes = budget_.remaining();
  return limits;
}

void TreeFetcher::Charge(const ArchiveIndex& index) {
  budget_.Take(index.inline_bytes());
  fetched_bytes_ += index.inline_bytes();
}

std::expected<std::shared_ptr<ArchiveIndex>, std::string> TreeFetcher::Streamed(
    const std::string& dir, const std::vector<std::string>& excludes) {
  auto index = StreamTarOut(handle_, trace_, dir, excludes, TreeLimits(), kMaxTreeStreamBytes);
  if (index) Charge(**index);
  return index;
}

std::expected<std::shared_ptr<ArchiveIndex>, std::string> TreeFetcher::Whole(
    const std::string& dir, std::vector<std::string>& problems) {
  if (host_ext4_) {
    std::string why;
    if (auto index = host_ext4_->Read(dir, TreeLimits(), why)) {
      Charge(*index);
      return index;
    }
    if (!why.empty()) problems.push_back(why);
  }
  return Streamed(dir, {});
}

}  // namespace imageprobe::images
