// SPDX-License-Identifier: Apache-2.0
// One guest directory tree as ONE tar_out call, streamed through a pipe into an ArchiveIndex
// (the archive backend's index) as it comes, instead of one appliance call per stat or read.
//
// Nothing is written anywhere: tar_out writes into a pipe that a thread of ours reads, and that
// thread stops reading (libguestfs then cancels the transfer) once the stream passes its budget
// or turns out corrupt. Members are data: a symlink member is an index entry, never followed on
// the host. Numeric owners, so the index holds the guest's uid/gid, not names.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "images/archive_index.h"
#include "images/guestfs/call_trace.h"
#include "images/guestfs/guestfs_handle.h"

namespace imageprobe::images {

// `dir` (a real directory of the mounted guest) minus `excludes` (TarExclude names) into a new
// index with `limits`. Fails with a one-line reason naming `dir` when the call fails, the stream
// is corrupt or longer than `max_stream_bytes`, or it has no top directory.
std::expected<std::shared_ptr<ArchiveIndex>, std::string> StreamTarOut(
    GuestfsHandle& handle, CallTrace& trace, const std::string& dir,
    const std::vector<std::string>& excludes, ArchiveLimits limits, uint64_t max_stream_bytes);

// A member name for GNU tar's exclude list, matched literally: "./" + `relative` (a path below
// the streamed directory), with the wildcard characters escaped (tar then keeps the pattern in
// its hash table, so 10,000s of excludes cost one lookup per member). `relative` must hold no
// newline: the exclude file is one name a line.
std::string TarExclude(std::string_view relative);

}  // namespace imageprobe::images
