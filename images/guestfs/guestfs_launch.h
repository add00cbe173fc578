// SPDX-License-Identifier: Apache-2.0
// The launch policy for the libguestfs appliance.
//
// On hosts where /dev/kvm exists but nested virtualisation is broken, QEMU with accel=kvm either
// dies at once or hangs after the firmware ("Booting from ROM...") at 100% CPU forever. So:
//  1. If the user chose the accelerator (LIBGUESTFS_BACKEND_SETTINGS, or a backend other than
//     "direct" via LIBGUESTFS_BACKEND), launch once exactly as configured.
//  2. Otherwise, if this host is recorded as a KVM failure (kvm_failure_cache.h), use TCG.
//  3. Otherwise launch the default (KVM when available) under a watchdog. The watchdog clock
//     starts when the QEMU child process appears, not when launch() is called: building the
//     supermin appliance the first time can take a minute and is not a hang. If QEMU does not
//     bring the appliance up within `kvm_launch_timeout`, it is killed; then (or when the launch
//     fails outright) the handle is closed and the launch retried once, on a fresh handle, with
//     force_tcg. A TCG success after a KVM failure is remembered for this host.
#pragma once

#include <memory>
#include <string>

#include "images/guestfs/guestfs_handle.h"
#include "images/open.h"

namespace imageprobe::images {

struct LaunchedAppliance {
  std::unique_ptr<GuestfsHandle> handle;
  std::string backend;  // "guestfs (kvm)", "guestfs (tcg)", or "guestfs (…as configured)"
  double seconds = 0;   // wall time of the whole policy, failed attempts included
};

// What LaunchAppliance would do on this host, decided the same way but without starting
// anything (for `imageprobe version`): which accelerator, and why.
struct AcceleratorPlan {
  std::string accelerator;  // "kvm", "tcg", or "configured" (LIBGUESTFS_* decides)
  std::string backend;      // as a report would record it: "guestfs (kvm)", …
  std::string reason;       // one sentence
  std::string hypervisor;   // the QEMU binary libguestfs runs (guestfs_get_hv)
};
AcceleratorPlan PlanAccelerator(const OpenOptions& options);

// Adds `disk_path` read-only with the given qemu format and launches. Throws ImageError with a
// one-line reason when no attempt brought the appliance up.
LaunchedAppliance LaunchAppliance(const std::string& disk_path, const std::string& qemu_format,
                                  const OpenOptions& options);

}  // namespace imageprobe::images
