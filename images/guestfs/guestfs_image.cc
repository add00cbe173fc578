// SPDX-License-Identifier: Apache-2.0
// The libguestfs Image: launch (guestfs_launch.h), light inspection (guestfs_inspect.h), and
// per-root mounting that turns every mount failure into a diagnostic of that root.
#include "images/guestfs/guestfs_image.h"

#include <chrono>

#include "images/guestfs/guestfs_fs.h"
#include "images/guestfs/guestfs_inspect.h"
#include "images/guestfs/guestfs_launch.h"
#include "scanner/core/guest_path.h"

namespace imageprobe::images {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string_view MethodName(InspectionMethod method) {
  switch (method) {
    case InspectionMethod::kLight:
      return "light inspection";
    case InspectionMethod::kInspectOs:
      return "libguestfs inspect_os";
    case InspectionMethod::kFilesystems:
      return "no operating system found";
  }
  return "";
}

class GuestfsImage final : public Image {
 public:
  GuestfsImage(const std::string& disk_path, const Detection& detection, ImageInfo info,
               const OpenOptions& options)
      : info_(std::move(info)), progress_(options.progress) {
    // A raw drive is the filesystem's bytes as they are: trees can be read from the file.
    if (detection.qemu_format == "raw") raw_disk_path_ = disk_path;
    LaunchedAppliance launched = LaunchAppliance(disk_path, detection.qemu_format, options);
    handle_ = std::move(launched.handle);
    info_.backend = launched.backend;
    timings_.push_back({"launch", launched.seconds});

    Say("looking for operating systems");
    auto start = Clock::now();
    try {
      inspection_ = InspectGuest(*handle_);
    } catch (const GuestfsCallError& e) {
      throw ImageError(std::string("libguestfs inspection failed: ") + e.what());
    }
    timings_.push_back({"inspect", SecondsSince(start)});
    bare_mounted_device_ = inspection_.mounted_device;

    if (inspection_.roots.empty()) {
      std::string why =
          inspection_.diagnostics.empty()
              ? "no mountable filesystem in the image"
              : "no filesystem could be mounted (" + inspection_.diagnostics.front().message + ")";
      throw ImageError(why);
    }
    for (const auto& root : inspection_.roots) {
      std::string description = DescribeRoot(root);
      if (inspection_.method == InspectionMethod::kInspectOs) description += " (by inspect_os)";
      roots_.push_back({root.device, std::move(description)});
    }
    Say(std::to_string(roots_.size()) + " root(s) found by " +
        std::string(MethodName(inspection_.method)));
  }

  const ImageInfo& info() const override { return info_; }
  const std::vector<RootInfo>& roots() const override { return roots_; }
  const std::vector<Diagnostic>& diagnostics() const override { return inspection_.diagnostics; }
  const std::vector<StageTiming>& timings() const override { return timings_; }

  std::expected<MountedRoot, std::string> Mount(size_t index,
                                                std::span<const std::string> prefetch) override {
    if (index >= inspection_.roots.size()) return std::unexpected("no such root");
    const GuestRoot& root = inspection_.roots[index];
    guestfs_h* g = handle_->get();
    auto start = Clock::now();
    Say("mounting " + root.device);
    // The inspection may have left exactly this filesystem mounted at "/" and nothing else.
    if (bare_mounted_device_ != root.device) {
      bare_mounted_device_.clear();
      if (guestfs_umount_all(g) == -1)
        return std::unexpected("umount_all: " + handle_->LastError());
      if (guestfs_mount_ro(g, root.device.c_str(), "/") == -1) {
        return std::unexpected("could not mount " + root.device +
                               " read-only: " + handle_->LastError());
      }
    }
    bare_mounted_device_.clear();  // the mounts below (and the next Mount) change the tree
    MountedRoot mounted;
    mounted.diagnostics = root.problems;
    std::vector<GuestfsFs::MountedFilesystem> mounted_filesystems = {{"/", root.device, root.type}};
    for (const auto& m : root.mounts) {
      if (auto why = MountPointProblem(m.mountpoint)) {
        mounted.diagnostics.push_back(
            {"image", m.mountpoint,
             "not mounted: " + m.device + " from " + m.source + ": " + *why});
        continue;
      }
      if (guestfs_mount_ro(g, m.device.c_str(), m.mountpoint.c_str()) == -1) {
        mounted.diagnostics.push_back({"image", m.mountpoint,
                                       "could not mount " + m.device + " from " + m.source +
                                           " read-only: " + handle_->LastError()});
        continue;
      }
      mounted_filesystems.push_back({m.mountpoint, m.device, ""});  // type asked when needed
    }
    AddTiming("mount", SecondsSince(start));

    auto fs = std::make_unique<GuestfsFs>(handle_, root.device + " (" + root.type + ", guestfs)");
    if (!raw_disk_path_.empty()) {
      fs->ReadTreesFromRawImage(raw_disk_path_, std::move(mounted_filesystems));
    }
    if (!prefetch.empty()) {
      start = Clock::now();
      for (const auto& problem : fs->Prefetch(prefetch)) {
        // Not a data loss: the paths are then read by ordinary calls. Shown for diagnosis only.
        Say("prefetch: " + problem);
      }
      AddTiming("prefetch", SecondsSince(start));
    }
    mounted.fs = std::move(fs);
    return mounted;
  }

 private:
  void Say(const std::string& message) const {
    if (progress_) progress_(message);
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

  // mount(2) in the appliance follows symlinks outside the guest's chroot, so a guest whose
  // /boot is a symlink to "/etc" must not get a filesystem mounted over the appliance's /etc.
  // Every component of the mount point has to be a real directory of the guest.
  std::optional<std::string> MountPointProblem(const std::string& mountpoint) const {
    std::string current;
    for (const auto& part : SplitGuestPath(mountpoint)) {
      current += "/" + part;
      struct guestfs_statns* st = guestfs_lstatns(handle_->get(), current.c_str());
      if (st == nullptr) return current + " does not exist in the root filesystem";
      bool is_dir = (st->st_mode & 0170000) == 0040000;
      bool is_link = (st->st_mode & 0170000) == 0120000;
      guestfs_free_statns(st);
      if (is_link) return current + " is a symlink";
      if (!is_dir) return current + " is not a directory";
    }
    return std::nullopt;
  }

  ImageInfo info_;
  ProgressFn progress_;
  std::shared_ptr<GuestfsHandle> handle_;
  Inspection inspection_;
  std::string bare_mounted_device_;  // mounted alone at "/" right now, or ""
  std::string raw_disk_path_;        // the drive, when raw: GuestfsFs may read trees from it
  std::vector<RootInfo> roots_;
  std::vector<StageTiming> timings_;
};

}  // namespace

std::unique_ptr<Image> OpenGuestfsImage(const std::string& disk_path, const Detection& detection,
                                        ImageInfo info, const OpenOptions& options) {
  try {
    return std::make_unique<GuestfsImage>(disk_path, detection, std::move(info), options);
  } catch (const GuestfsCallError& e) {
    throw ImageError(std::string("libguestfs: ") + e.what());
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const ImageError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw ImageError(std::string("libguestfs: ") + e.what());
  }
}

}  // namespace imageprobe::images
