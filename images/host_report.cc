// SPDX-License-Identifier: Apache-2.0
#include "images/host_report.h"

#include <archive.h>
#include <guestfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "images/guestfs/guestfs_handle.h"
#include "images/guestfs/guestfs_launch.h"
#include "images/guestfs/guestfs_library.h"
#include "images/guestfs/kvm_failure_cache.h"

namespace imageprobe::images {
namespace {

// supermin builds the appliance from the newest readable kernel in /boot (supermin(1) "KERNEL").
std::string ApplianceKernel() {
  std::vector<std::string> kernels;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/boot", ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("vmlinuz-")) kernels.push_back(entry.path().string());
  }
  std::ranges::sort(kernels);
  for (auto it = kernels.rbegin(); it != kernels.rend(); ++it) {
    if (::access(it->c_str(), R_OK) == 0) return *it;
  }
  return "";
}

EngineStatus Guestfs(HostReport& host) {
  EngineStatus e{.name = "libguestfs",
                 .inputs =
                     "raw (MBR/GPT), ext2/3/4, XFS, btrfs, VMDK, qcow2, VHD, VHDX, VDI, OVA; "
                     "LVM"};
  if (auto problem = GuestfsLibraryProblem()) {
    e.detail = *problem + " (install libguestfs0, libguestfs-xfs and linux-image-amd64)";
    return e;
  }
  try {
    GuestfsHandle handle;  // no appliance is started
    if (struct guestfs_version* v = guestfs_version(handle.get())) {
      e.detail = "libguestfs " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                 std::to_string(v->release) + (v->extra != nullptr ? v->extra : "");
      guestfs_free_version(v);
    }
    AcceleratorPlan plan = PlanAccelerator(OpenOptions{});
    host.accelerator = plan.accelerator;
    host.accelerator_reason = plan.reason;
    host.hypervisor = plan.hypervisor;
  } catch (const std::exception& ex) {
    e.detail = ex.what();
    return e;
  }
  host.kvm_cache = KvmFailureCachePath().value_or("");
  host.appliance_kernel = ApplianceKernel();
  std::error_code ec;
  if (!host.hypervisor.empty() && !std::filesystem::exists(host.hypervisor, ec)) {
    e.detail += "; the hypervisor " + host.hypervisor + " is missing (install qemu-system-x86)";
    return e;
  }
  if (host.appliance_kernel.empty()) {
    e.detail += "; no readable /boot/vmlinuz-* for the appliance (install linux-image-amd64)";
    return e;
  }
  e.available = true;
  return e;
}

// The executable a bare name resolves to through PATH, as execvp finds it, or "".
std::string FindInPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

EngineStatus Native() {
  EngineStatus e{.name = "native",
                 .available = true,
                 .inputs =
                     "raw (MBR/GPT), ext2/3/4; with qemu-nbd also VMDK, qcow2, VHD, VHDX, "
                     "VDI, OVA; no VM"};
  std::string qemu_nbd = FindInPath("qemu-nbd");
  e.detail = qemu_nbd.empty() ? "libext2fs; no qemu-nbd (install qemu-utils): raw disks and bare "
                                "filesystems only"
                              : "libext2fs, " + qemu_nbd;
  return e;
}

}  // namespace

HostReport DescribeHost() {
  HostReport host;
  host.engines.push_back({.name = "directory",
                          .available = true,
                          .inputs = "a plain directory holding a root tree",
                          .detail = "built in"});
  host.engines.push_back({.name = "archive",
                          .available = true,
                          .inputs = "tar, tar.gz, tar.xz, tar.zst, tar.bz2 of a root tree",
                          .detail = archive_version_string()});
  host.engines.push_back(Guestfs(host));
  host.engines.push_back(Native());
  return host;
}

}  // namespace imageprobe::images
