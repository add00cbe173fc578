// SPDX-License-Identifier: Apache-2.0
// Finding the roots of a launched appliance, cheaply.
//
// libguestfs' inspect_os examines every filesystem in depth (package databases, Windows
// registry, …) and costs about as much as the boot under TCG. The scanner needs far less: which
// filesystems are OS roots and what their /etc/fstab mounts. So the light inspection
//   1. lists the filesystems, mounts each read-only and looks for /etc with /etc/os-release,
//      /usr or /bin (a Linux/Unix root);
//   2. reads each root's /etc/fstab itself and resolves UUID=, LABEL=, PARTUUID=, PARTLABEL=,
//      /dev/disk/by-*, guest device names (/dev/xvda1, /dev/nvme0n1p1) and LVM names to the
//      appliance's devices.
// When it finds no root, inspect_os is asked (it knows layouts we do not, e.g. Windows); when
// that finds nothing either, every mountable filesystem becomes a root of its own.
#pragma once

#include <string>
#include <vector>

#include "images/guestfs/guestfs_handle.h"
#include "images/root_plan.h"
#include "scanner/core/image.h"
#include "scanner/core/model.h"

namespace imageprobe::images {

enum class InspectionMethod { kLight, kInspectOs, kFilesystems };

struct Inspection {
  InspectionMethod method = InspectionMethod::kLight;
  std::vector<GuestRoot> roots;
  std::vector<Diagnostic> diagnostics;  // filesystems that would not mount, unreadable fstabs
  // The filesystem left mounted alone at "/" (saves the first Mount() two round trips), or "".
  std::string mounted_device;
};

// Leaves at most one filesystem mounted, at "/" (see mounted_device). Throws GuestfsCallError only
// when the appliance itself fails.
Inspection InspectGuest(GuestfsHandle& handle);

}  // namespace imageprobe::images
