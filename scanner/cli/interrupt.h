// SPDX-License-Identifier: Apache-2.0
// SIGINT/SIGTERM during a scan: nothing may be left behind (an extracted OVA disk, QEMU's
// snapshot overlay, libguestfs' temporary and socket directories, a QEMU process). Everything
// under TMPDIR lives in the process's private directory (private_tmpdir.h), itself registered.
//
// The handler only records the signal (scanner/core/cancel.h) and wakes a watcher thread. The
// watcher kills our QEMU (and supermin/qemu-img) children, so that an appliance launch or call
// in progress fails at once; the main thread then unwinds through the ordinary error paths,
// where every owner removes what it created (guestfs_close removes libguestfs' directories,
// ExtractedDisk its copy), and main() exits with 128 + the signal number. Should the unwinding
// not finish within a grace period, or a second signal arrive, the watcher removes the
// registered temporary paths itself and calls _exit(128 + signo).
#pragma once

#include <chrono>

namespace imageprobe::cli {

// Call once, early in main(), before any thread or child process is started.
void InstallInterruptHandlers(std::chrono::milliseconds grace = std::chrono::seconds(20));

// 128 + the signal number once the process was interrupted, 0 otherwise.
int InterruptExitCode();

}  // namespace imageprobe::cli
