// SPDX-License-Identifier: Apache-2.0
// OpenImage: detect by content, then hand the input to the backend that reads it. Every error
// is one line that starts with the input path (the CLI prints it as is and exits 2).
#include "images/open.h"

#include <sys/stat.h>

#include <chrono>

#include "images/archive_image.h"
#include "images/directory_image.h"
#include "images/format.h"
#include "images/guestfs_image.h"
#include "images/native/native_image.h"
#include "images/ova.h"

namespace imageprobe::images {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The opened backend plus what was done before it (detection, OVA extraction): their timings
// come first, and an extracted OVA disk lives exactly as long as the image reading it.
class PreludedImage final : public Image {
 public:
  PreludedImage(std::unique_ptr<ExtractedDisk> disk, std::unique_ptr<Image> inner,
                std::vector<StageTiming> prelude)
      : disk_(std::move(disk)), inner_(std::move(inner)), timings_(std::move(prelude)) {}

  const ImageInfo& info() const override { return inner_->info(); }
  const std::vector<RootInfo>& roots() const override { return inner_->roots(); }
  const std::vector<Diagnostic>& diagnostics() const override { return inner_->diagnostics(); }
  const std::vector<StageTiming>& timings() const override {
    merged_ = timings_;
    const auto& inner = inner_->timings();
    merged_.insert(merged_.end(), inner.begin(), inner.end());
    return merged_;
  }
  std::expected<MountedRoot, std::string> Mount(size_t index,
                                                std::span<const std::string> prefetch) override {
    return inner_->Mount(index, prefetch);
  }

 private:
  std::unique_ptr<ExtractedDisk> disk_;  // declared first: destroyed after inner_
  std::unique_ptr<Image> inner_;
  std::vector<StageTiming> timings_;
  mutable std::vector<StageTiming> merged_;
};

// A libguestfs image opened because the native engine declined: the same, with the reason
// added to its backend so that the report says why the scan needed a VM.
class FallbackImage final : public Image {
 public:
  FallbackImage(std::unique_ptr<Image> inner, const std::string& reason)
      : inner_(std::move(inner)), info_(inner_->info()) {
    info_.backend += "; native engine: " + reason;
  }
  const ImageInfo& info() const override { return info_; }
  const std::vector<RootInfo>& roots() const override { return inner_->roots(); }
  const std::vector<Diagnostic>& diagnostics() const override { return inner_->diagnostics(); }
  const std::vector<StageTiming>& timings() const override { return inner_->timings(); }
  std::expected<MountedRoot, std::string> Mount(size_t index,
                                                std::span<const std::string> prefetch) override {
    return inner_->Mount(index, prefetch);
  }

 private:
  std::unique_ptr<Image> inner_;
  ImageInfo info_;
};

// Disk formats (raw, VMDK, qcow2, VHD, VHDX, VDI): the one place that picks the engine.
std::unique_ptr<Image> OpenDiskImage(const std::string& disk_path, const Detection& detection,
                                     ImageInfo info, const OpenOptions& options) {
  if (options.engine == Engine::kGuestfs) {
    return OpenGuestfsImage(disk_path, detection, std::move(info), options);
  }
  auto native = native::OpenNativeImage(disk_path, detection, info, options);
  if (native) return std::move(*native);
  if (options.engine == Engine::kNative) {
    throw ImageError(info.path + ": the native engine cannot read this image: " + native.error());
  }
  if (options.progress) {
    options.progress("native engine: " + native.error() + "; starting libguestfs");
  }
  auto image = OpenGuestfsImage(disk_path, detection, info, options);
  return std::make_unique<FallbackImage>(std::move(image), native.error());
}

uint64_t SizeOf(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size)
                                                               : 0;
}

}  // namespace

std::string_view EngineName(Engine engine) {
  switch (engine) {
    case Engine::kAuto: return "auto";
    case Engine::kNative: return "native";
    case Engine::kGuestfs: return "guestfs";
  }
  return "auto";
}

std::unique_ptr<Image> OpenImage(const std::string& path, const OpenOptions& options) {
  auto start = Clock::now();
  auto detection = DetectPath(path);
  if (!detection) throw ImageError(path + ": " + detection.error());
  std::vector<StageTiming> prelude{{"detect", SecondsSince(start)}};

  switch (detection->format) {
    case Format::kDirectory:
      return std::make_unique<PreludedImage>(nullptr, OpenDirectoryImage(path), prelude);
    case Format::kTar:
      return std::make_unique<PreludedImage>(nullptr, OpenArchiveImage(path, *detection), prelude);
    case Format::kOva: {
      if (options.progress) options.progress("extracting the OVA disk member");
      auto extract_start = Clock::now();
      auto disk = ExtractOvaDisk(path);
      prelude.push_back({"extract", SecondsSince(extract_start)});
      auto inner = DetectPath(disk->disk_path());
      if (!inner) {
        throw ImageError(path + ": OVA member \"" + disk->member() + "\": " + inner.error());
      }
      if (inner->backend != Backend::kGuestfs || inner->format == Format::kOva) {
        throw ImageError(path + ": OVA member \"" + disk->member() + "\" is " + inner->name +
                         ", not a disk image");
      }
      ImageInfo info{.path = path,
                     .format = "ova",
                     .format_detail = "OVA member " + disk->member() + " (" + inner->name + ")",
                     .size = SizeOf(path),
                     .backend = ""};
      std::string disk_path = disk->disk_path();
      auto image = OpenDiskImage(disk_path, *inner, std::move(info), options);
      return std::make_unique<PreludedImage>(std::move(disk), std::move(image), prelude);
    }
    default: {
      ImageInfo info{.path = path,
                     .format = detection->name,
                     .format_detail = detection->detail,
                     .size = SizeOf(path),
                     .backend = ""};
      auto image = OpenDiskImage(path, *detection, std::move(info), options);
      return std::make_unique<PreludedImage>(nullptr, std::move(image), prelude);
    }
  }
}

}  // namespace imageprobe::images
