// SPDX-License-Identifier: Apache-2.0
// Process-wide cancellation: set when the user interrupts a scan (SIGINT, SIGTERM), read by the
// long-running loops (OVA extraction, appliance launch retries, probes through the budgeted
// filesystem) so that they stop early and unwind, letting every owner of a temporary file or
// child process clean up on the way out. Async-signal-safe to set.
#pragma once

#include <string>

namespace imageprobe {

// Records `signo` (the first one wins). Safe to call from a signal handler.
void RequestCancel(int signo) noexcept;
bool CancelRequested() noexcept;
// The signal that cancelled the scan, 0 when none did.
int CancelSignal() noexcept;

// Temporary files and directories the process owns (an extracted OVA disk). Their owners remove
// them on every normal exit, exceptions included; the registry is the last resort for an
// interrupt whose unwinding does not finish in time (scanner/cli/interrupt.h).
void RegisterTempPath(const std::string& path);
void UnregisterTempPath(const std::string& path);
// Removes every registered path recursively. Called once, just before the process exits.
void RemoveRegisteredTempPaths() noexcept;

}  // namespace imageprobe
