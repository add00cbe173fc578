// SPDX-License-Identifier: Apache-2.0
// Remembers that KVM could not start the libguestfs appliance on this host, so that later scans
// go straight to TCG instead of waiting for the watchdog every time. The record is keyed by what
// decides whether KVM works: the running kernel and the QEMU binary. A kernel or QEMU upgrade
// changes the key and KVM gets tried again.
//
// The file lives under $XDG_CACHE_HOME/imageprobe (or ~/.cache/imageprobe), never next to an
// input. It is a hint, not state: a missing or unreadable cache only costs one watchdog wait.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imageprobe::images {

struct KvmHostKey {
  std::string kernel_release;  // uname -r
  std::string qemu_path;       // the hypervisor libguestfs runs (guestfs_get_hv)
  int64_t qemu_mtime = 0;      // seconds since the epoch; 0 when it could not be stat'ed
};

// The key of the running host for `qemu_path`.
KvmHostKey CurrentKvmHostKey(const std::string& qemu_path);

// Pure: one line "kvm-failed\t<kernel>\t<qemu>\t<mtime>\t<reason>\n" and its reader. A record
// for another key, or anything malformed, does not match.
std::string FormatKvmFailureRecord(const KvmHostKey& key, std::string_view reason);
bool KvmFailureRecordMatches(std::string_view record, const KvmHostKey& key);

// $XDG_CACHE_HOME/imageprobe/kvm-failure, or $HOME/.cache/imageprobe/kvm-failure; nullopt when
// neither variable is set.
std::optional<std::string> KvmFailureCachePath();

// True when the cache says KVM failed for exactly this key.
bool KvmKnownToFail(const KvmHostKey& key);
// Best effort: creates the cache directory (0700) and writes the record atomically.
void RememberKvmFailure(const KvmHostKey& key, std::string_view reason);

}  // namespace imageprobe::images
