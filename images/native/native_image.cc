// SPDX-License-Identifier: Apache-2.0
#include "images/native/native_image.h"

#include <chrono>

#include "images/native/file_device.h"
#include "images/native/mount_tree_fs.h"
#include "images/native/native_inspect.h"
#include "images/native/nbd_device.h"

namespace imageprobe::images::native {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::expected<std::shared_ptr<const BlockDevice>, std::string> OpenContainer(
    const std::string& path, const Detection& detection, const std::optional<DiskMember>& member) {
  if (detection.qemu_format == "raw") {
    auto file = FileDevice::Open(path);
    if (!file) return std::unexpected(file.error());
    if (!member) return std::shared_ptr<const BlockDevice>(std::move(*file));
    if (member->range.offset > (*file)->size() ||
        member->range.length > (*file)->size() - member->range.offset) {
      return std::unexpected("member " + member->member + " lies past the end of " + path);
    }
    return std::shared_ptr<const BlockDevice>(
        std::make_shared<SliceDevice>(std::move(*file), member->range.offset, member->range.length,
                                      "raw member " + member->member + " of " + path));
  }
  auto nbd = NbdDevice::Open(path, detection.qemu_format,
                             member ? std::optional(member->range) : std::nullopt);
  if (!nbd) return std::unexpected(nbd.error());
  return std::shared_ptr<const BlockDevice>(std::move(*nbd));
}

class NativeImage final : public Image {
 public:
  NativeImage(ImageInfo info, NativeInspection inspection, std::vector<StageTiming> timings,
              ProgressFn progress)
      : info_(std::move(info)),
        inspection_(std::move(inspection)),
        timings_(std::move(timings)),
        progress_(std::move(progress)) {
    for (const auto& root : inspection_.roots) roots_.push_back({root.device, DescribeRoot(root)});
  }

  const ImageInfo& info() const override { return info_; }
  const std::vector<RootInfo>& roots() const override { return roots_; }
  const std::vector<Diagnostic>& diagnostics() const override { return inspection_.diagnostics; }
  const std::vector<StageTiming>& timings() const override { return timings_; }

  std::expected<MountedRoot, std::string> Mount(size_t index,
                                                std::span<const std::string>) override {
    if (index >= inspection_.roots.size()) return std::unexpected("no such root");
    const GuestRoot& root = inspection_.roots[index];
    auto start = Clock::now();
    if (progress_) progress_("mounting " + root.device);
    const NativeVolume* volume = Find(root.device);
    if (volume == nullptr) return std::unexpected("no volume " + root.device);
    auto root_fs = OpenVolume(*volume, FileStat{});
    if (!root_fs) {
      return std::unexpected("could not mount " + root.device + " read-only: " + root_fs.error());
    }
    auto tree = std::make_unique<MountTreeFs>(std::move(*root_fs),
                                              root.device + " (" + root.type + ", native)");
    MountedRoot mounted;
    mounted.diagnostics = root.problems;
    for (const auto& m : root.mounts) {
      if (auto why = tree->MountPointProblem(m.mountpoint)) {
        mounted.diagnostics.push_back(ImageDiagnostic(
            m.mountpoint, "not mounted: " + m.device + " from " + m.source + ": " + *why));
        continue;
      }
      const NativeVolume* below = Find(m.device);
      auto point = tree->Lstat(m.mountpoint);
      auto fs = below == nullptr ? std::unexpected(std::string("no such volume"))
                                 : OpenVolume(*below, point.value_or(FileStat{}));
      if (!fs) {
        mounted.diagnostics.push_back(ImageDiagnostic(
            m.mountpoint,
            "could not mount " + m.device + " from " + m.source + " read-only: " + fs.error()));
        continue;
      }
      tree->Mount(m.mountpoint, std::move(*fs));
    }
    AddTiming("mount", SecondsSince(start));
    mounted.fs = std::move(tree);
    return mounted;
  }

 private:
  const NativeVolume* Find(const std::string& device) const {
    for (const auto& v : inspection_.volumes) {
      if (v.device == device) return &v;
    }
    return nullptr;
  }

  void AddTiming(const std::string& stage, double seconds) {
    for (auto& t : timings_) {
      if (t.stage == stage) {
        t.seconds += seconds;
        return;
      }
    }
    timings_.push_back({stage, seconds});
  }

  ImageInfo info_;
  NativeInspection inspection_;  // holds the volumes, and through them the container
  std::vector<StageTiming> timings_;
  ProgressFn progress_;
  std::vector<RootInfo> roots_;
};

}  // namespace

std::expected<std::unique_ptr<Image>, std::string> OpenNativeImage(
    const std::string& disk_path, const Detection& detection, ImageInfo info,
    const OpenOptions& options, const std::optional<DiskMember>& member) {
  auto start = Clock::now();
  auto container = OpenContainer(disk_path, detection, member);
  if (!container) return std::unexpected(container.error());
  std::vector<StageTiming> timings{{"open", SecondsSince(start)}};

  start = Clock::now();
  auto inspection = InspectNative(*container);
  if (!inspection) return std::unexpected(inspection.error());
  timings.push_back({"inspect", SecondsSince(start)});
  if (options.progress) {
    for (const auto& warning : inspection->table_warnings) {
      options.progress("partition table: " + warning);
    }
    for (const auto& note : inspection->notes) options.progress(note);
    options.progress(std::to_string(inspection->roots.size()) +
                     " root(s) found by the native engine");
  }
  // The backend is where a report says how its roots were read ("guestfs (tcg); native engine:
  // why not"), and the engine oracle compares everything else: a replayed journal is said here.
  info.backend = "native";
  for (const auto& note : inspection->notes) info.backend += "; " + note;
  return std::unique_ptr<Image>(std::make_unique<NativeImage>(
      std::move(info), std::move(*inspection), std::move(timings), options.progress));
}

}  // namespace imageprobe::images::native
