// SPDX-License-Identifier: Apache-2.0
// OpenImage: detect by content, then hand the input to the backend that reads it. Every error
// is one line that starts with the input path (the CLI prints it as is and exits 2).
#include "images/open.h"

#include <sys/stat.h>

#include <chrono>
#include <functional>

#include "images/archive_image.h"
#include "images/directory_image.h"
#include "images/format.h"
#include "images/guestfs/guestfs_image.h"
#include "images/native/native_image.h"
#include "images/ova.h"
#include "scanner/core/cancel.h"

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

// The native engine declined `path` for `reason`: under --engine native that is the error;
// under auto, libguestfs opens it and the backend says why. When libguestfs cannot open it
// either (not installed, say), its error also gives the native engine's reason, so that the one
// line says everything the user can act on (e.g. "is qemu-utils installed?").
std::unique_ptr<Image> FallBack(const std::string& path, const std::string& reason,
                                const OpenOptions& options,
                                const std::function<std::unique_ptr<Image>()>& open_guestfs) {
  if (options.engine == Engine::kNative) {
    throw ImageError(path + ": the native engine cannot read this image: " + reason);
  }
  if (options.progress) options.progress("native engine: " + reason + "; starting libguestfs");
  std::unique_ptr<Image> image;
  try {
    image = open_guestfs();
  } catch (const ImageError& e) {
    if (CancelRequested()) throw;
    throw ImageError(std::string(e.what()) + " (the native engine cannot read it: " + reason + ")");
  }
  return std::make_unique<FallbackImage>(std::move(image), reason);
}

// Disk formats (raw, VMDK, qcow2, VHD, VHDX, VDI): the one place that picks the engine.
std::unique_ptr<Image> OpenDiskImage(const std::string& disk_path, const Detection& detection,
                                     ImageInfo info, const OpenOptions& options) {
  if (options.engine == Engine::kGuestfs) {
    return OpenGuestfsImage(disk_path, detection, std::move(info), options);
  }
  auto native = native::OpenNativeImage(disk_path, detection, info, options);
  if (native) return std::move(*native);
  return FallBack(info.path, native.error(), options,
                  [&] { return OpenGuestfsImage(disk_path, detection, info, options); });
}

// An OVA member must be a disk image, not a directory of files or a nested tar.
void RequireDisk(const std::string& ova_path, const std::string& member,
                 const std::expected<Detection, std::string>& inner) {
  if (!inner) throw ImageError(ova_path + ": OVA member \"" + member + "\": " + inner.error());
  if (inner->backend != Backend::kGuestfs || inner->format == Format::kOva ||
      inner->format == Format::kTar) {
    throw ImageError(ova_path + ": OVA member \"" + member + "\" is " + inner->name +
                     ", not a disk image");
  }
}

uint64_t SizeOf(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size)
                                                               : 0;
}

// The native engine reads the disk member in place, through the OVA itself; libguestfs needs
// it copied out first (ova.h).
std::unique_ptr<Image> OpenOva(const std::string& path, const OpenOptions& options,
                               std::vector<StageTiming> prelude) {
  auto start = Clock::now();
  OvaDisk disk = LocateOvaDisk(path);
  prelude.push_back({"locate", SecondsSince(start)});
  auto info_for = [&](const Detection& inner) {
    return ImageInfo{.path = path,
                     .format = "ova",
                     .format_detail = "OVA member " + disk.member + " (" + inner.name + ")",
                     .size = SizeOf(path),
                     .backend = ""};
  };
  auto open_guestfs = [&]() -> std::unique_ptr<Image> {
    if (options.progress) options.progress("extracting the OVA disk member");
    auto extract_start = Clock::now();
    auto extracted = ExtractOvaDisk(path, disk);
    auto steps = prelude;
    steps.push_back({"extract", SecondsSince(extract_start)});
    auto inner = DetectPath(extracted->disk_path());
    RequireDisk(path, disk.member, inner);
    std::string disk_path = extracted->disk_path();
    auto image = OpenGuestfsImage(disk_path, *inner, info_for(*inner), options);
    return std::make_unique<PreludedImage>(std::move(extracted), std::move(image),
                                           std::move(steps));
  };
  if (options.engine == Engine::kGuestfs) return open_guestfs();

  std::string reason =
      "OVA member \"" + disk.member + "\" cannot be read in place: " + disk.not_in_place;
  if (disk.data_offset) {
    auto inner = DetectRange(path, *disk.data_offset, disk.size);
    RequireDisk(path, disk.member, inner);
    auto native =
        native::OpenNativeImage(path, *inner, info_for(*inner), options,
                                native::DiskMember{{*disk.data_offset, disk.size}, disk.member});
    if (native) return std::make_unique<PreludedImage>(nullptr, std::move(*native), prelude);
    reason = native.error();
  }
  return FallBack(path, reason, options, open_guestfs);
}

}  // namespace

std::string_view EngineName(Engine engine) {
  switch (engine) {
    case Engine::kAuto:
      return "auto";
    case Engine::kNative:
      return "native";
    case Engine::kGuestfs:
      return "guestfs";
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
    case Format::kOva:
      return OpenOva(path, options, std::move(prelude));
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
