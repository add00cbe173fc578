// SPDX-License-Identifier: Apache-2.0
// libguestfs is loaded when a disk image is first opened, not when imageprobe starts.
//
// The binary has no DT_NEEDED on libguestfs.so.0: guestfs_library.cc defines every guestfs_*
// function imageprobe calls (the declarations are guestfs.h's own, so a changed signature does
// not compile) as a forwarder to the library opened with dlopen. So the Debian package can
// Recommend libguestfs0 instead of Depending on it (it pulls in QEMU, libvirt and ~340 packages)
// and directories and tar archives are scanned on machines without it; a disk image there fails
// with one line naming the package to install (guestfs_create returns NULL, GuestfsHandle
// throws).
//
// To call another libguestfs function, add it to the list in guestfs_library.cc.
#pragma once

#include <optional>
#include <string>

namespace imageprobe::images {

// Loads libguestfs.so.0 once (thread-safe) and resolves every function imageprobe calls.
// nullopt when it is usable; otherwise why not ("libguestfs.so.0: cannot open shared object
// file…", or the first function the installed version lacks).
std::optional<std::string> GuestfsLibraryProblem();

// What to tell a user whose disk image cannot be opened because of GuestfsLibraryProblem().
std::string GuestfsLibraryAdvice(const std::string& problem);

}  // namespace imageprobe::images
