// SPDX-License-Identifier: Apache-2.0
// Whether an XFS internal log is clean, decided as the kernel decides it at mount: find the
// log head from the cycle numbers stamped on every 512-byte block (xlog_find_head in the
// kernel's fs/xfs/xfs_log_recover.c), then require the last record before the head to be a
// lone unmount record that ends exactly there (xlog_find_tail, xlog_check_unmount_rec).
// Anything else means the kernel would replay the log, and a reader of the stale blocks would
// see another filesystem than the mount does: such a log is reported as needing recovery.
// Where the kernel would repair a torn head, this check just says "needs recovery": a false
// "dirty" costs a libguestfs run, a false "clean" would be a wrong answer.
//
// References: "XFS Algorithms & Data Structures", chapter "Journaling Log"; xfsprogs'
// libxfs/xfs_log_format.h (xlog_rec_header, xlog_op_header).
#pragma once

#include <expected>
#include <string>

#include "images/native/block_device.h"
#include "images/native/xfs_superblock.h"

namespace imageprobe::images::native {

inline constexpr std::string_view kXfsLogDirty = "log needs recovery";

// Nothing when clean; kXfsLogDirty (with why, after a colon) or a read error otherwise.
std::expected<void, std::string> CheckXfsLogClean(const BlockDevice& device,
                                                  const XfsSuperblock& sb);

}  // namespace imageprobe::images::native
